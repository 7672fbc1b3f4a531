package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.io.PrintStream;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Throwable#printStackTrace(PrintStream)} (which {@code printStackTrace()} calls with
 * {@code System.err}). Reports the throwable only when the stream is the current {@code System.err} or
 * {@code System.out}: a trace printed into a buffer is the application's own business. Stateless blueprint: only
 * {@link Dispatch} is called.
 */
public final class PrintStackTraceAdvice {

  private PrintStackTraceAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Throwable self, @Advice.Argument(0) PrintStream stream) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && stream != null) {
        String target = stream == System.err ? "stderr" : stream == System.out ? "stdout" : null;
        if (target != null) {
          Dispatch.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, self, Thread.currentThread(), target);
        }
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
