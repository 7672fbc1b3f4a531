package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code FutureTask#setException(Throwable)}: where the failure of a task run through {@code submit()},
 * {@code invokeAll()} or a scheduled executor goes, including a periodic task that throws and silently stops
 * repeating ({@code runAndReset}). Reported when the task fails, whether or not anyone ever calls {@code get()}.
 * Stateless blueprint: only {@link Dispatch} is called.
 */
public final class FutureTaskSetExceptionAdvice {

  private FutureTaskSetExceptionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This FutureTask<?> task, @Advice.Argument(0) Throwable thrown) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && thrown != null && !task.isDone()) {
        String kind = task instanceof RunnableScheduledFuture
            ? (((RunnableScheduledFuture<?>) task).isPeriodic() ? "periodic" : "scheduled")
            : "future";
        Dispatch.onThrowable(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), kind);
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
