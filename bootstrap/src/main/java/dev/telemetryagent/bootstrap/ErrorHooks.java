package dev.telemetryagent.bootstrap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * Called from the error paths no appender sees, in {@code java.base} classes. Each method opens and closes its own
 * capture scope (so nothing it causes is captured twice) and is total: a failure is counted with
 * {@link Dispatch#adviceFailed}, never thrown into the host.
 */
public final class ErrorHooks {

  private ErrorHooks() {}

  /**
   * Start of {@code Thread#dispatchUncaughtException(Throwable)}, which the JVM calls on the dying thread (platform
   * or virtual) before the thread's handler runs. The scope is closed before the handler runs, so what the handler
   * logs is captured as usual.
   */
  public static void uncaught(Thread thread, Throwable thrown) {
    report(Dispatch.SOURCE_UNCAUGHT, thrown, thread, null);
  }

  /**
   * Start of {@code Throwable#printStackTrace(PrintStream)} and {@code printStackTrace(PrintWriter)}: reported only
   * when the target is, or wraps, the current {@code System.err} or {@code System.out}; a trace printed into a
   * buffer is the application's own business.
   */
  public static void printStackTrace(Throwable self, Object target) {
    String console = target == null ? null : Dispatch.consoleTarget(target); // total: null when not the console
    if (console != null) {
      report(Dispatch.SOURCE_PRINT_STACK_TRACE, self, Thread.currentThread(), console);
    }
  }

  /**
   * Start of {@code FutureTask#setException(Throwable)}: where the failure of a task run through {@code submit()},
   * {@code invokeAll()} or a scheduled executor goes, including a periodic task that throws and silently stops
   * repeating. Reported when the task fails, whether or not anyone ever calls {@code get()}.
   */
  public static void futureTaskFailed(FutureTask<?> task, Throwable thrown) {
    try {
      if (thrown != null && !task.isDone()) {
        String kind = task instanceof RunnableScheduledFuture
            ? (((RunnableScheduledFuture<?>) task).isPeriodic() ? "periodic" : "scheduled")
            : "future";
        report(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), kind);
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    }
  }

  /**
   * Start of {@code CompletableFuture#completeThrowable(Throwable)} (the one-argument form), which the JDK calls
   * exactly when a stage's own function throws; failures merely propagated to dependent stages use the
   * two-argument form and are not reported again, nor are futures the application completes exceptionally itself.
   */
  public static void completableFutureFailed(CompletableFuture<?> future, Throwable thrown) {
    try {
      if (thrown != null && !future.isDone()) {
        report(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), "completable_future");
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    }
  }

  /**
   * {@code ThreadPoolExecutor#runWorker(Worker)} is leaving by a throw: a task run with {@code execute()} threw
   * (after {@code afterExecute}). Reported while the worker thread is still alive; the uncaught path that follows
   * sees the same instance and does not report it again.
   */
  public static void executeFailed(Throwable thrown) {
    report(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), "execute");
  }

  private static void report(int source, Throwable thrown, Thread thread, String detail) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && thrown != null) {
        Dispatch.onThrowable(source, thrown, thread, detail);
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
