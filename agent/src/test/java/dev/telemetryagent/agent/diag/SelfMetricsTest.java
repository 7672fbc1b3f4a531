package dev.telemetryagent.agent.diag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.telemetryagent.agent.jmx.FakeAgentBean;
import dev.telemetryagent.exporter.PipelineSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfMetricsTest {

  @TempDir
  Path dir;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void payloadIsAnOtlpJsonMetricsRequestWithTheAgentsCounters() throws Exception {
    PipelineSettings settings = PipelineSettings.builder().serviceName("billing").distroVersion("9.9")
        .localDirectory(dir).resourceAttributes(Collections.singletonMap("deployment.environment", "prod")).build();
    SelfMetrics m = new SelfMetrics(new FakeAgentBean(), settings, Duration.ofSeconds(1), dir);
    JsonNode root = json.readTree(m.payload(1_700_000_000_000L));
    JsonNode rm = root.get("resourceMetrics").get(0);
    Map<String, String> resource = new java.util.HashMap<>();
    rm.get("resource").get("attributes").forEach(a -> resource.put(a.get("key").asText(),
        a.get("value").get("stringValue").asText()));
    assertThat(resource).containsEntry("service.name", "billing").containsEntry("deployment.environment", "prod")
        .containsEntry("telemetry.distro.version", "9.9");
    JsonNode metrics = rm.get("scopeMetrics").get(0).get("metrics");
    List<String> names = new ArrayList<>();
    metrics.forEach(n -> names.add(n.get("name").asText()));
    assertThat(names).contains("telemetry.agent.events.captured", "telemetry.agent.events.exported",
        "telemetry.agent.events.dropped", "telemetry.agent.events.pending", "telemetry.agent.queue.size",
        "telemetry.agent.capture.enabled", "telemetry.agent.events.folded", "telemetry.agent.redactions",
        "telemetry.agent.rollups");
    for (JsonNode n : metrics) {
      if (n.get("name").asText().equals("telemetry.agent.events.exported")) {
        JsonNode p = n.get("sum").get("dataPoints").get(0);
        assertThat(p.get("asInt").asText()).isEqualTo("90");
        assertThat(p.get("timeUnixNano").asText()).isEqualTo("1700000000000000000");
        assertThat(n.get("sum").get("isMonotonic").asBoolean()).isTrue();
        assertThat(n.get("sum").get("aggregationTemporality").asInt()).isEqualTo(2);
      }
      if (n.get("name").asText().equals("telemetry.agent.events.captured")) {
        assertThat(n.get("sum").get("dataPoints")).hasSize(2);
        assertThat(n.get("sum").get("dataPoints").get(0).get("attributes").get(0).get("key").asText())
            .isEqualTo("source");
      }
    }
  }

  @Test
  void withAnEndpointPostsOtlpJsonToV1Metrics() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    server.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + exchange.getRequestHeaders().getFirst("X-Api-Key") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      PipelineSettings settings = PipelineSettings.builder().serviceName("billing")
          .otlpEndpoint("http://127.0.0.1:" + server.getAddress().getPort())
          .otlpHeaders(Collections.singletonMap("X-Api-Key", "k")).localDirectory(dir).build();
      SelfMetrics m = new SelfMetrics(new FakeAgentBean(), settings, Duration.ofSeconds(1), dir);
      assertThat(m.exportOnce()).isTrue();
      assertThat(received).singleElement().asString()
          .startsWith("POST /v1/metrics application/json k {\"resourceMetrics\":");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutAnEndpointWritesJsonLinesUnderMetrics() throws Exception {
    PipelineSettings settings = PipelineSettings.builder().serviceName("billing").localDirectory(dir).build();
    SelfMetrics m = new SelfMetrics(new FakeAgentBean(), settings, Duration.ofSeconds(1), dir);
    assertThat(m.exportOnce()).isTrue();
    assertThat(m.exportOnce()).isTrue();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("metrics"))) {
      files = s.collect(Collectors.toList());
    }
    assertThat(files).singleElement().satisfies(f -> {
      assertThat(f.getFileName().toString()).startsWith("billing-").endsWith("-metrics.jsonl");
      List<String> lines = Files.readAllLines(f);
      assertThat(lines).hasSize(2);
      for (String line : lines) {
        assertThat(json.readTree(line).has("resourceMetrics")).isTrue();
      }
    });
  }
}
