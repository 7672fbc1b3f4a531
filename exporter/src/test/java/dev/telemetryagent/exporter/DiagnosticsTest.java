package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final Diagnostics diagnostics = new Diagnostics(new PrintStream(out, true, StandardCharsets.UTF_8),
      clock::get, Duration.ofSeconds(60));

  private String[] lines() {
    String s = out.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? new String[0] : s.split("\n");
  }

  @Test
  void linesArePrefixed() {
    diagnostics.warn("something happened");
    assertThat(lines()).containsExactly("[telemetry-agent] something happened");
  }

  @Test
  void atMostOneLinePerKindPerInterval() {
    assertThat(diagnostics.warn("export", "failed 1")).isTrue();
    assertThat(diagnostics.warn("export", "failed 2")).isFalse();
    clock.addAndGet(TimeUnit.SECONDS.toNanos(59));
    assertThat(diagnostics.warn("export", "failed 3")).isFalse();
    assertThat(lines()).containsExactly("[telemetry-agent] failed 1");
  }

  @Test
  void afterTheIntervalTheNextLineCountsWhatWasSuppressed() {
    diagnostics.warn("export", "failed 1");
    diagnostics.warn("export", "failed 2");
    diagnostics.warn("export", "failed 3");
    clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
    diagnostics.warn("export", "failed 4");
    assertThat(lines()).containsExactly("[telemetry-agent] failed 1",
        "[telemetry-agent] failed 4 (2 similar messages suppressed)");
  }

  @Test
  void kindsAreThrottledIndependently() {
    diagnostics.warn("a", "first a");
    diagnostics.warn("b", "first b");
    diagnostics.warn("a", "second a");
    assertThat(lines()).containsExactly("[telemetry-agent] first a", "[telemetry-agent] first b");
  }

  @Test
  void throwablesAreSummarisedWithoutStackTraces() {
    diagnostics.warn("k", "could not write", new java.io.IOException("disk full"));
    assertThat(lines()).containsExactly("[telemetry-agent] could not write: java.io.IOException: disk full");
  }

  @Test
  void neverThrowsEvenIfTheStreamDoes() {
    Diagnostics broken = new Diagnostics(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        throw new IllegalStateException("broken stream");
      }
    }, true, StandardCharsets.UTF_8), System::nanoTime, Duration.ofSeconds(60));
    assertThatCode(() -> broken.warn("x")).doesNotThrowAnyException();
  }

  @Test
  void theSharedInstanceExists() {
    assertThat(Diagnostics.stderr()).isSameAs(Diagnostics.stderr());
  }
}
