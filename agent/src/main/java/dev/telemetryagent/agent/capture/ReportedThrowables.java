package dev.telemetryagent.agent.capture;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small, bounded identity memory of the throwables already exported from an error path, so that one exception
 * seen on several paths (an {@code execute()} task that throws, then dies uncaught, then is printed by the default
 * handler) is exported once. A ring of weak references: it never keeps an exception (or what it references) alive,
 * its size is fixed, and it needs no lock. Two threads reporting the same instance at the very same moment may both
 * win; that race only costs a duplicate, never a loss.
 */
final class ReportedThrowables {

  private final AtomicReferenceArray<WeakReference<Throwable>> slots;
  private final int mask;
  private final AtomicInteger next = new AtomicInteger();

  /** @param capacity rounded up to a power of two */
  ReportedThrowables(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  /** Records {@code t}; returns false when the same instance was recorded before (and is still remembered). */
  boolean firstReport(Throwable t) {
    if (seen(t)) {
      return false;
    }
    slots.set(next.getAndIncrement() & mask, new WeakReference<>(t));
    return true;
  }

  /** Whether the same instance was recorded and is still remembered. */
  boolean seen(Throwable t) {
    for (int i = 0; i < slots.length(); i++) {
      WeakReference<Throwable> ref = slots.get(i);
      if (ref != null && ref.get() == t) {
        return true;
      }
    }
    return false;
  }
}
