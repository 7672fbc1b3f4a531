package dev.telemetryagent.exporter;

import dev.telemetryagent.bootstrap.Dispatch;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the agent's own threads: daemon, marked as agent threads before running anything, never capturing. */
final class AgentThreads {

  /**
   * {@code Dispatch.markCurrentThreadAsAgent()}, looked up reflectively so this jar works whether that method
   * returns {@code void} (the first bootstrap) or the thread's previous state (later ones): a direct call compiled
   * against one would fail to link against the other, and the agent would silently capture itself.
   */
  private static final Method MARK = lookupMark();

  private AgentThreads() {}

  private static Method lookupMark() {
    try {
      return Dispatch.class.getMethod("markCurrentThreadAsAgent");
    } catch (Throwable t) {
      return null;
    }
  }

  /** Marks the calling thread as agent-owned in {@link Dispatch}; never throws. */
  static void markCurrentThread() {
    try {
      if (MARK != null) {
        MARK.invoke(null);
      }
    } catch (Throwable t) {
      // Dispatch missing or broken (should not happen in the agent): nothing to mark.
    }
  }

  /** An unstarted daemon thread that marks itself as agent-owned first thing. */
  static Thread newThread(String name, Runnable body, Diagnostics diagnostics) {
    Runnable marked = () -> {
      markCurrentThread();
      body.run();
    };
    Thread t = new Thread(marked, name);
    t.setDaemon(true);
    // Do not pin (and leak) whatever context class loader the creating application thread had.
    t.setContextClassLoader(AgentThreads.class.getClassLoader());
    t.setUncaughtExceptionHandler((thread, error) ->
        diagnostics.warn("uncaught|" + thread.getName(), "unexpected error on thread " + thread.getName(), error));
    return t;
  }

  /** A thread factory producing {@link #newThread} threads named {@code prefix + n}. */
  static ThreadFactory factory(String prefix, Diagnostics diagnostics) {
    AtomicInteger counter = new AtomicInteger();
    return r -> newThread(prefix + counter.incrementAndGet(), r, diagnostics);
  }
}
