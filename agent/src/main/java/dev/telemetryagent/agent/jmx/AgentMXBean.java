package dev.telemetryagent.agent.jmx;

import java.util.Map;

/**
 * The running agent's live figures and its kill switch, registered in the platform MBean server as
 * {@value #OBJECT_NAME}. Read by {@code java -jar telemetry-agent.jar status <pid>} and usable from JConsole or any
 * JMX tool. Every getter is an open type (maps become {@code TabularData}), so a JMX client needs none of the agent's
 * classes.
 *
 * <p>The format is stable: figures that later features fill in (redactions by rule, rollups, fingerprints) are
 * present now as zero or empty maps.
 */
public interface AgentMXBean {

  /** The ObjectName the agent registers under. */
  String OBJECT_NAME = "dev.telemetryagent:type=Agent";

  /** {@code running}, {@code capture-off} (kill switch) or {@code shut-down}. */
  String getState();

  String getVersion();

  /** {@code start-up} ({@code -javaagent}) or {@code attach}. */
  String getInstalledBy();

  /** When the agent was installed, epoch milliseconds. */
  long getInstalledAtEpochMillis();

  /** How long installation took (configuration, pipeline, instrumentation), milliseconds. */
  long getInstallMillis();

  /** Where records go: {@code otlp <url>} or {@code file <path>}. */
  String getDestination();

  /** The configuration in effect, key to value; secret values are shown as {@code ****}. */
  Map<String, String> getConfiguration();

  /** Events captured, by source ({@code jul}, {@code log4j}, {@code logback}, ...). */
  Map<String, Long> getCapturedBySource();

  /** Events handed to the export pipeline. */
  long getSubmitted();

  /** Events the exporter acknowledged. */
  long getExported();

  /** Events folded into rollups (dedupe): repeats of an exported event inside its window. */
  long getFolded();

  /** Rollup records exported (records of the agent's own that carry the folded and shed counts). */
  long getRollupsExported();

  /** Rollup records that could not be exported. */
  long getRollupsDropped();

  /**
   * Events dropped, by reason ({@code queue_full}, {@code export_failed}, {@code shutdown}, {@code rate_limited},
   * {@code scrub_error}).
   */
  Map<String, Long> getDroppedByReason();

  /** Events neither exported, folded nor dropped yet. */
  long getPending();

  /** Events waiting in the export queue. */
  long getQueueSize();

  /**
   * Redactions by scrub rule id since start-up (text rules by their id, deny-listed keys as {@code key:ENTRY}, keyed
   * hashes as {@code hash:ENTRY}); empty when nothing was redacted or scrubbing is switched off.
   */
  Map<String, Long> getRedactionsByRule();

  /**
   * Strings the scrub engine failed on since start-up; the records they belonged to were dropped (dropped by
   * reason {@code scrub_error}), never exported unscrubbed.
   */
  long getScrubErrors();

  /** The most frequent error fingerprints and their counts; empty until fingerprints exist. */
  Map<String, Long> getTopFingerprints();

  /** Wall-clock time of the last successful export, epoch milliseconds, or 0 if none yet. */
  long getLastExportSuccessEpochMillis();

  /** The exporter's last problem (no record content), or an empty string. */
  String getLastError();

  /** Classes instrumented so far, and instrumentation errors. */
  long getInstrumentedClasses();

  long getInstrumentationErrors();

  /** Advice bodies and sink calls that failed and were suppressed (both should stay 0). */
  long getSuppressedFailures();

  /** Whether capture is on (the kill switch). */
  boolean isCaptureEnabled();

  /**
   * The kill switch: {@code false} makes every instrumented logging call skip the agent at its first check (the
   * application's own logging is untouched); {@code true} resumes capture. Events already queued are still exported.
   */
  void setCaptureEnabled(boolean enabled);
}
