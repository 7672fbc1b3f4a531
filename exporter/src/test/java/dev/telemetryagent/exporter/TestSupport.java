package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Shared helpers: events, settings, and the accounting invariant checked after every scenario. */
final class TestSupport {

  static final Duration WAIT = Duration.ofSeconds(10);

  private TestSupport() {}

  static CapturedEvent.Builder event(String message) {
    return CapturedEvent.builder(EventSource.LOGBACK)
        .severity(13, "WARN")
        .loggerName("com.example.Orders")
        .formattedMessage(message)
        .thread("worker-1", 42)
        .epochNanos(1_700_000_000_123_456_789L);
  }

  static PipelineSettings.Builder settings() {
    return PipelineSettings.builder()
        .serviceName("orders")
        .exportInterval(Duration.ofMillis(50))
        .shutdownTimeout(Duration.ofSeconds(5))
        // The mechanics of queue and export, without folding or budget (DedupePipelineTest covers those).
        .dedupeEnabled(false)
        .rateLimitEventsPerSecond(0)
        .diagnostics(quietDiagnostics());
  }

  static Diagnostics quietDiagnostics() {
    return new Diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        System::nanoTime, Duration.ofSeconds(60));
  }

  /** submitted == exported + folded + dropped + pending, pending >= 0. */
  static PipelineStats assertInvariant(PipelineStats stats) {
    assertThat(stats.pending()).as("pending in %s", stats).isGreaterThanOrEqualTo(0);
    assertThat(stats.submitted()).as("invariant in %s", stats)
        .isEqualTo(stats.exported() + stats.folded() + stats.droppedTotal() + stats.pending());
    assertThat(stats.invariantHolds()).isTrue();
    return stats;
  }

  /** The invariant, with nothing pending anywhere. */
  static PipelineStats assertSettled(PipelineStats stats) {
    assertInvariant(stats);
    assertThat(stats.pending()).as("pending in %s", stats).isZero();
    assertThat(stats.queueSize()).as("queue in %s", stats).isZero();
    assertThat(stats.inFlight()).as("in flight in %s", stats).isZero();
    return stats;
  }
}
