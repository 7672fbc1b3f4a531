package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code ThreadPoolExecutor#runWorker(Worker)}, which ends by throwing when a task run with
 * {@code execute()} throws (after {@code afterExecute}, whatever a subclass made of that hook). Reports the
 * throwable as an executor failure while the worker thread is still alive; the uncaught path that follows sees the
 * same instance and does not report it again. Stateless blueprint: only {@link Dispatch} is called.
 */
public final class ExecuteFailureAdvice {

  private ExecuteFailureAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(@Advice.Thrown Throwable thrown) {
    if (thrown == null) {
      return;
    }
    boolean capture = Dispatch.enter();
    try {
      if (capture) {
        Dispatch.onThrowable(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), "execute");
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
