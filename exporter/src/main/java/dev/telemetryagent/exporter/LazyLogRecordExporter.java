package dev.telemetryagent.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Creates its delegate on first use, on the pipeline's worker thread. Building the OTLP exporter (the JDK HTTP
 * client and its machinery) is most of the pipeline's start-up cost; deferring it keeps it off {@code premain},
 * and so off the application's start-up. If creation fails, every export fails (and is counted by the pipeline)
 * with the reason reported once.
 */
final class LazyLogRecordExporter implements LogRecordExporter {

  private final Supplier<LogRecordExporter> factory;
  private final String description;
  private final Diagnostics diagnostics;
  private volatile LogRecordExporter delegate;
  private volatile RuntimeException creationFailure;

  LazyLogRecordExporter(Supplier<LogRecordExporter> factory, String description, Diagnostics diagnostics) {
    this.factory = factory;
    this.description = description;
    this.diagnostics = diagnostics;
  }

  private synchronized LogRecordExporter delegate() {
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

  /** Whether the delegate has been created (for tests). */
  boolean isCreated() {
    return delegate != null;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    LogRecordExporter d = delegate();
    return d == null ? CompletableResultCode.ofExceptionalFailure(creationFailure) : d.export(logs);
  }

  @Override
  public CompletableResultCode flush() {
    LogRecordExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    LogRecordExporter d = delegate;
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return description;
  }
}
