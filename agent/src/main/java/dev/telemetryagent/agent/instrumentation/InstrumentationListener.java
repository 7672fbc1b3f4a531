package dev.telemetryagent.agent.instrumentation;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts an instrumentation's transformations and errors, and reports each error once on stderr (each transformed
 * class too, in debug mode). One per instrumentation; its counts feed {@code status} and the MXBean.
 */
final class InstrumentationListener {

  private final AtomicLong transformed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile String lastError;
  private volatile boolean debug;

  /** Whether each transformed class is reported on stderr. */
  void debug(boolean debug) {
    this.debug = debug;
  }

  long transformedCount() {
    return transformed.get();
  }

  long errorCount() {
    return errors.get();
  }

  String lastError() {
    return lastError;
  }

  /** Counts and reports a failure to instrument {@code what}. */
  void failed(Object what, Throwable throwable) {
    errors.incrementAndGet();
    lastError = what + ": " + throwable;
    System.err.println("[telemetry-agent] could not instrument " + what + ": " + throwable);
  }

  void transformed(String className, boolean retransformed) {
    transformed.incrementAndGet();
    if (debug) {
      System.err.println("[telemetry-agent] instrumented " + className + (retransformed ? " (retransformed)" : ""));
    }
  }

  /** A class with the right name but none of the expected methods (another library, or an unsupported version). */
  void nothingMatched(String className) {
    if (debug) {
      System.err.println("[telemetry-agent] " + className + " has none of the instrumented methods; left as is");
    }
  }
}
