package dev.telemetryagent.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.agent.jmx.AgentMBeans;
import dev.telemetryagent.agent.jmx.AgentMXBean;
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
    FakeBean fake = new FakeBean();
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

  static final class FakeBean implements AgentMXBean {
    volatile boolean capture = true;

    @Override
    public String getState() {
      return capture ? "running" : "capture-off";
    }

    @Override
    public String getVersion() {
      return "9.9";
    }

    @Override
    public String getInstalledBy() {
      return "attach";
    }

    @Override
    public long getInstalledAtEpochMillis() {
      return 0;
    }

    @Override
    public long getInstallMillis() {
      return 12;
    }

    @Override
    public String getDestination() {
      return "otlp http://x";
    }

    @Override
    public Map<String, String> getConfiguration() {
      return Collections.singletonMap("otel.exporter.otlp.headers", "****");
    }

    @Override
    public Map<String, Long> getCapturedBySource() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("jul", 60L);
      m.put("logback", 40L);
      return m;
    }

    @Override
    public long getSubmitted() {
      return 100;
    }

    @Override
    public long getExported() {
      return 90;
    }

    @Override
    public long getFolded() {
      return 0;
    }

    @Override
    public Map<String, Long> getDroppedByReason() {
      return Collections.singletonMap("queue_full", 5L);
    }

    @Override
    public long getPending() {
      return 5;
    }

    @Override
    public long getQueueSize() {
      return 5;
    }

    @Override
    public Map<String, Long> getRedactionsByRule() {
      return Collections.emptyMap();
    }

    @Override
    public Map<String, Long> getTopFingerprints() {
      return Collections.emptyMap();
    }

    @Override
    public long getLastExportSuccessEpochMillis() {
      return 0;
    }

    @Override
    public String getLastError() {
      return "";
    }

    @Override
    public long getInstrumentedClasses() {
      return 3;
    }

    @Override
    public long getInstrumentationErrors() {
      return 0;
    }

    @Override
    public long getSuppressedFailures() {
      return 0;
    }

    @Override
    public boolean isCaptureEnabled() {
      return capture;
    }

    @Override
    public void setCaptureEnabled(boolean enabled) {
      capture = enabled;
    }
  }
}
