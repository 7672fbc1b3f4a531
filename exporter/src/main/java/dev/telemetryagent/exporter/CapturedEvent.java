package dev.telemetryagent.exporter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event captured on an application thread: a log call or an error seen on a path no appender sees. Immutable;
 * built on the application thread by the agent and handed to {@link TelemetryPipeline#submit}. Strings here are
 * raw: nothing in this object has been scrubbed yet.
 */
public final class CapturedEvent {

  private final EventSource source;
  private final int severityNumber;
  private final String severityText;
  private final String loggerName;
  private final String template;
  private final String formattedMessage;
  private final List<String> arguments;
  private final Throwable throwable;
  private final String threadName;
  private final long threadId;
  private final long epochNanos;
  private final Map<String, String> context;
  private final String traceId;
  private final String spanId;
  private final byte traceFlags;

  private CapturedEvent(Builder b) {
    this.source = Objects.requireNonNull(b.source, "source");
    this.severityNumber = b.severityNumber;
    this.severityText = b.severityText;
    this.loggerName = b.loggerName;
    this.template = b.template;
    this.formattedMessage = b.formattedMessage;
    this.arguments = b.arguments == null ? List.of() : List.copyOf(b.arguments);
    this.throwable = b.throwable;
    this.threadName = b.threadName;
    this.threadId = b.threadId;
    this.epochNanos = b.epochNanos;
    this.context = b.context == null
        ? Collections.emptyMap()
        : Collections.unmodifiableMap(new LinkedHashMap<>(b.context));
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.traceFlags = b.traceFlags;
  }

  public static Builder builder(EventSource source) {
    return new Builder(source);
  }

  public EventSource source() {
    return source;
  }

  /** OpenTelemetry severity number, 1 (TRACE) to 24 (FATAL4). */
  public int severityNumber() {
    return severityNumber;
  }

  /** The framework's own level name (SEVERE, WARN, ...), used as the log record's severity text. */
  public String severityText() {
    return severityText;
  }

  /** The logger's name; null for error paths without a logger. */
  public String loggerName() {
    return loggerName;
  }

  /** The unformatted message template; null when there is none. */
  public String template() {
    return template;
  }

  /** The message as the framework formats it; null when there is none. */
  public String formattedMessage() {
    return formattedMessage;
  }

  /**
   * The message arguments, rendered with {@code String.valueOf} on the application thread; empty unless the agent
   * captures arguments ({@code telemetry.agent.capture.arguments}). Immutable, never null, no null elements.
   */
  public List<String> arguments() {
    return arguments;
  }

  public Throwable throwable() {
    return throwable;
  }

  public String threadName() {
    return threadName;
  }

  public long threadId() {
    return threadId;
  }

  public long epochNanos() {
    return epochNanos;
  }

  /** MDC / ThreadContext entries that passed the allow-list; never null. */
  public Map<String, String> context() {
    return context;
  }

  /** The trace id (32 lowercase hex digits) of the application's span active at capture, or null. */
  public String traceId() {
    return traceId;
  }

  /** The span id (16 lowercase hex digits) of the application's span active at capture, or null. */
  public String spanId() {
    return spanId;
  }

  /** The W3C trace flags of that span (1: sampled). */
  public byte traceFlags() {
    return traceFlags;
  }

  @Override
  public String toString() {
    // Never print message or context: they are unscrubbed.
    return "CapturedEvent{" + source + ", severity=" + severityNumber + ", logger=" + loggerName + "}";
  }

  /** Builder for {@link CapturedEvent}; not thread-safe. */
  public static final class Builder {
    private final EventSource source;
    private int severityNumber = 9;
    private String severityText = "INFO";
    private String loggerName;
    private String template;
    private String formattedMessage;
    /** Created by the first {@link #addArgument}: events without arguments allocate nothing for them. */
    private List<String> arguments;
    private Throwable throwable;
    private String threadName;
    private long threadId;
    private long epochNanos;
    /** Created by the first {@link #putContext}: events without context allocate nothing for it. */
    private Map<String, String> context;
    private String traceId;
    private String spanId;
    private byte traceFlags;

    private Builder(EventSource source) {
      this.source = source;
    }

    public Builder severity(int number, String text) {
      this.severityNumber = number;
      this.severityText = text;
      return this;
    }

    public Builder loggerName(String loggerName) {
      this.loggerName = loggerName;
      return this;
    }

    public Builder template(String template) {
      this.template = template;
      return this;
    }

    public Builder formattedMessage(String formattedMessage) {
      this.formattedMessage = formattedMessage;
      return this;
    }

    /** Appends one rendered argument ({@code null} is kept as {@code "null"}, like {@code String.valueOf}). */
    public Builder addArgument(String renderedArgument) {
      if (arguments == null) {
        arguments = new ArrayList<>();
      }
      arguments.add(renderedArgument == null ? "null" : renderedArgument);
      return this;
    }

    public Builder throwable(Throwable throwable) {
      this.throwable = throwable;
      return this;
    }

    public Builder thread(String name, long id) {
      this.threadName = name;
      this.threadId = id;
      return this;
    }

    public Builder epochNanos(long epochNanos) {
      this.epochNanos = epochNanos;
      return this;
    }

    public Builder putContext(String key, String value) {
      if (key != null && value != null) {
        if (context == null) {
          context = new LinkedHashMap<>();
        }
        context.put(key, value);
      }
      return this;
    }

    /** The application's active span, for trace correlation; ignored unless both ids are given. */
    public Builder spanContext(String traceId, String spanId, byte traceFlags) {
      if (traceId != null && spanId != null) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.traceFlags = traceFlags;
      }
      return this;
    }

    /** Whether {@link #spanContext} was given. */
    public boolean hasSpanContext() {
      return traceId != null;
    }

    public CapturedEvent build() {
      return new CapturedEvent(this);
    }
  }
}
