package dev.telemetryagent.exporter;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, lock-free multi-producer queue: application threads {@link #offer} without ever taking a lock or
 * parking, and the pipeline's single worker drains. {@code ArrayBlockingQueue} takes one lock for producers and the
 * draining consumer alike, so under load a logging thread could park behind a drain; this one never does.
 *
 * <p>The bound is a count reserved before each insertion, so {@link #size()} never exceeds the capacity.
 */
final class BoundedEventQueue<E> {

  private final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int capacity;

  BoundedEventQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Adds {@code e} unless the queue is full; never blocks. */
  boolean offer(E e) {
    for (int n = count.get(); ; n = count.get()) {
      if (n >= capacity) {
        return false;
      }
      if (count.compareAndSet(n, n + 1)) {
        items.add(e);
        return true;
      }
    }
  }

  /** Removes one occurrence of {@code e}; linear, for the rare shutdown race only. */
  boolean remove(E e) {
    if (items.remove(e)) {
      count.decrementAndGet();
      return true;
    }
    return false;
  }

  /** Moves up to {@code max} elements, oldest first, into {@code target}; returns how many. */
  int drainTo(Collection<? super E> target, int max) {
    int moved = 0;
    while (moved < max) {
      E e = items.poll();
      if (e == null) {
        break;
      }
      count.decrementAndGet();
      target.add(e);
      moved++;
    }
    return moved;
  }

  /** Moves every element into {@code target}; returns how many. */
  int drainTo(Collection<? super E> target) {
    return drainTo(target, Integer.MAX_VALUE);
  }

  /**
   * Elements reserved or queued: may briefly count an element whose insertion is in progress, never more than the
   * capacity.
   */
  /** Whether an offer now would fail (a hint: the worker may be draining meanwhile). */
  boolean isFull() {
    return count.get() >= capacity;
  }

  int size() {
    return count.get();
  }
}
