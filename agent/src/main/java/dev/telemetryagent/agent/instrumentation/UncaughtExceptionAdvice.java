package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Thread#dispatchUncaughtException(Throwable)}, which the JVM calls on the dying thread (platform
 * or virtual) before the thread's handler runs. Reports the throwable, then lets the application's handler run as it
 * would without the agent: the capture scope is left before the handler, so what the handler logs is captured as
 * usual. Stateless blueprint: only {@link Dispatch} is called.
 */
public final class UncaughtExceptionAdvice {

  private UncaughtExceptionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable thrown) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && thrown != null) {
        Dispatch.onThrowable(Dispatch.SOURCE_UNCAUGHT, thrown, thread, null);
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
