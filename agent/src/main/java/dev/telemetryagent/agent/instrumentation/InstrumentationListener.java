package dev.telemetryagent.agent.instrumentation;

import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Counts an instrumentation's transformations and errors, and reports each error once on stderr (each transformed
 * class too, in debug mode). One per instrumentation; its counts feed {@code status} and the MXBean.
 */
final class InstrumentationListener extends AgentBuilder.Listener.Adapter {

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

  @Override
  public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
      boolean loaded, DynamicType dynamicType) {
    transformed.incrementAndGet();
    if (debug) {
      System.err.println("[telemetry-agent] instrumented " + typeDescription.getName()
          + (loaded ? " (retransformed)" : ""));
    }
  }

  @Override
  public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
      Throwable throwable) {
    failed(typeName, throwable);
  }
}
