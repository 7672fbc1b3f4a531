package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

  @Test
  void defaults() {
    PipelineSettings s = PipelineSettings.builder().build();
    assertThat(s.serviceName()).isEqualTo("unknown_service:java");
    assertThat(s.distroName()).isEqualTo("telemetry-agent");
    assertThat(s.distroVersion()).isNotBlank().doesNotContain("${");
    assertThat(s.resourceAttributes()).isEmpty();
    assertThat(s.otlpEndpoint()).isNull();
    assertThat(s.otlpLogsEndpoint()).isNull();
    assertThat(s.otlpHeaders()).isEmpty();
    assertThat(s.otlpTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.otlpCompression()).isEqualTo("none");
    assertThat(s.otlpRetry()).isTrue();
    assertThat(s.sdkDisabled()).isFalse();
    assertThat(s.localDirectory()).isEqualTo(Paths.get(System.getProperty("java.io.tmpdir"), "telemetry-agent"));
    assertThat(s.localMaxFileBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(s.localMaxFiles()).isEqualTo(5);
    assertThat(s.stackTraceMaxChars()).isEqualTo(16384);
    assertThat(s.stackTraceMaxFrames()).isEqualTo(64);
    assertThat(s.queueCapacity()).isEqualTo(8192);
    assertThat(s.batchSize()).isEqualTo(512);
    assertThat(s.exportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.redactor()).isSameAs(Redactor.identity());
    assertThat(s.diagnostics()).isSameAs(Diagnostics.stderr());
  }

  @Test
  void baseEndpointGetsTheLogsPath() {
    assertThat(endpoint("http://127.0.0.1:4318")).isEqualTo("http://127.0.0.1:4318/v1/logs");
    assertThat(endpoint("http://127.0.0.1:4318/")).isEqualTo("http://127.0.0.1:4318/v1/logs");
    assertThat(endpoint("https://collector.example.com/otlp/")).isEqualTo("https://collector.example.com/otlp/v1/logs");
  }

  @Test
  void fullLogsEndpointIsUsedAsIs() {
    assertThat(endpoint("http://127.0.0.1:4318/v1/logs")).isEqualTo("http://127.0.0.1:4318/v1/logs");
    assertThat(endpoint("https://gw.example.com/tenant/v1/logs")).isEqualTo("https://gw.example.com/tenant/v1/logs");
  }

  @Test
  void blankEndpointMeansLocalFiles() {
    assertThat(PipelineSettings.builder().otlpEndpoint("  ").build().otlpLogsEndpoint()).isNull();
  }

  @Test
  void compressionIsNormalised() {
    assertThat(PipelineSettings.builder().otlpCompression("GZIP").build().otlpCompression()).isEqualTo("gzip");
  }

  @Test
  void mapsAreCopiedAndUnmodifiable() {
    Map<String, String> attrs = new HashMap<>();
    attrs.put("deployment.environment", "prod");
    PipelineSettings s = PipelineSettings.builder().resourceAttributes(attrs).putOtlpHeader("x-api-key", "k").build();
    attrs.put("later", "x");
    assertThat(s.resourceAttributes()).containsOnlyKeys("deployment.environment");
    assertThatThrownBy(() -> s.resourceAttributes().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.otlpHeaders().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toBuilderRoundTrips() {
    PipelineSettings s = PipelineSettings.builder().serviceName("svc").otlpEndpoint("http://h:1").batchSize(7).build();
    PipelineSettings copy = s.toBuilder().build();
    assertThat(copy.serviceName()).isEqualTo("svc");
    assertThat(copy.otlpLogsEndpoint()).isEqualTo("http://h:1/v1/logs");
    assertThat(copy.batchSize()).isEqualTo(7);
  }

  @Test
  void batchSizeIsClampedToTheQueueCapacity() {
    PipelineSettings s = PipelineSettings.builder().queueCapacity(100).build();
    assertThat(s.batchSize()).isEqualTo(100);
    assertThat(s.queueCapacity()).isEqualTo(100);
  }

  @Test
  void zeroShutdownTimeoutIsAllowed() {
    assertThat(PipelineSettings.builder().shutdownTimeout(Duration.ZERO).build().shutdownTimeout()).isZero();
  }

  @Test
  void toStringDoesNotPrintHeaderValues() {
    PipelineSettings s = PipelineSettings.builder().putOtlpHeader("authorization", "Bearer secret").build();
    assertThat(s.toString()).contains("authorization").doesNotContain("secret");
  }

  @Test
  void invalidValuesAreRejectedAtBuildTime() {
    rejects(b -> b.serviceName(" "), "serviceName");
    rejects(b -> b.serviceName(null), "serviceName");
    rejects(b -> b.putResourceAttribute("k", null), "resource attribute 'k'");
    rejects(b -> b.distroVersion(""), "distroVersion");
    rejects(b -> b.otlpEndpoint("ftp://host"), "otlpEndpoint");
    rejects(b -> b.otlpEndpoint("not a url"), "otlpEndpoint");
    rejects(b -> b.otlpEndpoint("http:///path"), "otlpEndpoint");
    rejects(b -> b.otlpEndpoint("http://h:4318?x=1"), "otlpEndpoint");
    rejects(b -> b.putOtlpHeader("bad header", "v"), "otlpHeaders");
    rejects(b -> b.putOtlpHeader("Host", "v"), "otlpHeaders");
    rejects(b -> b.putOtlpHeader("x-k", "a\r\nb"), "otlpHeaders");
    rejects(b -> b.otlpTimeout(Duration.ZERO), "otlpTimeout");
    rejects(b -> b.otlpTimeout(null), "otlpTimeout");
    rejects(b -> b.otlpCompression("zstd"), "otlpCompression");
    rejects(b -> b.localMaxFileBytes(10), "localMaxFileBytes");
    rejects(b -> b.localMaxFiles(0), "localMaxFiles");
    rejects(b -> b.stackTraceMaxChars(10), "stackTraceMaxChars");
    rejects(b -> b.stackTraceMaxFrames(-1), "stackTraceMaxFrames");
    rejects(b -> b.queueCapacity(0), "queueCapacity");
    rejects(b -> b.batchSize(0), "batchSize");
    rejects(b -> b.exportInterval(Duration.ofMillis(-1)), "exportInterval");
    rejects(b -> b.shutdownTimeout(Duration.ofMillis(-1)), "shutdownTimeout");
    rejects(b -> b.shutdownTimeout(null), "shutdownTimeout");
    rejects(b -> b.redactor(null), "redactor");
    rejects(b -> b.diagnostics(null), "diagnostics");
  }

  private static void rejects(Consumer<PipelineSettings.Builder> change, String messagePart) {
    PipelineSettings.Builder b = PipelineSettings.builder();
    change.accept(b);
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(messagePart);
  }

  private static String endpoint(String configured) {
    return PipelineSettings.builder().otlpEndpoint(configured).build().otlpLogsEndpoint();
  }
}
