package dev.telemetryagent.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;
import java.util.function.Supplier;

/** A {@link LogRecordExporter} created on first use, on the pipeline's worker thread (see {@link LazyDelegate}). */
final class LazyLogRecordExporter implements LogRecordExporter {

  private final LazyDelegate<LogRecordExporter> lazy;

  LazyLogRecordExporter(Supplier<LogRecordExporter> factory, String description, Diagnostics diagnostics) {
    this.lazy = new LazyDelegate<>(factory, description, diagnostics);
  }

  /** Whether the delegate has been created (for tests). */
  boolean isCreated() {
    return lazy.ifCreated() != null;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    LogRecordExporter d = lazy.get();
    return d == null ? CompletableResultCode.ofExceptionalFailure(lazy.failure()) : d.export(logs);
  }

  @Override
  public CompletableResultCode flush() {
    LogRecordExporter d = lazy.ifCreated();
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    LogRecordExporter d = lazy.ifCreated();
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return lazy.toString();
  }
}
