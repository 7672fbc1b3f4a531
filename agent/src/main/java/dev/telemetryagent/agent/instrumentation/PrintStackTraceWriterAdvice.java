package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.io.PrintWriter;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Throwable#printStackTrace(PrintWriter)}. Reports the throwable only when the writer was made
 * from the current {@code System.err} or {@code System.out} ({@code new PrintWriter(System.err)}): a trace printed
 * into a {@code StringWriter} is the application's own business. Stateless blueprint: only {@link Dispatch} is
 * called.
 */
public final class PrintStackTraceWriterAdvice {

  private PrintStackTraceWriterAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Throwable self, @Advice.Argument(0) PrintWriter writer) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && writer != null) {
        String target = Dispatch.consoleTarget(writer);
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
