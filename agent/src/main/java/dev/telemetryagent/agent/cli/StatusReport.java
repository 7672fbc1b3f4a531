package dev.telemetryagent.agent.cli;

import dev.telemetryagent.agent.jmx.AgentMXBean;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A snapshot of an agent's {@link AgentMXBean}, as text for people and as JSON for scripts. */
final class StatusReport {

  private StatusReport() {}

  /** Reads every figure once, in a stable order (the JSON field order is part of the format). */
  static Map<String, Object> snapshot(long pid, AgentMXBean bean) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", pid);
    m.put("state", bean.getState());
    m.put("version", bean.getVersion());
    m.put("installed_by", bean.getInstalledBy());
    m.put("installed_at", iso(bean.getInstalledAtEpochMillis()));
    m.put("install_millis", bean.getInstallMillis());
    m.put("capture_enabled", bean.isCaptureEnabled());
    m.put("destination", bean.getDestination());
    Map<String, Long> captured = new LinkedHashMap<>(bean.getCapturedBySource());
    m.put("captured", captured);
    m.put("captured_total", sum(captured));
    m.put("submitted", bean.getSubmitted());
    m.put("exported", bean.getExported());
    m.put("folded", bean.getFolded());
    m.put("rollups_exported", bean.getRollupsExported());
    m.put("rollups_dropped", bean.getRollupsDropped());
    Map<String, Long> dropped = new LinkedHashMap<>(bean.getDroppedByReason());
    m.put("dropped", dropped);
    m.put("dropped_total", sum(dropped));
    m.put("pending", bean.getPending());
    m.put("redactions_by_rule", new TreeMap<>(bean.getRedactionsByRule()));
    m.put("scrub_errors", bean.getScrubErrors());
    m.put("top_fingerprints", new LinkedHashMap<>(bean.getTopFingerprints()));
    Map<String, Object> exporter = new LinkedHashMap<>();
    long last = bean.getLastExportSuccessEpochMillis();
    exporter.put("last_success", last > 0 ? iso(last) : null);
    exporter.put("last_success_epoch_millis", last);
    String error = bean.getLastError();
    exporter.put("last_error", error == null || error.isEmpty() ? null : error);
    exporter.put("queue_size", bean.getQueueSize());
    m.put("exporter", exporter);
    Map<String, Object> instrumentation = new LinkedHashMap<>();
    instrumentation.put("classes", bean.getInstrumentedClasses());
    instrumentation.put("errors", bean.getInstrumentationErrors());
    instrumentation.put("suppressed_failures", bean.getSuppressedFailures());
    m.put("instrumentation", instrumentation);
    m.put("configuration", new TreeMap<>(bean.getConfiguration()));
    return m;
  }

  private static long sum(Map<String, Long> m) {
    long total = 0;
    for (Long v : m.values()) {
      total += v == null ? 0 : v;
    }
    return total;
  }

  private static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  @SuppressWarnings("unchecked")
  static void printText(Map<String, Object> s, PrintStream out) {
    out.println("telemetry-agent " + s.get("version") + " in pid " + s.get("pid") + ": " + s.get("state")
        + " (installed by " + s.get("installed_by") + " at " + s.get("installed_at") + ", in "
        + s.get("install_millis") + " ms)");
    out.println("destination:         " + s.get("destination"));
    out.println("capture:             " + (Boolean.TRUE.equals(s.get("capture_enabled")) ? "on" : "OFF (kill switch)"));
    out.println("captured:            " + counts((Map<String, Long>) s.get("captured"))
        + " (total " + s.get("captured_total") + ")");
    out.println("exported:            " + s.get("exported"));
    out.println("folded into rollups: " + s.get("folded") + " (rollup records exported " + s.get("rollups_exported")
        + ", not exported " + s.get("rollups_dropped") + ")");
    out.println("dropped:             " + counts((Map<String, Long>) s.get("dropped"))
        + " (total " + s.get("dropped_total") + ")");
    Map<String, Object> exporter = (Map<String, Object>) s.get("exporter");
    out.println("pending:             " + s.get("pending") + " (queue " + exporter.get("queue_size") + ")");
    out.println("redactions by rule:  " + orNone(counts((Map<String, Long>) s.get("redactions_by_rule")))
        + " (scrub errors " + s.get("scrub_errors") + ")");
    out.println("top fingerprints:    " + orNone(counts((Map<String, Long>) s.get("top_fingerprints"))));
    Object lastSuccess = exporter.get("last_success");
    Object lastError = exporter.get("last_error");
    out.println("exporter:            last success " + (lastSuccess == null ? "never" : lastSuccess)
        + "; last error " + (lastError == null ? "none" : lastError));
    Map<String, Object> inst = (Map<String, Object>) s.get("instrumentation");
    out.println("instrumentation:     " + inst.get("classes") + " classes, " + inst.get("errors") + " errors, "
        + inst.get("suppressed_failures") + " suppressed failures");
    out.println("configuration (secrets masked):");
    for (Map.Entry<String, String> e : ((Map<String, String>) s.get("configuration")).entrySet()) {
      out.println("  " + e.getKey() + " = " + e.getValue());
    }
  }

  private static String counts(Map<String, Long> m) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(' ').append(e.getValue());
    }
    return sb.toString();
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "none" : s;
  }
}
