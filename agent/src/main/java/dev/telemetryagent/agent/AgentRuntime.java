package dev.telemetryagent.agent;

import dev.telemetryagent.agent.capture.CaptureSink;
import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.agent.instrumentation.LoggingInstrumentation;
import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.DropReason;
import dev.telemetryagent.exporter.PipelineStats;
import dev.telemetryagent.exporter.TelemetryPipeline;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.Map;

/** The parts of a running agent, held together so status and shutdown can reach them. */
public final class AgentRuntime {

  private final String version;
  private final String installedBy;
  private final AgentConfig config;
  private final TelemetryPipeline pipeline;
  private final CaptureSink sink;
  private final LoggingInstrumentation logging;
  private final ScrubEngine scrubEngine;

  AgentRuntime(String version, String installedBy, AgentConfig config, TelemetryPipeline pipeline, CaptureSink sink,
      LoggingInstrumentation logging, ScrubEngine scrubEngine) {
    this.version = version;
    this.installedBy = installedBy;
    this.config = config;
    this.pipeline = pipeline;
    this.sink = sink;
    this.logging = logging;
    this.scrubEngine = scrubEngine;
  }

  public String version() {
    return version;
  }

  /** "start-up" or "attach". */
  public String installedBy() {
    return installedBy;
  }

  public AgentConfig config() {
    return config;
  }

  public TelemetryPipeline pipeline() {
    return pipeline;
  }

  public CaptureSink sink() {
    return sink;
  }

  public LoggingInstrumentation logging() {
    return logging;
  }

  /** The scrub engine every exported string goes through; null when scrubbing is switched off (or unavailable). */
  public ScrubEngine scrubEngine() {
    return scrubEngine;
  }

  /**
   * One line: "submitted=N exported=N dropped={queue_full=N, ...} pending=N advice_failures=N sink_failures=N"
   * (drop reasons with zero left out). The two failure counts are errors suppressed inside advice and sink calls:
   * the end-to-end tests assert they stay zero.
   */
  static String summary(PipelineStats stats) {
    StringBuilder dropped = new StringBuilder();
    for (Map.Entry<DropReason, Long> e : stats.droppedByReason().entrySet()) {
      if (e.getValue() > 0) {
        dropped.append(dropped.length() == 0 ? "" : ", ").append(e.getKey().key()).append('=').append(e.getValue());
      }
    }
    return "submitted=" + stats.submitted() + " exported=" + stats.exported() + " dropped={" + dropped + "} pending="
        + stats.pending() + " advice_failures=" + Dispatch.adviceFailures() + " sink_failures="
        + Dispatch.sinkFailures();
  }

  /**
   * Runs in the JVM's shutdown hook: drains and exports what is pending within the configured bound. Capture stays
   * on, so records logged by other shutdown hooks still get out while the pipeline accepts them.
   */
  void shutdown() {
    Dispatch.markCurrentThreadAsAgent();
    try {
      pipeline.shutdown(config.get(ConfigKeys.SHUTDOWN_TIMEOUT));
      if (config.get(ConfigKeys.DEBUG)) {
        System.err.println("[telemetry-agent] at exit: " + summary(pipeline.stats()));
      }
    } catch (Throwable t) {
      System.err.println("[telemetry-agent] shutdown: " + t);
    }
  }
}
