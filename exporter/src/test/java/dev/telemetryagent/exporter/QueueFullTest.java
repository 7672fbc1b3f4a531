package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertInvariant;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueFullTest {

  private static final int CAPACITY = 16;

  private final RecordingExporter exporter = new RecordingExporter();
  private TelemetryPipeline pipeline;

  @BeforeEach
  void startWithABlockedExporter() {
    exporter.gate = new CountDownLatch(1);
    pipeline = TelemetryPipeline.start(settings().queueCapacity(CAPACITY).batchSize(4)
        .exportInterval(Duration.ofMillis(10)).build(), exporter);
    // One event reaches the exporter and blocks the worker there; from now on nothing leaves the queue.
    pipeline.submit(event("first").build());
    await().atMost(WAIT).until(() -> exporter.entered.getCount() == 0);
  }

  @AfterEach
  void release() {
    exporter.gate.countDown();
    pipeline.close();
    assertSettled(pipeline.stats());
  }

  @Test
  void submitsBeyondCapacityAreCountedAsQueueFull() {
    for (int i = 0; i < CAPACITY + 100; i++) {
      pipeline.submit(event("m" + i).build());
    }
    PipelineStats stats = assertInvariant(pipeline.stats());
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(100);
    assertThat(stats.queueSize()).isEqualTo(CAPACITY);
    assertThat(stats.inFlight()).isEqualTo(1);
    assertThat(stats.pending()).isEqualTo(CAPACITY + 1);
  }

  @Test
  void aLogCallThatMeetsAFullQueueIsDroppedAtAdmissionBeforeItIsBuilt() {
    assertThat(pipeline.admitLog(EventSource.LOGBACK, 9, "com.example.Orders", "order {} shipped", null))
        .as("room in the queue: admitted").isNotNull();
    for (int i = 0; i < CAPACITY; i++) {
      pipeline.submit(event("m" + i).build());
    }
    for (int i = 0; i < 5; i++) {
      assertThat(pipeline.admitLog(EventSource.LOGBACK, 9, "com.example.Orders", "order {} shipped", null))
          .as("the queue is full: the capture sink is told not to build the event").isNull();
    }
    PipelineStats stats = assertInvariant(pipeline.stats());
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(5);
    assertThat(stats.submitted()).isEqualTo(1 + CAPACITY + 5);
  }

  @Test
  void submitNeverBlocksWhileTheExporterIsStuck() {
    // A blocking put would hang here forever: the worker cannot drain anything.
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      CapturedEvent e = event("flood").build();
      for (int i = 0; i < 200_000; i++) {
        pipeline.submit(e);
      }
    });
    PipelineStats stats = assertInvariant(pipeline.stats());
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(200_000 - CAPACITY);
  }

  @Test
  void submitNeverThrowsEvenWhenFull() {
    assertThatCode(() -> {
      for (int i = 0; i < 1000; i++) {
        pipeline.submit(event("m").build());
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void queuedEventsAreExportedOnceTheExporterRecovers() {
    for (int i = 0; i < CAPACITY + 10; i++) {
      pipeline.submit(event("m" + i).build());
    }
    exporter.gate.countDown();
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isEqualTo(CAPACITY + 1);
    assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(10);
    assertThat(stats.submitted()).isEqualTo(CAPACITY + 11);
  }
}
