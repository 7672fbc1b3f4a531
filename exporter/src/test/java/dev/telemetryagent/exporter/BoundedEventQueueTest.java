package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedEventQueueTest {

  @Test
  void offerFailsOnceTheCapacityIsReached() {
    BoundedEventQueue<String> q = new BoundedEventQueue<>(2);

    assertThat(q.offer("a")).isTrue();
    assertThat(q.offer("b")).isTrue();
    assertThat(q.offer("c")).isFalse();
    assertThat(q.size()).isEqualTo(2);
  }

  @Test
  void drainMovesOldestFirstUpToTheLimitAndFreesCapacity() {
    BoundedEventQueue<String> q = new BoundedEventQueue<>(3);
    q.offer("a");
    q.offer("b");
    q.offer("c");
    List<String> out = new ArrayList<>();

    assertThat(q.drainTo(out, 2)).isEqualTo(2);
    assertThat(out).containsExactly("a", "b");
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.offer("d")).isTrue();
    assertThat(q.drainTo(out)).isEqualTo(2);
    assertThat(out).containsExactly("a", "b", "c", "d");
    assertThat(q.size()).isZero();
  }

  @Test
  void removeTakesOneOccurrenceAndFreesItsPlace() {
    BoundedEventQueue<String> q = new BoundedEventQueue<>(1);
    q.offer("a");

    assertThat(q.remove("a")).isTrue();
    assertThat(q.remove("a")).isFalse();
    assertThat(q.offer("b")).isTrue();
  }

  @Test
  void concurrentProducersNeverExceedTheCapacityAndLoseNothingAccepted() throws InterruptedException {
    BoundedEventQueue<Integer> q = new BoundedEventQueue<>(1000);
    AtomicInteger accepted = new AtomicInteger();
    int producers = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 10_000; i++) {
          if (q.offer(i)) {
            accepted.incrementAndGet();
          }
          assertThat(q.size()).isLessThanOrEqualTo(1000);
        }
      });
      t.start();
      threads.add(t);
    }
    List<Integer> drained = new ArrayList<>();
    start.countDown();
    while (threads.stream().anyMatch(Thread::isAlive)) {
      q.drainTo(drained, 100);
    }
    for (Thread t : threads) {
      t.join();
    }
    q.drainTo(drained);

    assertThat(drained).hasSize(accepted.get());
    assertThat(q.size()).isZero();
  }
}
