package dev.telemetryagent.agent.capture;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.EventGate;
import dev.telemetryagent.exporter.EventSource;
import java.text.MessageFormat;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The agent's side of {@link Dispatch}: turns what advice hands over into {@link CapturedEvent}s. Runs on
 * application threads, so it is total and cheap: the level check comes first, formatting only for what is kept.
 */
public final class CaptureSink implements Dispatch.Sink {

  /** Loggers of the agent's own (relocated) code are never captured, whatever thread they log on. */
  private static final String OWN_LOGGER_PREFIX = "dev.telemetryagent.";
  private static final int MAX_ARGUMENTS = 32;
  private static final int MAX_ARGUMENT_CHARS = 1024;

  private final int[] thresholds = new int[EventSource.values().length];
  private final Set<String> contextKeys;
  private final boolean captureArguments;
  private final EventGate downstream;
  private final LongAdder[] captured = new LongAdder[EventSource.values().length];

  /**
   * A sink that does not capture message arguments.
   *
   * @param thresholds per source, the lowest severity number captured ({@link Severity#OFF} for none)
   * @param contextKeys MDC / ThreadContext keys to keep (empty: none)
   * @param downstream receives each captured event; must not block
   */
  public CaptureSink(Map<EventSource, Integer> thresholds, Collection<String> contextKeys,
      Consumer<CapturedEvent> downstream) {
    this(thresholds, contextKeys, false, EventGate.passThrough(downstream));
  }

  /**
   * @param thresholds per source, the lowest severity number captured ({@link Severity#OFF} for none)
   * @param contextKeys MDC / ThreadContext keys to keep (empty: none)
   * @param captureArguments whether each log call's message arguments are rendered (with {@code String.valueOf},
   *     on the application thread) into {@link CapturedEvent#arguments()}; when false they are not touched at all
   * @param downstream admits log calls before they are built (dedupe, budget) and receives each event; must not
   *     block
   */
  public CaptureSink(Map<EventSource, Integer> thresholds, Collection<String> contextKeys, boolean captureArguments,
      EventGate downstream) {
    for (EventSource s : EventSource.values()) {
      this.thresholds[s.ordinal()] = thresholds.getOrDefault(s, Severity.INFO);
      this.captured[s.ordinal()] = new LongAdder();
    }
    this.contextKeys = new HashSet<>(contextKeys);
    this.captureArguments = captureArguments;
    this.downstream = downstream;
  }

  /** Whether advice should hand over MDC / ThreadContext maps at all. */
  public boolean wantsContext() {
    return !contextKeys.isEmpty();
  }

  /** Events captured so far from this source. */
  public long captured(EventSource source) {
    return captured[source.ordinal()].sum();
  }

  static EventSource source(int code) {
    switch (code) {
      case Dispatch.SOURCE_JUL:
        return EventSource.JUL;
      case Dispatch.SOURCE_LOG4J:
        return EventSource.LOG4J;
      case Dispatch.SOURCE_LOGBACK:
        return EventSource.LOGBACK;
      case Dispatch.SOURCE_UNCAUGHT:
        return EventSource.UNCAUGHT;
      case Dispatch.SOURCE_PRINT_STACK_TRACE:
        return EventSource.PRINT_STACK_TRACE;
      case Dispatch.SOURCE_EXECUTOR:
        return EventSource.EXECUTOR;
      default:
        return null;
    }
  }

  @Override
  public Object beginLog(int sourceCode, int frameworkLevel, String levelName, String loggerName, String template,
      Throwable thrown) {
    EventSource source = source(sourceCode);
    if (source == null) {
      return null;
    }
    int severity = Severity.of(source, frameworkLevel);
    if (severity < thresholds[source.ordinal()]) {
      return null;
    }
    if (loggerName != null && loggerName.startsWith(OWN_LOGGER_PREFIX)) {
      return null;
    }
    // A repeat folded into a rollup (or shed by the budget) ends here, counted, before anything is formatted.
    Object ticket = downstream.admitLog(source, severity, loggerName, template, thrown);
    if (ticket == null) {
      captured[source.ordinal()].increment();
      return null;
    }
    Thread t = Thread.currentThread();
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; we run on 11+
    long threadId = t.getId();
    CapturedEvent.Builder builder = CapturedEvent.builder(source)
        .severity(severity, levelName)
        .loggerName(loggerName)
        .template(template)
        .throwable(thrown)
        .thread(t.getName(), threadId);
    return new Pending(builder, source, template, thrown, severity, ticket);
  }

  /** What {@link #beginLog} hands back to advice and advice hands to {@link #completeLog}. */
  private static final class Pending {
    final CapturedEvent.Builder builder;
    final EventSource source;
    final String template;
    final Throwable thrown;
    final int severity;
    final Object ticket;

    Pending(CapturedEvent.Builder builder, EventSource source, String template, Throwable thrown, int severity,
        Object ticket) {
      this.ticket = ticket;
      this.builder = builder;
      this.source = source;
      this.template = template;
      this.thrown = thrown;
      this.severity = severity;
    }
  }

  @Override
  public void completeLog(Object handle, String formattedMessage, Object[] args, Map<?, ?> context,
      long epochMillis) {
    if (!(handle instanceof Pending)) {
      return;
    }
    Pending pending = (Pending) handle;
    CapturedEvent.Builder b = pending.builder;
    String message = formattedMessage != null ? formattedMessage
        : pending.source == EventSource.JUL ? formatJul(pending.template, args) : pending.template;
    b.formattedMessage(message);
    if (captureArguments && args != null) {
      addArguments(b, args, pending.thrown);
    }
    if (context != null && !contextKeys.isEmpty()) {
      for (String key : contextKeys) {
        Object v = context.get(key);
        if (v != null) {
          b.putContext(key, String.valueOf(v));
        }
      }
    }
    long millis = epochMillis > 0 ? epochMillis : System.currentTimeMillis();
    b.epochNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    correlate(b, pending.thrown, pending.severity >= Severity.ERROR, pending.source);
    captured[pending.source.ordinal()].increment();
    downstream.submit(b.build(), pending.ticket);
  }

  @Override
  public void onThrowable(int sourceCode, Throwable thrown, Thread thread, String detail) {
    ErrorPaths.onThrowable(this, sourceCode, thrown, thread, detail);
  }

  /**
   * Switches the error paths no appender sees on or off (all off until called). Called once by the installer before
   * the advice is installed.
   */
  public void errorPaths(boolean uncaught, boolean printStackTrace, boolean executor) {
    errorPaths = new ErrorPaths(uncaught, printStackTrace, executor);
  }

  volatile ErrorPaths errorPaths = ErrorPaths.NONE;

  private volatile AppTracing tracing;

  volatile Consumer<CapturedEvent> exceptionSpans;

  /**
   * Failures outside any application span (executor tasks, uncaught) also go to {@code spans} as spans of their own;
   * must not block. Called once by the installer.
   */
  public void exceptionSpans(Consumer<CapturedEvent> spans) {
    exceptionSpans = spans;
  }

  /**
   * Switches trace correlation on: records carry the application's active span, and exceptions become events on it
   * (docs/errors.md). Called once by the installer.
   *
   * @param spanEvents whether exceptions are added to the active span as events (and set its status to ERROR)
   */
  public void traceCorrelation(boolean spanEvents, dev.telemetryagent.exporter.Redactor redactor,
      dev.telemetryagent.exporter.StackTraceRenderer renderer) {
    tracing = new AppTracing(spanEvents, redactor, renderer);
  }

  /** Adds the active application span to the event and, for an exception, records it on that span. */
  void correlate(CapturedEvent.Builder b, Throwable thrown, boolean error, EventSource source) {
    AppTracing t = tracing;
    if (t == null) {
      return;
    }
    AppTracing.Active active = t.current(Thread.currentThread());
    if (active != null) {
      b.spanContext(active.traceId, active.spanId, active.traceFlags);
      t.recordException(active, thrown, error, source.attributeValue());
    }
  }

  void emit(EventSource source, CapturedEvent event) {
    captured[source.ordinal()].increment();
    downstream.submit(event, null);
  }

  /**
   * Formats a java.util.logging message the way {@code java.util.logging.Formatter#formatMessage} does: with
   * {@link MessageFormat} when there are parameters and the message refers to one of the first four, else as is.
   */
  static String formatJul(String message, Object[] params) {
    if (message == null || params == null || params.length == 0) {
      return message;
    }
    if (message.contains("{0") || message.contains("{1") || message.contains("{2") || message.contains("{3")) {
      try {
        return MessageFormat.format(message, params);
      } catch (RuntimeException e) {
        return message;
      }
    }
    return message;
  }

  /**
   * Renders the first {@link #MAX_ARGUMENTS} arguments. A trailing argument that is the call's Throwable itself is
   * left out, as Logback already does (Log4j keeps it among the parameters): it is exported as {@code exception.*}.
   */
  private static void addArguments(CapturedEvent.Builder b, Object[] args, Throwable thrown) {
    int n = args.length;
    if (thrown != null && n > 0 && args[n - 1] == thrown) {
      n--;
    }
    for (int i = 0; i < n && i < MAX_ARGUMENTS; i++) {
      b.addArgument(render(args[i]));
    }
  }

  /** {@code String.valueOf(arg)}, at most {@link #MAX_ARGUMENT_CHARS} long; never throws, never null. */
  private static String render(Object arg) {
    String s;
    try {
      s = String.valueOf(arg);
    } catch (RuntimeException | LinkageError e) {
      s = arg == null ? "null" : arg.getClass().getName() + " (toString failed)";
    }
    if (s == null) {
      s = "null"; // a toString() that returns null
    }
    return s.length() > MAX_ARGUMENT_CHARS ? s.substring(0, MAX_ARGUMENT_CHARS) : s;
  }
}
