package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyLogRecordExporterTest {

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Diagnostics diagnostics =
      new Diagnostics(new PrintStream(err, true), System::nanoTime, Duration.ofMinutes(1));

  @Test
  void nothingIsCreatedUntilTheFirstExport() {
    AtomicInteger created = new AtomicInteger();
    LazyLogRecordExporter lazy = new LazyLogRecordExporter(() -> {
      created.incrementAndGet();
      return new Collecting();
    }, "test", diagnostics);

    assertThat(lazy.flush().isSuccess()).isTrue();
    assertThat(created).hasValue(0);

    lazy.export(Collections.emptyList());
    lazy.export(Collections.emptyList());
    assertThat(created).hasValue(1);
    assertThat(lazy.isCreated()).isTrue();
  }

  @Test
  void exportsAndShutdownReachTheDelegateOnceCreated() {
    Collecting delegate = new Collecting();
    LazyLogRecordExporter lazy = new LazyLogRecordExporter(() -> delegate, "test", diagnostics);

    lazy.export(Collections.emptyList());
    lazy.shutdown();

    assertThat(delegate.exports).isEqualTo(1);
    assertThat(delegate.shutdown).isTrue();
  }

  @Test
  void shutdownBeforeAnyExportCreatesNothing() {
    AtomicInteger created = new AtomicInteger();
    LazyLogRecordExporter lazy = new LazyLogRecordExporter(() -> {
      created.incrementAndGet();
      return new Collecting();
    }, "test", diagnostics);

    assertThat(lazy.shutdown().isSuccess()).isTrue();
    assertThat(created).hasValue(0);
  }

  @Test
  void aFailedCreationFailsEveryExportAndIsReportedOnce() {
    AtomicInteger attempts = new AtomicInteger();
    LazyLogRecordExporter lazy = new LazyLogRecordExporter(() -> {
      attempts.incrementAndGet();
      throw new IllegalArgumentException("bad endpoint");
    }, "otlp http://x", diagnostics);

    CompletableResultCode first = lazy.export(Collections.emptyList());
    CompletableResultCode second = lazy.export(Collections.emptyList());

    assertThat(first.isSuccess()).isFalse();
    assertThat(second.isSuccess()).isFalse();
    assertThat(attempts).hasValue(1);
    String printed = new String(err.toByteArray(), StandardCharsets.UTF_8);
    assertThat(printed).contains("cannot create the exporter for otlp http://x").contains("bad endpoint");
  }

  private static final class Collecting implements LogRecordExporter {
    int exports;
    boolean shutdown;
    final List<LogRecordData> records = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      exports++;
      records.addAll(logs);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdown = true;
      return CompletableResultCode.ofSuccess();
    }
  }
}
