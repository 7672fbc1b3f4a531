package dev.telemetryagent.exporter;

import dev.telemetryagent.bootstrap.Dispatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates the agent's own threads: daemon, marked as agent threads before running anything, never capturing. */
final class AgentThreads {

  private AgentThreads() {}

  /**
   * Marks the calling thread as agent-owned in {@link Dispatch}. The bootstrap and exporter classes ship in the same
   * agent jar, built together, so the call links; it cannot throw.
   */
  static void markCurrentThread() {
    Dispatch.markCurrentThreadAsAgent();
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
