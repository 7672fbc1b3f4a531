package dev.telemetryagent.exporter;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The agent's own, throttled diagnostic output: at most one line per {@code minInterval} (60 s by default) per
 * message kind, each prefixed {@value #PREFIX}. Lines suppressed in between are counted and the count is appended
 * to the next line of the same kind.
 *
 * <p>The shared instance {@link #stderr()} writes to the process's real standard error (file descriptor 2), not to
 * whatever the application installed with {@code System.setErr}: the application may route {@code System.err} into
 * its logging, which the agent captures. Every method is total: it never throws.
 */
public final class Diagnostics {

  public static final String PREFIX = "[telemetry-agent] ";

  /** Default minimum time between two lines of the same kind. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** Bound on the number of kinds remembered; beyond it the memory is cleared (throttling restarts). */
  private static final int MAX_KINDS = 1024;

  private static final Diagnostics STDERR = new Diagnostics(
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
      System::nanoTime, DEFAULT_INTERVAL);

  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  private static final class Slot {
    final AtomicLong lastNanos;
    final AtomicLong suppressed = new AtomicLong();

    Slot(long last) {
      lastNanos = new AtomicLong(last);
    }
  }

  /**
   * A diagnostics sink writing to {@code out}.
   *
   * @param out where lines go
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   * @param minInterval minimum time between two lines of the same kind
   */
  public Diagnostics(PrintStream out, LongSupplier nanoClock, Duration minInterval) {
    this.out = Objects.requireNonNull(out, "out");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.intervalNanos = Objects.requireNonNull(minInterval, "minInterval").toNanos();
  }

  /** The shared instance: the process's real stderr, one line per kind per 60 s. */
  public static Diagnostics stderr() {
    return STDERR;
  }

  /** Writes {@code message}, throttled with the message itself as its kind. */
  public boolean warn(String message) {
    return warn(message, message);
  }

  /**
   * Writes {@code message} unless a line of the same {@code kind} was written less than the interval ago.
   *
   * @return whether the line was written
   */
  public boolean warn(String kind, String message) {
    try {
      String k = kind == null ? "" : kind;
      long now = nanoClock.getAsLong();
      Slot slot = slots.get(k);
      long suppressedBefore;
      if (slot == null) {
        if (slots.size() >= MAX_KINDS) {
          slots.clear();
        }
        Slot fresh = new Slot(now);
        slot = slots.putIfAbsent(k, fresh);
        if (slot != null) {
          slot.suppressed.incrementAndGet();
          return false;
        }
        suppressedBefore = 0;
      } else {
        long last = slot.lastNanos.get();
        if (now - last < intervalNanos || !slot.lastNanos.compareAndSet(last, now)) {
          slot.suppressed.incrementAndGet();
          return false;
        }
        suppressedBefore = slot.suppressed.getAndSet(0);
      }
      StringBuilder line = new StringBuilder(PREFIX.length() + 64).append(PREFIX).append(message);
      if (suppressedBefore > 0) {
        line.append(" (").append(suppressedBefore).append(" similar message")
            .append(suppressedBefore == 1 ? "" : "s").append(" suppressed)");
      }
      out.println(line);
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  /** Like {@link #warn(String, String)}, appending the throwable's type and message (never its stack trace). */
  public boolean warn(String kind, String message, Throwable error) {
    if (error == null) {
      return warn(kind, message);
    }
    return warn(kind, message + ": " + StackTraceRenderer.safeToString(error));
  }
}
