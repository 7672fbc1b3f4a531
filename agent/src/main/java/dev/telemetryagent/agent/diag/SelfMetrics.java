package dev.telemetryagent.agent.diag;

import dev.telemetryagent.agent.jmx.AgentMXBean;
import dev.telemetryagent.exporter.Diagnostics;
import dev.telemetryagent.exporter.PipelineSettings;
import dev.telemetryagent.exporter.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own counters (the {@link AgentMXBean}'s figures) as OpenTelemetry metrics named
 * {@code telemetry.agent.*}: cumulative sums for event counts, gauges for pending events, queue size and the kill
 * switch. Every interval one export request in OTLP/JSON goes to {@code <endpoint>/v1/metrics}, or, with no
 * endpoint, one {@code {"resourceMetrics":[...]}} line (the Collector file exporter's encoding) to
 * {@code <file directory>/metrics/<service>-<pid>-metrics.jsonl}, rotated and capped like the log files.
 *
 * <p>Written by hand rather than with the OpenTelemetry metrics SDK: the agent keeps that SDK off its class path
 * (size and start-up), and a dozen cumulative counters need no aggregation. Runs on one agent-owned daemon thread;
 * a failed export is one throttled diagnostic line and is retried at the next interval (cumulative values lose
 * nothing).
 */
public final class SelfMetrics implements Runnable {

  public static final String THREAD_NAME = "telemetry-agent-metrics";

  private final AgentMXBean status;
  private final PipelineSettings settings;
  private final Duration interval;
  private final Diagnostics diagnostics;
  private final long startEpochNanos;
  private final RotatingFileStream file;
  private volatile boolean stopped;

  SelfMetrics(AgentMXBean status, PipelineSettings settings, Duration interval, Path fileDirectory) {
    this.status = status;
    this.settings = settings;
    this.interval = interval;
    this.diagnostics = settings.diagnostics();
    this.startEpochNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    this.file = settings.otlpEndpoint() == null
        ? new RotatingFileStream(fileDirectory.resolve("metrics").resolve(safe(settings.serviceName()) + "-"
            + ProcessHandle.current().pid() + "-metrics.jsonl"), settings.localMaxFileBytes(),
            settings.localMaxFiles())
        : null;
  }

  /** Starts the metrics thread; never throws (a failure is one diagnostic line). */
  public static SelfMetrics start(AgentMXBean status, PipelineSettings settings, Duration interval) {
    try {
      SelfMetrics m = new SelfMetrics(status, settings, interval, settings.localDirectory());
      Thread t = new Thread(m, THREAD_NAME);
      t.setDaemon(true);
      t.start();
      return m;
    } catch (Throwable t) {
      settings.diagnostics().warn("metrics-start", "self-metrics not started", t);
      return null;
    }
  }

  public void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    dev.telemetryagent.agent.jmx.AgentMBeans.markAgentThread();
    while (!stopped) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      exportOnce();
    }
  }

  /** Builds and sends (or writes) one payload; never throws. */
  boolean exportOnce() {
    try {
      byte[] body = payload(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
      if (file != null) {
        file.write(body, 0, body.length);
        file.write('\n');
        file.flush();
        return true;
      }
      return post(body);
    } catch (Throwable t) {
      diagnostics.warn("metrics-export", "self-metrics export failed", t);
      return false;
    }
  }

  private boolean post(byte[] body) throws IOException {
    String base = settings.otlpEndpoint();
    URL url = new URL(base.endsWith("/") ? base + "v1/metrics" : base + "/v1/metrics");
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    int timeout = (int) Math.min(Integer.MAX_VALUE, settings.otlpTimeout().toMillis());
    c.setConnectTimeout(timeout);
    c.setReadTimeout(timeout);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    for (Map.Entry<String, String> h : settings.otlpHeaders().entrySet()) {
      c.setRequestProperty(h.getKey(), h.getValue());
    }
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    int code = c.getResponseCode();
    try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    if (code / 100 != 2) {
      diagnostics.warn("metrics-export", "self-metrics export failed: HTTP " + code);
      return false;
    }
    return true;
  }

  /** One OTLP/JSON {@code ExportMetricsServiceRequest} with the current figures. */
  String payload(long nowEpochMillis) {
    String now = Long.toString(TimeUnit.MILLISECONDS.toNanos(nowEpochMillis));
    String start = Long.toString(startEpochNanos);
    List<String> metrics = new ArrayList<>();
    metrics.add(sum("telemetry.agent.events.captured", "Events captured, by source", "source",
        status.getCapturedBySource(), start, now));
    metrics.add(sum("telemetry.agent.events.submitted", "Events handed to the export pipeline", null,
        single(status.getSubmitted()), start, now));
    metrics.add(sum("telemetry.agent.events.exported", "Events the exporter acknowledged", null,
        single(status.getExported()), start, now));
    metrics.add(sum("telemetry.agent.events.dropped", "Events dropped, by reason", "reason",
        status.getDroppedByReason(), start, now));
    metrics.add(sum("telemetry.agent.events.folded", "Events folded into rollups", null,
        single(status.getFolded()), start, now));
    Map<String, Long> rollups = new java.util.LinkedHashMap<>();
    rollups.put("exported", status.getRollupsExported());
    rollups.put("dropped", status.getRollupsDropped());
    metrics.add(sum("telemetry.agent.rollups", "Rollup records, by outcome", "outcome", rollups, start, now));
    metrics.add(sum("telemetry.agent.redactions", "Redactions, by scrub rule", "rule",
        status.getRedactionsByRule(), start, now));
    metrics.add(sum("telemetry.agent.scrub.errors", "Strings the scrub engine failed on (their records were dropped)",
        null, single(status.getScrubErrors()), start, now));
    metrics.add(gauge("telemetry.agent.events.pending", "Events neither exported nor dropped yet",
        status.getPending(), now));
    metrics.add(gauge("telemetry.agent.queue.size", "Events waiting in the export queue", status.getQueueSize(),
        now));
    metrics.add(gauge("telemetry.agent.capture.enabled", "1 when capture is on, 0 when switched off",
        status.isCaptureEnabled() ? 1 : 0, now));
    StringBuilder sb = new StringBuilder(2048);
    sb.append("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[");
    boolean first = true;
    for (Map.Entry<String, String> a : resource().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      attribute(sb, a.getKey(), a.getValue());
    }
    sb.append("]},\"scopeMetrics\":[{\"scope\":{\"name\":\"telemetry-agent\",\"version\":");
    string(sb, status.getVersion());
    sb.append("},\"metrics\":[").append(String.join(",", metrics)).append("]}]}]}");
    return sb.toString();
  }

  /** The same resource as the log records: configured attributes, service name, distro; scrubbed. */
  private Map<String, String> resource() {
    Map<String, String> raw = new LinkedHashMap<>(settings.resourceAttributes());
    raw.put("service.name", settings.serviceName());
    raw.put("telemetry.distro.name", settings.distroName());
    raw.put("telemetry.distro.version", settings.distroVersion());
    Redactor redactor = settings.redactor();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String v = redactor.redactAttribute(e.getKey(), e.getValue());
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private static Map<String, Long> single(long value) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(null, value);
    return m;
  }

  private static String sum(String name, String description, String attributeKey, Map<String, Long> points,
      String start, String now) {
    StringBuilder sb = new StringBuilder();
    header(sb, name, description);
    sb.append(",\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,\"dataPoints\":[");
    boolean first = true;
    for (Map.Entry<String, Long> p : points.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"startTimeUnixNano\":\"").append(start).append("\",\"timeUnixNano\":\"").append(now)
          .append("\",\"asInt\":\"").append(p.getValue() == null ? 0 : p.getValue()).append('"');
      if (attributeKey != null && p.getKey() != null) {
        sb.append(",\"attributes\":[");
        attribute(sb, attributeKey, p.getKey());
        sb.append(']');
      }
      sb.append('}');
    }
    return sb.append("]}}").toString();
  }

  private static String gauge(String name, String description, long value, String now) {
    StringBuilder sb = new StringBuilder();
    header(sb, name, description);
    sb.append(",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"").append(now).append("\",\"asInt\":\"")
        .append(value).append("\"}]}}");
    return sb.toString();
  }

  private static void header(StringBuilder sb, String name, String description) {
    sb.append("{\"name\":");
    string(sb, name);
    sb.append(",\"description\":");
    string(sb, description);
    sb.append(",\"unit\":\"{event}\"");
  }

  private static void attribute(StringBuilder sb, String key, String value) {
    sb.append("{\"key\":");
    string(sb, key);
    sb.append(",\"value\":{\"stringValue\":");
    string(sb, value);
    sb.append("}}");
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static String safe(String s) {
    String cleaned = s == null ? "unknown" : s.replaceAll("[^A-Za-z0-9._-]+", "_");
    return cleaned.isEmpty() ? "unknown" : cleaned;
  }
}
