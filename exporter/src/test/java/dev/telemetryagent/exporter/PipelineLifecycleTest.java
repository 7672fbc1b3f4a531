package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertInvariant;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineLifecycleTest {

  private final RecordingExporter exporter = new RecordingExporter();
  private TelemetryPipeline pipeline;

  @AfterEach
  void close() {
    CountDownLatch gate = exporter.gate;
    if (gate != null) {
      gate.countDown();
    }
    if (pipeline != null) {
      pipeline.close();
      assertSettled(pipeline.stats());
    }
  }

  @Test
  void workerIsANamedDaemonMarkedAsAgentThread() {
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    Thread worker = exporter.threads.get(0);
    assertThat(worker.getName()).isEqualTo("telemetry-agent-export");
    assertThat(worker.isDaemon()).isTrue();
    assertThat(exporter.agentMarked).containsOnly(true);
  }

  @Test
  void exportsAtTheIntervalWithoutAFlush() {
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofMillis(20)).build(), exporter);
    pipeline.submit(event("m").build());
    await().atMost(WAIT).until(() -> exporter.recordCount() == 1);
    assertThat(pipeline.stats().lastExportSuccessEpochMillis()).isPositive();
  }

  @Test
  void exportsAsSoonAsABatchIsFullEvenWithALongInterval() {
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofHours(1)).batchSize(10).build(),
        exporter);
    for (int i = 0; i < 10; i++) {
      pipeline.submit(event("m" + i).build());
    }
    await().atMost(WAIT).until(() -> exporter.recordCount() == 10);
    assertThat(exporter.batches).hasSize(1);
  }

  @Test
  void batchesNeverExceedTheBatchSize() {
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofHours(1)).batchSize(7).build(),
        exporter);
    for (int i = 0; i < 50; i++) {
      pipeline.submit(event("m" + i).build());
    }
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(exporter.recordCount()).isEqualTo(50);
    assertThat(exporter.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(7));
    assertThat(exporter.bodies()).first().isEqualTo("m0");
    assertThat(exporter.bodies()).last().isEqualTo("m49");
  }

  @Test
  void flushTimesOutWhileTheExporterIsStuck() {
    exporter.gate = new CountDownLatch(1);
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(Duration.ofMillis(100))).isFalse();
    assertInvariant(pipeline.stats());
    assertThat(pipeline.stats().pending()).isEqualTo(1);
  }

  @Test
  void shutdownDrainsWhatIsQueued() {
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofHours(1)).build(), exporter);
    for (int i = 0; i < 100; i++) {
      pipeline.submit(event("m" + i).build());
    }
    assertThat(pipeline.shutdown(WAIT)).isTrue();
    assertThat(exporter.recordCount()).isEqualTo(100);
    assertThat(exporter.shutdownCalled).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isEqualTo(100);
  }

  @Test
  void zeroShutdownTimeoutCountsWhatIsPendingAsDropped() {
    exporter.gate = new CountDownLatch(1);
    pipeline = TelemetryPipeline.start(settings().shutdownTimeout(Duration.ZERO).exportInterval(Duration.ofMillis(5))
        .build(), exporter);
    for (int i = 0; i < 10; i++) {
      pipeline.submit(event("m" + i).build());
    }
    await().atMost(WAIT).until(() -> exporter.entered.getCount() == 0);
    long start = System.nanoTime();
    pipeline.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(10);
  }

  @Test
  void submitAfterShutdownIsCountedAsAShutdownDrop() {
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.close();
    pipeline.submit(event("late").build());
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.submitted()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
    assertThat(pipeline.isShutdown()).isTrue();
  }

  @Test
  void shutdownWithAnExporterBlockedForeverReturnsInTime() {
    exporter.gate = new CountDownLatch(1);
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofMillis(10)).build(), exporter);
    for (int i = 0; i < 20; i++) {
      pipeline.submit(event("m" + i).build());
    }
    await().atMost(WAIT).until(() -> exporter.entered.getCount() == 0);
    long start = System.nanoTime();
    boolean clean = pipeline.shutdown(Duration.ofMillis(300));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(clean).isFalse();
    assertThat(tookMillis).isLessThan(2000);
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(20);
    assertThat(stats.exported()).isZero();

    // The stuck export completing later must not count twice.
    exporter.gate.countDown();
    await().atMost(WAIT).until(() -> exporter.batches.size() >= 1);
    assertSettled(pipeline.stats());
    assertThat(pipeline.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(20);
    assertThat(pipeline.stats().exported()).isZero();
  }

  @Test
  void shutdownWithAnExportThatNeverCompletesReturnsInTime() {
    exporter.result = logs -> new CompletableResultCode(); // never completes
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofHours(1)).build(), exporter);
    for (int i = 0; i < 5; i++) {
      pipeline.submit(event("m" + i).build());
    }
    long start = System.nanoTime();
    boolean clean = pipeline.shutdown(Duration.ofMillis(300));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    assertThat(clean).isFalse();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(5);
  }

  @Test
  void givingUpOnTheWorkerAccountsForEverythingItHolds() {
    // Shutdown with no time at all races the worker as it takes events from the queue: every event must be
    // counted at once, whether it was still queued or already taken.
    for (int round = 0; round < 200; round++) {
      RecordingExporter stuck = new RecordingExporter();
      stuck.result = logs -> new CompletableResultCode();
      TelemetryPipeline p = TelemetryPipeline.start(settings().queueCapacity(512).batchSize(8)
          .exportInterval(Duration.ofMillis(1)).build(), stuck);
      for (int i = 0; i < 300; i++) {
        p.submit(event("m").build());
      }
      p.shutdown(Duration.ZERO);
      PipelineStats stats = assertSettled(p.stats());
      assertThat(stats.submitted()).isEqualTo(300);
    }
  }

  @Test
  void exporterFailureCountsExportFailed() {
    exporter.result = logs -> CompletableResultCode.ofExceptionalFailure(new java.io.IOException("backend said no"));
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("a").build());
    pipeline.submit(event("b").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(2);
    assertThat(stats.exported()).isZero();
    assertThat(stats.lastError()).contains("backend said no");
    assertThat(stats.lastExportSuccessEpochMillis()).isZero();
  }

  @Test
  void exporterThrowingCountsExportFailed() {
    exporter.result = logs -> {
      throw new IllegalStateException("exporter bug");
    };
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("a").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
    assertThat(stats.lastError()).contains("exporter bug");
  }

  @Test
  void exportingRecoversAfterFailures() {
    AtomicBoolean failing = new AtomicBoolean(true);
    exporter.result = logs -> failing.get() ? CompletableResultCode.ofFailure() : CompletableResultCode.ofSuccess();
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("lost").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    failing.set(false);
    pipeline.submit(event("kept").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
  }

  @Test
  void closeIsIdempotent() {
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("a").build());
    assertThat(pipeline.isShutdown()).isFalse();
    pipeline.close();
    pipeline.close();
    assertThat(pipeline.shutdown(Duration.ofMillis(10))).isTrue();
    assertThat(pipeline.shutdown(null)).isTrue();
    assertThat(pipeline.stats().exported()).isEqualTo(1);
  }

  @Test
  void nullIsIgnored() {
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(null);
    assertThat(pipeline.stats().submitted()).isZero();
  }

  @Test
  void disabledSdkMakesANoOpPipeline() {
    TelemetryPipeline disabled = TelemetryPipeline.start(settings().sdkDisabled(true).build());
    disabled.submit(event("m").build());
    assertThat(disabled.isEnabled()).isFalse();
    assertThat(disabled.destination()).isEqualTo("disabled");
    assertThat(disabled.flush(WAIT)).isTrue();
    assertThat(disabled.stats().asMap().values()).containsOnly(0L);
    assertThat(disabled.shutdown(WAIT)).isTrue();
  }

  @Test
  void statsRenderAsAMap() {
    pipeline = TelemetryPipeline.start(settings().build(), exporter);
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(pipeline.stats().asMap()).containsOnlyKeys("submitted", "exported", "folded", "dropped.queue_full",
        "dropped.export_failed", "dropped.shutdown", "dropped.rate_limited", "dropped.scrub_error", "dropped.total",
        "pending", "queue.size", "in_flight", "rollups", "rollups.exported", "rollups.dropped",
        "last_export_success_epoch_millis")
        .containsEntry("submitted", 1L)
        .containsEntry("exported", 1L)
        .containsEntry("dropped.total", 0L)
        .containsEntry("pending", 0L);
  }

  @Test
  void invariantHoldsInEverySnapshotUnderConcurrentLoad() throws Exception {
    exporter.result = logs -> {
      LockSupportSleep.micros(200);
      return CompletableResultCode.ofSuccess();
    };
    pipeline = TelemetryPipeline.start(settings().queueCapacity(256).batchSize(64)
        .exportInterval(Duration.ofMillis(5)).build(), exporter);
    int threads = 8;
    int perThread = 20_000;
    List<Thread> producers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    CapturedEvent e = event("load").build();
    for (int t = 0; t < threads; t++) {
      Thread p = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException ie) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          pipeline.submit(e);
        }
      });
      p.start();
      producers.add(p);
    }
    go.countDown();
    int snapshots = 0;
    while (producers.stream().anyMatch(Thread::isAlive)) {
      assertInvariant(pipeline.stats());
      snapshots++;
    }
    for (Thread p : producers) {
      p.join();
    }
    assertThat(pipeline.shutdown(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.submitted()).isEqualTo((long) threads * perThread);
    assertThat(stats.exported()).isEqualTo(exporter.recordCount());
    assertThat(stats.exported() + stats.dropped(DropReason.QUEUE_FULL)).isEqualTo((long) threads * perThread);
    assertThat(snapshots).isPositive();
  }

  /** Busy-free short pause for the slow exporter above. */
  static final class LockSupportSleep {
    static void micros(long micros) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }
  }
}
