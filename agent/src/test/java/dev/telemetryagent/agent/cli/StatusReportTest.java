package dev.telemetryagent.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.agent.jmx.AgentMBeans;
import dev.telemetryagent.agent.jmx.AgentMXBean;
import dev.telemetryagent.agent.jmx.FakeAgentBean;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MXBean interface is JMX-compliant, round-trips through a proxy, and renders as text and JSON. */
class StatusReportTest {

  @AfterEach
  void unregister() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(AgentMXBean.OBJECT_NAME);
    if (server.isRegistered(name)) {
      server.unregisterMBean(name);
    }
  }

  @Test
  void registersReadsThroughAProxyAndSwitchesCapture() throws Exception {
    FakeAgentBean fake = new FakeAgentBean();
    assertThat(AgentMBeans.register(fake)).isTrue();
    assertThat(AgentMBeans.register(fake)).as("a second registration is refused").isFalse();

    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    AgentMXBean proxy = JMX.newMXBeanProxy(server, new ObjectName(AgentMXBean.OBJECT_NAME), AgentMXBean.class);
    Map<String, Object> s = StatusReport.snapshot(7, proxy);
    assertThat(s).containsEntry("state", "running").containsEntry("exported", 90L).containsEntry("pending", 5L)
        .containsEntry("captured_total", 100L).containsEntry("dropped_total", 5L)
        .containsEntry("redactions_by_rule", Collections.emptyMap())
        .containsEntry("top_fingerprints", Collections.emptyMap());
    @SuppressWarnings("unchecked") Map<String, String> config = (Map<String, String>) s.get("configuration");
    assertThat(config).containsEntry("otel.exporter.otlp.headers", "****");

    String json = Json.write(s);
    assertThat(json).contains("\"exported\": 90").contains("\"queue_full\": 5").contains("\"last_success\": null")
        .contains("\"redactions_by_rule\": {}");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StatusReport.printText(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("in pid 7: running").contains("captured:            jul 60, logback 40 (total 100)")
        .contains("otel.exporter.otlp.headers = ****").contains("last success never");

    proxy.setCaptureEnabled(false);
    assertThat(fake.capture).isFalse();
    assertThat(proxy.isCaptureEnabled()).isFalse();
  }

  @Test
  void jsonEscapes() {
    assertThat(Json.write(Collections.singletonMap("a\"b", "x\ny\\z\u0001")))
        .isEqualTo("{\n  \"a\\\"b\": \"x\\ny\\\\z\\u0001\"\n}");
  }
}
