package dev.telemetryagent.receiver;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One OTLP span, flattened together with its resource and instrumentation scope. Attribute values that are not
 * strings are stringified; ids are lower-case hex (empty when unset). Immutable.
 */
public final class ReceivedSpan {

  /** A span event: name, time and attributes. */
  public static final class Event {
    private final String name;
    private final long timeUnixNano;
    private final Map<String, String> attributes;

    Event(Span.Event event) {
      this.name = event.getName();
      this.timeUnixNano = event.getTimeUnixNano();
      this.attributes = AnyValues.flatten(event.getAttributesList());
    }

    public String name() {
      return name;
    }

    public long timeUnixNano() {
      return timeUnixNano;
    }

    public Map<String, String> attributes() {
      return attributes;
    }

    public String attribute(String key) {
      return attributes.get(key);
    }

    @Override
    public String toString() {
      return name + attributes;
    }
  }

  private final Map<String, String> resourceAttributes;
  private final String scopeName;
  private final String name;
  private final String kind;
  private final String traceId;
  private final String spanId;
  private final String parentSpanId;
  private final String statusCode;
  private final String statusMessage;
  private final long startTimeUnixNano;
  private final long endTimeUnixNano;
  private final Map<String, String> attributes;
  private final List<Event> events;
  private final Span raw;

  private ReceivedSpan(Resource resource, InstrumentationScope scope, Span span) {
    this.resourceAttributes = AnyValues.flatten(resource.getAttributesList());
    this.scopeName = scope.getName();
    this.name = span.getName();
    this.kind = span.getKind().name();
    this.traceId = AnyValues.hex(span.getTraceId());
    this.spanId = AnyValues.hex(span.getSpanId());
    this.parentSpanId = AnyValues.hex(span.getParentSpanId());
    this.statusCode = span.getStatus().getCode().name();
    this.statusMessage = span.getStatus().getMessage();
    this.startTimeUnixNano = span.getStartTimeUnixNano();
    this.endTimeUnixNano = span.getEndTimeUnixNano();
    this.attributes = AnyValues.flatten(span.getAttributesList());
    List<Event> ev = new ArrayList<>(span.getEventsCount());
    for (Span.Event e : span.getEventsList()) {
      ev.add(new Event(e));
    }
    this.events = Collections.unmodifiableList(ev);
    this.raw = span;
  }

  static ReceivedSpan of(Resource resource, InstrumentationScope scope, Span span) {
    return new ReceivedSpan(resource, scope, span);
  }

  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }

  public String scopeName() {
    return scopeName;
  }

  public String name() {
    return name;
  }

  /** The span kind's enum name, for example {@code SPAN_KIND_INTERNAL}. */
  public String kind() {
    return kind;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  public String parentSpanId() {
    return parentSpanId;
  }

  /** The status code's enum name: {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}. */
  public String statusCode() {
    return statusCode;
  }

  public String statusMessage() {
    return statusMessage;
  }

  public long startTimeUnixNano() {
    return startTimeUnixNano;
  }

  public long endTimeUnixNano() {
    return endTimeUnixNano;
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public String attribute(String key) {
    return attributes.get(key);
  }

  public List<Event> events() {
    return events;
  }

  public Span raw() {
    return raw;
  }

  /** One human-readable line. */
  public String toLine() {
    return "span " + name + " [" + kind + "] status=" + statusCode
        + (statusMessage.isEmpty() ? "" : "(" + statusMessage + ")")
        + " trace=" + traceId + " span=" + spanId
        + (attributes.isEmpty() ? "" : " " + attributes)
        + (events.isEmpty() ? "" : " events=" + events.size());
  }

  @Override
  public String toString() {
    return "ReceivedSpan{" + toLine() + "}";
  }
}
