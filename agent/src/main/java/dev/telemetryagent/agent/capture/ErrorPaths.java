package dev.telemetryagent.agent.capture;

import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.EventSource;
import dev.telemetryagent.exporter.ExceptionSpans;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The capture side of the error paths no appender sees (uncaught exceptions, {@code printStackTrace} to the console,
 * failed executor work): which paths are on, the "already reported" memory shared by all of them, and the event
 * each one becomes. Runs on the application thread that failed: it only reads the thread's name and id and hands
 * one immutable event to the pipeline's queue (never blocks); rendering happens on the export worker.
 */
final class ErrorPaths {

  static final ErrorPaths NONE = new ErrorPaths(false, false, false);

  /** Attribute (carried as a context entry) naming how an executor task failed: execute, future, ... */
  static final String EXECUTOR_TASK_KIND = "telemetry.agent.executor.task";
  /** Attribute naming where printStackTrace wrote: stderr or stdout. */
  static final String PRINT_TARGET = "telemetry.agent.print.target";

  /** How many distinct reported throwables are remembered for de-duplication. */
  static final int MEMORY = 256;

  private final boolean uncaught;
  private final boolean printStackTrace;
  private final boolean executor;
  private final ReportedThrowables reported = new ReportedThrowables(MEMORY);

  ErrorPaths(boolean uncaught, boolean printStackTrace, boolean executor) {
    this.uncaught = uncaught;
    this.printStackTrace = printStackTrace;
    this.executor = executor;
  }

  boolean enabled(EventSource source) {
    switch (source) {
      case UNCAUGHT:
        return uncaught;
      case PRINT_STACK_TRACE:
        return printStackTrace;
      case EXECUTOR:
        return executor;
      default:
        return false;
    }
  }

  static void onThrowable(CaptureSink sink, int sourceCode, Throwable thrown, Thread thread, String detail) {
    EventSource source = CaptureSink.source(sourceCode);
    ErrorPaths paths = sink.errorPaths;
    if (source == null || thrown == null || !paths.enabled(source)) {
      return;
    }
    if (!paths.reported.firstReport(thrown)) {
      return; // the same exception, already exported from another path (or earlier on this one)
    }
    Thread t = thread != null ? thread : Thread.currentThread();
    boolean fatal = source == EventSource.UNCAUGHT && isMainThread(t);
    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; we run on 11+
    long threadId = t.getId();
    CapturedEvent.Builder b = CapturedEvent.builder(source)
        .severity(fatal ? Severity.FATAL : Severity.ERROR, fatal ? "FATAL" : "ERROR")
        .throwable(thrown)
        .thread(t.getName(), threadId)
        .epochNanos(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()));
    if (detail != null) {
      if (source == EventSource.EXECUTOR) {
        b.putContext(EXECUTOR_TASK_KIND, detail);
      } else if (source == EventSource.PRINT_STACK_TRACE) {
        b.putContext(PRINT_TARGET, detail);
      }
    }
    if (t == Thread.currentThread()) {
      sink.correlate(b, thrown, true, source);
    }
    Consumer<CapturedEvent> spans = sink.exceptionSpans;
    boolean ownSpan = spans != null && source != EventSource.PRINT_STACK_TRACE && !b.hasSpanContext();
    if (ownSpan) {
      // Outside any application span: a span of our own, whose ids the log record carries.
      b.spanContext(ExceptionSpans.newTraceId(), ExceptionSpans.newSpanId(), (byte) 1);
    }
    CapturedEvent event = b.build();
    sink.emit(source, event);
    if (ownSpan) {
      spans.accept(event);
    }
  }

  /** The thread the JVM started {@code main} on: named "main", in the "main" thread group, not a daemon. */
  static boolean isMainThread(Thread t) {
    if (!"main".equals(t.getName()) || t.isDaemon()) {
      return false;
    }
    ThreadGroup g = t.getThreadGroup(); // null once terminated
    return g == null || "main".equals(g.getName());
  }
}
