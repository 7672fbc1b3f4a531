package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exception spans' exporter is created at the first export, not when the agent starts (start-up time). */
class LazySpanExporterTest {

  private final Diagnostics diagnostics =
      new Diagnostics(new PrintStream(new ByteArrayOutputStream(), true), System::nanoTime, Duration.ofMinutes(1));

  @Test
  void createdAtTheFirstExportOnlyAndThenUsedForEverything() {
    AtomicInteger created = new AtomicInteger();
    ExceptionSpansTest.Recording delegate = new ExceptionSpansTest.Recording();
    LazySpanExporter lazy = new LazySpanExporter(() -> {
      created.incrementAndGet();
      return delegate;
    }, "test", diagnostics);

    assertThat(lazy.flush().isSuccess()).isTrue();
    assertThat(created).as("flush before any export creates nothing").hasValue(0);

    lazy.export(Collections.emptyList());
    lazy.export(Collections.emptyList());
    lazy.shutdown();

    assertThat(created).hasValue(1);
    assertThat(delegate.exports).isEqualTo(2);
    assertThat(delegate.shutdown).isTrue();
  }

  @Test
  void shutdownBeforeAnyExportCreatesNothingAndAFailedCreationFailsExports() {
    AtomicInteger attempts = new AtomicInteger();
    LazySpanExporter lazy = new LazySpanExporter(() -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("no sender");
    }, "otlp http://x/v1/traces", diagnostics);

    assertThat(lazy.export(Collections.emptyList()).isSuccess()).isFalse();
    assertThat(lazy.export(Collections.emptyList()).isSuccess()).isFalse();
    assertThat(attempts).hasValue(1);
    assertThat(lazy.shutdown().isSuccess()).isTrue();
  }
}
