package dev.telemetryagent.agent.jmx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A fixed set of figures, for tests of what reads an {@link AgentMXBean}. */
public final class FakeAgentBean implements AgentMXBean {
  public volatile boolean capture = true;

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
  public long getRollupsExported() {
    return 2;
  }

  @Override
  public long getRollupsDropped() {
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
  public long getScrubErrors() {
    return 0;
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
