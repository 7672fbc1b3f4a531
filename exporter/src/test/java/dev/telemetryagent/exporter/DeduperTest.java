package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Windows, rollups, capacity and the budget, with an injected clock. */
class DeduperTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

  private Deduper deduper(int maxFingerprints, double eventsPerSecond, long burst) {
    return new Deduper(true, 13, 10 * SECOND, maxFingerprints, eventsPerSecond, burst, clock::get,
        1_700_000_000L * SECOND);
  }

  private static Object error(Deduper d, String template) {
    return d.admit(EventSource.LOGBACK, 17, "com.example.Orders", template, null, false);
  }

  @Test
  void firstInWindowIsAdmittedRepeatsAreFoldedAndTheWindowEndReportsThem() {
    Deduper d = deduper(100, 0, 0);
    Object first = error(d, "order {} failed");
    assertThat(first).isInstanceOf(Deduper.Window.class);
    for (int i = 0; i < 5; i++) {
      clock.addAndGet(SECOND);
      assertThat(error(d, "order {} failed")).isSameAs(Deduper.FOLDED);
    }
    assertThat(d.collect(false)).as("window still open").isEmpty();
    clock.addAndGet(5 * SECOND); // 10 s after the first
    List<Deduper.Rollup> rollups = d.collect(false);
    assertThat(rollups).hasSize(1);
    Deduper.Rollup r = rollups.get(0);
    assertThat(r.reason).isEqualTo(Deduper.Reason.WINDOW_END);
    assertThat(r.count).isEqualTo(5);
    assertThat(r.seq).isEqualTo(1);
    assertThat(r.window).isSameAs(first);
    assertThat(r.lastSeenEpochNanos - r.firstSeenEpochNanos).isEqualTo(5 * SECOND);
    assertThat(d.collect(false)).as("reported once").isEmpty();
  }

  @Test
  void aContinuingStormReportsEveryWindowWithIncreasingSeq() {
    Deduper d = deduper(100, 0, 0);
    List<Deduper.Rollup> all = new ArrayList<>();
    int admitted = 0;
    int folded = 0;
    for (int s = 0; s < 35; s++) { // 35 s, 10 events a second
      for (int i = 0; i < 10; i++) {
        Object o = error(d, "disk full");
        if (o == Deduper.FOLDED) {
          folded++;
        } else {
          admitted++;
        }
        clock.addAndGet(SECOND / 10);
      }
      all.addAll(d.collect(false));
    }
    all.addAll(d.collect(true));
    assertThat(admitted).isEqualTo(4);
    assertThat(all).extracting(r -> r.seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(all).extracting(r -> r.reason).containsExactly(Deduper.Reason.WINDOW_END,
        Deduper.Reason.WINDOW_END, Deduper.Reason.WINDOW_END, Deduper.Reason.SHUTDOWN);
    assertThat(all.stream().mapToLong(r -> r.count).sum()).isEqualTo(folded);
    assertThat(admitted + folded).isEqualTo(350);
  }

  @Test
  void aWindowWithoutRepeatsProducesNoRollup() {
    Deduper d = deduper(100, 0, 0);
    error(d, "once");
    clock.addAndGet(11 * SECOND);
    assertThat(d.collect(false)).isEmpty();
    assertThat(d.collect(true)).isEmpty();
  }

  @Test
  void belowTheMinimumLevelNothingIsFolded() {
    Deduper d = deduper(100, 0, 0);
    for (int i = 0; i < 5; i++) {
      assertThat(d.admit(EventSource.JUL, 9, "l", "same info line", null, false)).isSameAs(Deduper.PASS);
    }
    assertThat(d.size()).isZero();
  }

  @Test
  void aFullTableAdmitsNewFingerprintsUnfoldedAndClosesTheOldestWithReasonCapacity() {
    Deduper d = deduper(16, 0, 0);
    for (int i = 0; i < 16; i++) {
      error(d, "error kind " + (char) ('a' + i));
      clock.addAndGet(1000);
      error(d, "error kind " + (char) ('a' + i)); // one repeat each
    }
    assertThat(d.size()).isEqualTo(16);
    assertThat(error(d, "a brand new error")).isSameAs(Deduper.PASS);
    assertThat(d.size()).isEqualTo(16);
    List<Deduper.Rollup> evicted = d.collect(false);
    assertThat(evicted).isNotEmpty().allSatisfy(r -> {
      assertThat(r.reason).isEqualTo(Deduper.Reason.CAPACITY);
      assertThat(r.count).isEqualTo(1);
    });
    assertThat(evicted.get(0).window.template).isEqualTo("error kind a"); // the oldest first
    assertThat(d.size()).isEqualTo(16 - evicted.size());
    assertThat(error(d, "a brand new error")).isInstanceOf(Deduper.Window.class);
  }

  @Test
  void theBudgetShedsBeyondRateAndBurstAndReportsOncePerWindow() {
    Deduper d = deduper(100, 10, 5); // 10/s, burst 5
    int passed = 0;
    int shed = 0;
    for (int i = 0; i < 20; i++) { // 20 distinct INFO lines at the same instant
      Object o = d.admit(EventSource.JUL, 9, "l", "line " + (char) ('a' + i), null, false);
      if (o == Deduper.PASS) {
        passed++;
      } else {
        assertThat(o).isSameAs(Deduper.SHED);
        shed++;
      }
    }
    assertThat(passed).isEqualTo(5);
    assertThat(shed).isEqualTo(15);
    clock.addAndGet(SECOND); // refills 10 tokens, capped by the burst of 5
    int later = 0;
    for (int i = 0; i < 20; i++) {
      if (d.admit(EventSource.JUL, 9, "l", "x", null, false) == Deduper.PASS) {
        later++;
      }
    }
    assertThat(later).isEqualTo(5);
    clock.addAndGet(10 * SECOND);
    List<Deduper.Rollup> rollups = d.collect(false);
    assertThat(rollups).hasSize(1);
    assertThat(rollups.get(0).reason).isEqualTo(Deduper.Reason.RATE_LIMITED);
    assertThat(rollups.get(0).count).isEqualTo(30);
    assertThat(rollups.get(0).fingerprints).isEqualTo(16); // 15 distinct lines and "x"
    assertThat(d.shedPending()).isZero();
  }

  @Test
  void everyShedEventIsInExactlyOneRollupWhileRollupsAreTakenConcurrently() throws Exception {
    Deduper d = deduper(100, 1, 1); // a budget of one token: nearly everything is shed
    int threads = 4;
    int perThread = 200_000;
    java.util.concurrent.atomic.LongAdder shed = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          if (d.admit(EventSource.JUL, 9, "l", "line " + (id * 3 + i % 3), null, false) == Deduper.SHED) {
            shed.increment();
          }
        }
        done.countDown();
      }).start();
    }
    long inRollups = 0;
    long maxFingerprints = 0;
    while (done.getCount() > 0) {
      clock.addAndGet(10 * SECOND); // every collect closes the shed window and opens the next
      for (Deduper.Rollup r : d.collect(false)) {
        inRollups += r.count;
        maxFingerprints = Math.max(maxFingerprints, r.fingerprints);
      }
    }
    for (Deduper.Rollup r : d.collect(true)) {
      inRollups += r.count;
    }
    assertThat(inRollups).isEqualTo(shed.sum()).isGreaterThan(0);
    assertThat(d.shedPending()).isZero();
    assertThat(maxFingerprints).as("12 distinct lines").isBetween(1L, 12L);
  }

  @Test
  void foldedRepeatsCostNoBudget() {
    Deduper d = deduper(100, 1, 1);
    assertThat(error(d, "storm")).isInstanceOf(Deduper.Window.class);
    for (int i = 0; i < 1000; i++) {
      assertThat(error(d, "storm")).isSameAs(Deduper.FOLDED);
    }
  }

  @Test
  void concurrentFoldingWhileWindowsCloseLosesNoCount() throws Exception {
    AtomicLong realClock = new AtomicLong();
    Deduper d = new Deduper(true, 13, TimeUnit.MILLISECONDS.toNanos(2), 100, 0, 0,
        () -> realClock.addAndGet(1000), 0);
    int threads = 4;
    int perThread = 200_000;
    AtomicLong admitted = new AtomicLong();
    AtomicLong folded = new AtomicLong();
    List<Deduper.Rollup> rollups = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          Object o = error(d, i % 2 == 0 ? "even" : "odd");
          if (o == Deduper.FOLDED) {
            folded.incrementAndGet();
          } else {
            admitted.incrementAndGet();
          }
        }
        done.countDown();
      }).start();
    }
    while (!done.await(1, TimeUnit.MILLISECONDS)) {
      rollups.addAll(d.collect(false));
    }
    rollups.addAll(d.collect(true));
    assertThat(admitted.get() + folded.get()).isEqualTo((long) threads * perThread);
    assertThat(admitted.get()).as("windows did turn over").isGreaterThan(2);
    assertThat(rollups.stream().mapToLong(r -> r.count).sum()).isEqualTo(folded.get());
  }
}
