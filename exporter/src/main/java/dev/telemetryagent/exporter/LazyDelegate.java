package dev.telemetryagent.exporter;

import java.util.function.Supplier;

/**
 * An exporter created on first use, on the worker thread that exports. Building an OTLP exporter (the JDK HTTP
 * client and its machinery, a few hundred classes) is most of the cost of starting a pipeline; deferring it keeps
 * it off {@code premain}, and so off the application's start-up. If creation fails, it is reported once and every
 * export fails with that reason (and is counted by the pipeline).
 */
final class LazyDelegate<T> {

  private final Supplier<T> factory;
  private final String description;
  private final Diagnostics diagnostics;
  private volatile T delegate;
  private volatile RuntimeException creationFailure;

  LazyDelegate(Supplier<T> factory, String description, Diagnostics diagnostics) {
    this.factory = factory;
    this.description = description;
    this.diagnostics = diagnostics;
  }

  /** The delegate, created now if needed; null when creation failed ({@link #failure()} says why). */
  synchronized T get() {
    if (delegate == null && creationFailure == null) {
      try {
        delegate = factory.get();
      } catch (RuntimeException e) {
        creationFailure = e;
        diagnostics.warn("exporter-create", "cannot create the exporter for " + description + ": " + e);
      }
    }
    return delegate;
  }

  /** The delegate if it was created, else null; never creates it (flush and shutdown of an unused exporter). */
  T ifCreated() {
    return delegate;
  }

  RuntimeException failure() {
    return creationFailure;
  }

  @Override
  public String toString() {
    return description;
  }
}
