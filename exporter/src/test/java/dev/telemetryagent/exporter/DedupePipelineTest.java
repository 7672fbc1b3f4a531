package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertInvariant;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline with dedupe and budget on: what reaches the exporter, and the accounting after every scenario. */
class DedupePipelineTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final AttributeKey<Long> COUNT = AttributeKey.longKey("telemetry.agent.rollup.count");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("telemetry.agent.rollup.reason");
  private static final AttributeKey<Long> SEQ = AttributeKey.longKey("telemetry.agent.rollup.window_seq");
  private static final AttributeKey<String> FINGERPRINT = AttributeKey.stringKey("telemetry.agent.fingerprint");

  private final AtomicLong clock = new AtomicLong(5_000 * SECOND);
  private final RecordingExporter exporter = new RecordingExporter();
  private TelemetryPipeline pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
      assertSettled(pipeline.stats());
    }
  }

  private PipelineSettings.Builder dedupe() {
    return settings().dedupeEnabled(true).dedupeWindow(Duration.ofSeconds(10)).nanoClock(clock::get)
        .exportInterval(Duration.ofHours(1));
  }

  /** A log call the way the agent's capture sink makes it: admission first, then the event. */
  private void log(int severity, String template, String message, Throwable thrown) {
    Object ticket = pipeline.admitLog(EventSource.LOGBACK, severity, "com.example.Billing", template, thrown);
    if (ticket != null) {
      pipeline.submit(CapturedEvent.builder(EventSource.LOGBACK).severity(severity, "ERROR")
          .loggerName("com.example.Billing").template(template).formattedMessage(message).throwable(thrown)
          .thread("worker", 7).epochNanos(1).build(), ticket);
    }
  }

  private List<LogRecordData> records() {
    return exporter.batches.stream().flatMap(List::stream).collect(Collectors.toList());
  }

  private List<LogRecordData> rollups() {
    return records().stream().filter(r -> r.getAttributes().get(COUNT) != null).collect(Collectors.toList());
  }

  @Test
  void aStormBecomesOneRecordPerWindowPlusRollupsWhoseCountsAddUp() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    for (int i = 0; i < 1000; i++) {
      log(17, "charge {} failed", "charge " + i + " failed", new IllegalStateException("card " + i + " declined"));
      clock.addAndGet(SECOND / 40); // 25 s in all: windows at 0, 10, 20 s
    }
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats mid = assertInvariant(pipeline.stats());
    assertThat(mid.exported()).isEqualTo(3);
    assertThat(mid.folded()).isEqualTo(997);
    assertThat(rollups()).as("two windows closed so far").hasSize(2);
    pipeline.close();
    PipelineStats end = assertSettled(pipeline.stats());
    List<LogRecordData> rollups = rollups();
    assertThat(rollups).hasSize(3);
    assertThat(rollups).extracting(r -> r.getAttributes().get(REASON))
        .containsExactly("window_end", "window_end", "shutdown");
    assertThat(rollups).extracting(r -> r.getAttributes().get(SEQ)).containsExactly(1L, 2L, 3L);
    assertThat(rollups.stream().mapToLong(r -> r.getAttributes().get(COUNT)).sum()).isEqualTo(end.folded());
    assertThat(end.rollups()).isEqualTo(3);
    assertThat(end.rollupsExported()).isEqualTo(3);
    assertThat(records().size() - rollups.size() + end.folded()).as("first occurrences + folded = logged")
        .isEqualTo(1000);
    LogRecordData r = rollups.get(0);
    assertThat(r.getBodyValue().asString()).isEqualTo("charge 0 failed"); // the first message of the window
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(r.getAttributes().get(FINGERPRINT)).matches("[0-9a-f]{16}");
    assertThat(Instant.parse(r.getAttributes().get(AttributeKey.stringKey("telemetry.agent.rollup.last_seen"))))
        .isAfter(Instant.parse(r.getAttributes().get(AttributeKey.stringKey("telemetry.agent.rollup.first_seen"))));
  }

  @Test
  void infoLinesKeepTheirVariety() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    for (int i = 0; i < 50; i++) {
      log(9, "processed order {}", "processed order " + i, null);
    }
    pipeline.close();
    assertThat(assertSettled(pipeline.stats()).exported()).isEqualTo(50);
    assertThat(rollups()).isEmpty();
  }

  @Test
  void errorPathEventsAreFoldedInSubmit() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    Throwable t = new IllegalStateException("boom");
    for (int i = 0; i < 10; i++) {
      pipeline.submit(CapturedEvent.builder(EventSource.PRINT_STACK_TRACE).severity(17, "ERROR").throwable(t)
          .build());
    }
    pipeline.close();
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.exported()).isEqualTo(1);
    assertThat(s.folded()).isEqualTo(9);
    assertThat(rollups()).singleElement().satisfies(r -> {
      assertThat(r.getAttributes().get(COUNT)).isEqualTo(9);
      assertThat(r.getEventName()).isEqualTo("exception");
    });
  }

  @Test
  void theBudgetDropsAsRateLimitedAndSaysSoInARollup() {
    pipeline = TelemetryPipeline.start(dedupe().rateLimitEventsPerSecond(100).rateLimitBurst(10).build(), exporter);
    for (int i = 0; i < 50; i++) {
      log(9, "line " + (char) ('a' + i % 26) + (char) ('a' + i / 26), "x", null);
    }
    pipeline.close();
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.exported()).isEqualTo(10);
    assertThat(s.dropped(DropReason.RATE_LIMITED)).isEqualTo(40);
    assertThat(rollups()).singleElement().satisfies(r -> {
      assertThat(r.getAttributes().get(REASON)).isEqualTo("rate_limited");
      assertThat(r.getAttributes().get(COUNT)).isEqualTo(40);
      assertThat(r.getAttributes().get(AttributeKey.longKey("telemetry.agent.rollup.fingerprints"))).isEqualTo(40);
      assertThat(r.getBodyValue().asString()).contains("40 records across 40 fingerprints");
      assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("telemetry-agent");
    });
  }

  @Test
  void aRollupIsScrubbedLikeEverythingElse() {
    Redactor redactor = new Redactor() {
      @Override
      public String redact(String text) {
        return text.replace("4111111111111111", "<redacted:card>");
      }
    };
    pipeline = TelemetryPipeline.start(dedupe().redactor(redactor).build(), exporter);
    for (int i = 0; i < 3; i++) {
      log(17, "payment failed", "payment failed for 4111111111111111", null);
    }
    pipeline.close();
    assertThat(rollups()).singleElement()
        .satisfies(r -> assertThat(r.getBodyValue().asString()).isEqualTo("payment failed for <redacted:card>"));
  }

  @Test
  void aRollupWhoseFirstEventNeverArrivedIsRebuiltFromWhatAdmissionSaw() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    // admitted but never submitted (for instance the framework failed between the two phases)
    assertThat(pipeline.admitLog(EventSource.LOGBACK, 17, "com.example.Billing", "refund {} failed", null))
        .isNotNull();
    assertThat(pipeline.admitLog(EventSource.LOGBACK, 17, "com.example.Billing", "refund {} failed", null))
        .isNull();
    pipeline.close();
    assertThat(rollups()).singleElement().satisfies(r -> {
      assertThat(r.getBodyValue().asString()).isEqualTo("refund {} failed");
      assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("com.example.Billing");
      assertThat(r.getAttributes().get(COUNT)).isEqualTo(1);
    });
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.submitted()).isEqualTo(1);
    assertThat(s.folded()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsPlainLogCallsAtAdmissionButStillBuildsTheEventThatOpensAWindow() {
    exporter.gate = new CountDownLatch(1);
    pipeline = TelemetryPipeline.start(dedupe().queueCapacity(2).batchSize(1).build(), exporter);
    log(9, "started", "started", null);
    await().atMost(WAIT).until(() -> exporter.entered.getCount() == 0); // the worker is stuck in the exporter
    log(9, "a", "a", null);
    log(9, "b", "b", null);
    assertThat(pipeline.admitLog(EventSource.LOGBACK, 9, "com.example.Billing", "c", null)).isNull();
    assertThat(pipeline.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
    // Its rollup repeats the opening event's message, so that one is still built (and then counted as queue_full).
    log(17, "refund {} failed", "refund 7 failed", null);
    assertThat(pipeline.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(2);
    log(17, "refund {} failed", "refund 8 failed", null);
    exporter.gate.countDown();
    pipeline.close();
    assertThat(rollups()).singleElement()
        .satisfies(r -> assertThat(r.getBodyValue().asString()).isEqualTo("refund 7 failed"));
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.submitted()).isEqualTo(6);
    assertThat(s.folded()).isEqualTo(1);
  }

  @Test
  void rollupsThatCannotBeExportedAreCountedAsSuch() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    exporter.result = logs -> CompletableResultCode.ofFailure();
    for (int i = 0; i < 5; i++) {
      log(17, "same", "same", null);
    }
    pipeline.close();
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
    assertThat(s.folded()).isEqualTo(4);
    assertThat(s.rollups()).isEqualTo(1);
    assertThat(s.rollupsDropped()).isEqualTo(1);
    assertThat(s.rollupsExported()).isZero();
  }

  @Test
  void afterShutdownAdmissionDropsAndCounts() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    pipeline.close();
    assertThat(pipeline.admitLog(EventSource.LOGBACK, 17, "l", "late", null)).isNull();
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.dropped(DropReason.SHUTDOWN)).isEqualTo(1);
  }

  @Test
  void manyThreadsStormingStillAddUpExactly() throws Exception {
    AtomicLong ticking = new AtomicLong();
    pipeline = TelemetryPipeline.start(settings().dedupeEnabled(true).dedupeWindow(Duration.ofMillis(1))
        .nanoClock(() -> ticking.addAndGet(100)).exportInterval(Duration.ofMillis(5)).build(), exporter);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          log(17, i % 3 == 0 ? "a" : "b", "m", null);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    pipeline.close();
    PipelineStats s = assertSettled(pipeline.stats());
    assertThat(s.submitted()).isEqualTo(200_000);
    assertThat(s.exported() + s.folded()).isEqualTo(200_000);
    assertThat(rollups().stream().mapToLong(r -> r.getAttributes().get(COUNT)).sum()).isEqualTo(s.folded());
    assertThat(records().size() - rollups().size()).isEqualTo(s.exported());
  }

  @Test
  void topFingerprintsNameTypeOrLoggerAndCount() {
    pipeline = TelemetryPipeline.start(dedupe().build(), exporter);
    for (int i = 0; i < 4; i++) {
      log(17, "x", "x", new IllegalArgumentException("bad"));
    }
    log(17, "y", "y", null);
    assertThat(pipeline.topFingerprints(10)).hasSize(2).containsValues(4L, 1L)
        .hasKeySatisfying(new org.assertj.core.api.Condition<>(
            k -> k.matches("[0-9a-f]{16} java.lang.IllegalArgumentException"), "type label"));
  }
}
