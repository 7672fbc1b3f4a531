package dev.telemetryagent.agent;

import dev.telemetryagent.agent.capture.CaptureSink;
import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.agent.instrumentation.LoggingInstrumentation;
import dev.telemetryagent.agent.scrub.PendingEngine;
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
  private final PendingEngine scrubEngine;

  AgentRuntime(String version, String installedBy, AgentConfig config, TelemetryPipeline pipeline, CaptureSink sink,
      LoggingInstrumentation logging, PendingEngine scrubEngine) {
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

  /**
   * The scrub engine every exported string goes through (waits for it while it is being built); null when scrubbing
   * is switched off or the engine is unavailable.
   */
  public ScrubEngine scrubEngine() {
    return scrubEngine == null ? null : scrubEngine.get();
  }

  /**
   * One line: "submitted=N exported=N folded=N dropped={queue_full=N, ...} pending=N rollups=N/N
   * advice_failures=N sink_failures=N" (rollups: exported/produced)
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
    return "submitted=" + stats.submitted() + " exported=" + stats.exported() + " folded=" + stats.folded()
        + " dropped={" + dropped + "} pending="
        + stats.pending() + " rollups=" + stats.rollupsExported() + "/" + stats.rollups() + " advice_failures=" + Dispatch.adviceFailures() + " sink_failures="
        + Dispatch.sinkFailures();
  }

  /** Submissions must pause this long before shutdown stops accepting (application shutdown hooks log too). */
  static final long QUIET_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
  /** The most time spent waiting for that pause. */
  static final long MAX_QUIET_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

  /**
   * The JVM runs every shutdown hook at once, ours beside the application's: waits until nothing has been submitted
   * for {@link #QUIET_NANOS}, at most a fifth of the shutdown timeout (and {@link #MAX_QUIET_WAIT_NANOS}), so
   * records the application logs while it shuts down are still accepted.
   */
  static void awaitQuiet(TelemetryPipeline pipeline, java.time.Duration timeout) {
    long budget = Math.min(MAX_QUIET_WAIT_NANOS, timeout.toNanos() / 5);
    long start = System.nanoTime();
    long last = pipeline.stats().submitted();
    long lastChange = start;
    while (true) {
      long now = System.nanoTime();
      if (now - start >= budget || now - lastChange >= QUIET_NANOS) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
      long submitted = pipeline.stats().submitted();
      if (submitted != last) {
        last = submitted;
        lastChange = System.nanoTime();
      }
    }
  }

  /**
   * Runs in the JVM's shutdown hook: lets the application's own shutdown logging settle ({@link #awaitQuiet}), then
   * drains and exports what is pending, rollups included, all within the configured bound.
   */
  void shutdown() {
    Dispatch.markCurrentThreadAsAgent();
    try {
      java.time.Duration timeout = config.get(ConfigKeys.SHUTDOWN_TIMEOUT);
      long start = System.nanoTime();
      awaitQuiet(pipeline, timeout);
      java.time.Duration left = timeout.minusNanos(System.nanoTime() - start);
      pipeline.shutdown(left.isNegative() ? java.time.Duration.ZERO : left);
      if (config.get(ConfigKeys.DEBUG)) {
        System.err.println("[telemetry-agent] at exit: " + summary(pipeline.stats()));
      }
    } catch (Throwable t) {
      System.err.println("[telemetry-agent] shutdown: " + t);
    }
  }
}
