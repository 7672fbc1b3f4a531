package dev.telemetryagent.agent.jmx;

import dev.telemetryagent.agent.AgentRuntime;
import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.DropReason;
import dev.telemetryagent.exporter.EventSource;
import dev.telemetryagent.exporter.PipelineStats;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link AgentMXBean} over a running agent. Every getter is cheap and total. */
public final class AgentStatus implements AgentMXBean {

  private final AgentRuntime runtime;
  private final long installedAtEpochMillis;
  private final long installMillis;

  public AgentStatus(AgentRuntime runtime, long installedAtEpochMillis, long installMillis) {
    this.runtime = runtime;
    this.installedAtEpochMillis = installedAtEpochMillis;
    this.installMillis = installMillis;
  }

  private PipelineStats stats() {
    return runtime.pipeline().stats();
  }

  @Override
  public String getState() {
    if (runtime.pipeline().isShutdown()) {
      return "shut-down";
    }
    return Dispatch.isEnabled() ? "running" : "capture-off";
  }

  @Override
  public String getVersion() {
    return runtime.version();
  }

  @Override
  public String getInstalledBy() {
    return runtime.installedBy();
  }

  @Override
  public long getInstalledAtEpochMillis() {
    return installedAtEpochMillis;
  }

  @Override
  public long getInstallMillis() {
    return installMillis;
  }

  @Override
  public String getDestination() {
    return maskUserInfo(runtime.pipeline().destination());
  }

  @Override
  public Map<String, String> getConfiguration() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : runtime.config().describe().entrySet()) {
      out.put(e.getKey(), maskUserInfo(e.getValue()));
    }
    return out;
  }

  /** {@code http://user:secret@host} becomes {@code http://****@host}: credentials in URLs are secrets too. */
  static String maskUserInfo(String value) {
    return value == null ? null : USER_INFO.matcher(value).replaceAll("://****@");
  }

  private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("://[^/@\\s]+@");

  @Override
  public Map<String, Long> getCapturedBySource() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (EventSource s : EventSource.values()) {
      if (s == EventSource.AGENT) {
        continue; // the agent's own records are not captured
      }
      out.put(s.metricName(), runtime.sink().captured(s));
    }
    return out;
  }

  @Override
  public long getSubmitted() {
    return stats().submitted();
  }

  @Override
  public long getExported() {
    return stats().exported();
  }

  @Override
  public long getFolded() {
    return stats().folded();
  }

  @Override
  public long getRollupsExported() {
    return stats().rollupsExported();
  }

  @Override
  public long getRollupsDropped() {
    return stats().rollupsDropped();
  }

  @Override
  public Map<String, Long> getDroppedByReason() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<DropReason, Long> e : stats().droppedByReason().entrySet()) {
      out.put(e.getKey().key(), e.getValue());
    }
    return out;
  }

  @Override
  public long getPending() {
    return stats().pending();
  }

  @Override
  public long getQueueSize() {
    return stats().queueSize();
  }

  @Override
  public Map<String, Long> getRedactionsByRule() {
    ScrubEngine engine = runtime.scrubEngine();
    return engine == null ? Collections.emptyMap() : new LinkedHashMap<>(engine.stats().findingsByRule());
  }

  @Override
  public long getScrubErrors() {
    ScrubEngine engine = runtime.scrubEngine();
    return engine == null ? 0 : engine.stats().scrubErrors();
  }

  @Override
  public Map<String, Long> getTopFingerprints() {
    return runtime.pipeline().topFingerprints(10);
  }

  @Override
  public long getLastExportSuccessEpochMillis() {
    return stats().lastExportSuccessEpochMillis();
  }

  @Override
  public String getLastError() {
    String e = stats().lastError();
    return e == null ? "" : e;
  }

  @Override
  public long getInstrumentedClasses() {
    return runtime.logging().transformedCount();
  }

  @Override
  public long getInstrumentationErrors() {
    return runtime.logging().errorCount();
  }

  @Override
  public long getSuppressedFailures() {
    return Dispatch.adviceFailures() + Dispatch.sinkFailures();
  }

  @Override
  public boolean isCaptureEnabled() {
    return Dispatch.isEnabled();
  }

  @Override
  public void setCaptureEnabled(boolean enabled) {
    Dispatch.setEnabled(enabled);
  }
}
