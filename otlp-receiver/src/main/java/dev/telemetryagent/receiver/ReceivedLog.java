package dev.telemetryagent.receiver;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One OTLP log record, flattened together with its resource and instrumentation scope. Attribute values that are
 * not strings are stringified (see {@link AnyValues#stringify}); trace and span ids are lower-case hex (empty when
 * unset). Immutable.
 */
public final class ReceivedLog {

  private final Map<String, String> resourceAttributes;
  private final String scopeName;
  private final String scopeVersion;
  private final int severityNumber;
  private final String severityText;
  private final String body;
  private final Map<String, String> attributes;
  private final String traceId;
  private final String spanId;
  private final long timeUnixNano;
  private final long observedTimeUnixNano;
  private final String eventName;
  private final LogRecord raw;

  private ReceivedLog(Resource resource, InstrumentationScope scope, LogRecord record) {
    this.resourceAttributes = AnyValues.flatten(resource.getAttributesList());
    this.scopeName = scope.getName();
    this.scopeVersion = scope.getVersion();
    this.severityNumber = record.getSeverityNumberValue();
    this.severityText = record.getSeverityText();
    this.body = record.hasBody() ? AnyValues.stringify(record.getBody()) : null;
    this.attributes = AnyValues.flatten(record.getAttributesList());
    this.traceId = AnyValues.hex(record.getTraceId());
    this.spanId = AnyValues.hex(record.getSpanId());
    this.timeUnixNano = record.getTimeUnixNano();
    this.observedTimeUnixNano = record.getObservedTimeUnixNano();
    this.eventName = record.getEventName();
    this.raw = record;
  }

  static ReceivedLog of(Resource resource, InstrumentationScope scope, LogRecord record) {
    return new ReceivedLog(resource, scope, record);
  }

  /** Every log record of a request, flattened, in order. */
  public static List<ReceivedLog> flatten(ExportLogsServiceRequest request) {
    List<ReceivedLog> flat = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          flat.add(new ReceivedLog(rl.getResource(), sl.getScope(), lr));
        }
      }
    }
    return flat;
  }

  /** Resource attributes (service.name, telemetry.distro.name, ...). */
  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }

  /** A single resource attribute, or null. */
  public String resourceAttribute(String key) {
    return resourceAttributes.get(key);
  }

  /** The instrumentation scope's name (for the agent: the logger's name); empty when unset. */
  public String scopeName() {
    return scopeName;
  }

  public String scopeVersion() {
    return scopeVersion;
  }

  /** The OpenTelemetry severity number (0 when unset). */
  public int severityNumber() {
    return severityNumber;
  }

  public String severityText() {
    return severityText;
  }

  /** The body rendered as a string, or null when the record has no body. */
  public String body() {
    return body;
  }

  /** Log record attributes; non-string values stringified. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** A single log record attribute, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** Trace id in lower-case hex; empty when unset. */
  public String traceId() {
    return traceId;
  }

  /** Span id in lower-case hex; empty when unset. */
  public String spanId() {
    return spanId;
  }

  public long timeUnixNano() {
    return timeUnixNano;
  }

  public long observedTimeUnixNano() {
    return observedTimeUnixNano;
  }

  /** The record's event name; empty when unset. */
  public String eventName() {
    return eventName;
  }

  /** The record as received. */
  public LogRecord raw() {
    return raw;
  }

  /** One human-readable line: time, severity, scope, body, then attributes and the service name. */
  public String toLine() {
    long nanos = timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
    String time = nanos == 0 ? "-" : Instant.ofEpochSecond(0, nanos).toString();
    StringBuilder sb = new StringBuilder(160);
    sb.append(time).append(' ')
        .append(severityText.isEmpty() ? "?" : severityText).append('(').append(severityNumber).append(") ")
        .append(scopeName.isEmpty() ? "-" : scopeName).append(" - ")
        .append(body == null ? "" : body.replace("\n", "\\n"));
    if (!attributes.isEmpty()) {
      sb.append("  ");
      appendMap(sb, attributes);
    }
    String service = resourceAttributes.get("service.name");
    if (service != null) {
      sb.append("  service.name=").append(service);
    }
    if (!traceId.isEmpty()) {
      sb.append(" trace=").append(traceId).append(" span=").append(spanId);
    }
    return sb.toString();
  }

  private static void appendMap(StringBuilder sb, Map<String, String> map) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      String v = e.getValue();
      if (v != null && v.length() > 200) {
        v = v.substring(0, 200) + "...";
      }
      sb.append(e.getKey()).append('=').append(v == null ? null : v.replace("\n", "\\n").replace("\t", " "));
    }
    sb.append('}');
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ReceivedLog)) {
      return false;
    }
    ReceivedLog other = (ReceivedLog) o;
    return raw.equals(other.raw) && resourceAttributes.equals(other.resourceAttributes)
        && scopeName.equals(other.scopeName) && scopeVersion.equals(other.scopeVersion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(raw, resourceAttributes, scopeName, scopeVersion);
  }

  @Override
  public String toString() {
    return "ReceivedLog{" + toLine() + "}";
  }
}
