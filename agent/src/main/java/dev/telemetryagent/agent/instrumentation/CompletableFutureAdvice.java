package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code CompletableFuture#completeThrowable(Throwable)} (the one-argument form), which the JDK calls
 * exactly when a stage's own function throws ({@code supplyAsync}, {@code runAsync}, {@code thenApply}, ...);
 * failures merely propagated to dependent stages use the two-argument form and are not reported again, nor are
 * futures the application completes exceptionally itself. Stateless blueprint: only {@link Dispatch} is called.
 */
public final class CompletableFutureAdvice {

  private CompletableFutureAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This CompletableFuture<?> future, @Advice.Argument(0) Throwable thrown) {
    boolean capture = Dispatch.enter();
    try {
      if (capture && thrown != null && !future.isDone()) {
        Dispatch.onThrowable(Dispatch.SOURCE_EXECUTOR, thrown, Thread.currentThread(), "completable_future");
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    } finally {
      Dispatch.exit();
    }
  }
}
