package dev.telemetryagent.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/** A {@link SpanExporter} created on first use, on the spans worker thread (see {@link LazyDelegate}). */
final class LazySpanExporter implements SpanExporter {

  private final LazyDelegate<SpanExporter> lazy;

  LazySpanExporter(Supplier<SpanExporter> factory, String description, Diagnostics diagnostics) {
    this.lazy = new LazyDelegate<>(factory, description, diagnostics);
  }

  /** Whether the delegate has been created (for tests). */
  boolean isCreated() {
    return lazy.ifCreated() != null;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    SpanExporter d = lazy.get();
    return d == null ? CompletableResultCode.ofExceptionalFailure(lazy.failure()) : d.export(spans);
  }

  @Override
  public CompletableResultCode flush() {
    SpanExporter d = lazy.ifCreated();
    return d == null ? CompletableResultCode.ofSuccess() : d.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter d = lazy.ifCreated();
    return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
  }

  @Override
  public String toString() {
    return lazy.toString();
  }
}
