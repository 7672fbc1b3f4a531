package dev.telemetryagent.exporter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Folds repeats of the same event into rollups, per fingerprint and time window, and sheds events beyond a global
 * budget. The decision runs on application threads (lock-free: a table lookup and an atomic increment for a folded
 * repeat); windows are closed and rollups produced on the pipeline's worker thread by {@link #collect}.
 *
 * <p>Per fingerprint: the first occurrence in a window is admitted (exported at once) and opens the window; repeats
 * inside the window are folded (counted, not exported); when the window ends, a rollup carrying the number of folded
 * repeats is produced if there were any. The next occurrence opens the next window ({@code window_seq} + 1), so a
 * continuing storm reports once per window and never goes silent. Only events at or above the minimum severity are
 * folded.
 *
 * <p>The table holds at most {@code maxFingerprints} windows; a new fingerprint beyond that is admitted without being
 * tracked, and the worker then closes the oldest windows early (rollups with reason {@code capacity}).
 *
 * <p>The global budget is a token bucket (GCRA: one CAS per admitted event) over every event that would be exported,
 * whatever its level; folded repeats cost no token. Shed events are counted, and at the end of each window one
 * rollup says how many were shed across how many fingerprints.
 */
final class Deduper {

  /** Why a rollup was produced; the value of {@code telemetry.agent.rollup.reason}. */
  enum Reason {
    WINDOW_END("window_end"), SHUTDOWN("shutdown"), CAPACITY("capacity"), RATE_LIMITED("rate_limited");

    final String value;

    Reason(String value) {
      this.value = value;
    }
  }

  /** Outcome of {@link #admit}: the event was folded; it has been counted, do not build it. */
  static final Object FOLDED = new Object();
  /** Outcome of {@link #admit}: the event was shed by the global budget; do not build it. */
  static final Object SHED = new Object();
  /** Outcome of {@link #admit}: export the event; it is not tracked for folding. */
  static final Object PASS = new Object();

  private static final long CLOSED = 1L << 62;
  /**
   * Counter cells per window: a power of two, twice the number of processors rounded up (at most 32), so that
   * threads picked by id rarely share one.
   */
  static final int CELLS = Math.min(32, Integer.highestOneBit(Math.max(1,
      Runtime.getRuntime().availableProcessors() - 1)) << 2);
  /** 16 longs = 128 bytes between cells: never two cells on one cache line (nor adjacent-line prefetch pairs). */
  private static final int STRIDE = 16;
  private static final int MAX_SHED_FINGERPRINTS = 4096;

  /** One window of one fingerprint. The ticket of the event that opened it. */
  static final class Window {
    final long fingerprint;
    final long seq;
    final long startNanos;
    final long endNanos;
    final long firstSeenEpochNanos;
    final EventSource source;
    final int severityNumber;
    final String loggerName;
    final String template;
    final Throwable thrown;
    /** Folded repeats in this window. */
    private final StripedCount repeats = new StripedCount();
    private final AtomicBoolean closed = new AtomicBoolean();
    final LongAdder total; // shared by every window of this fingerprint while it stays in the table
    /** The event that opened the window, once submitted (the rollup repeats its scrubbed message). */
    volatile CapturedEvent first;

    Window(long fingerprint, long seq, long startNanos, long endNanos, long firstSeenEpochNanos, EventSource source,
        int severityNumber, String loggerName, String template, Throwable thrown, LongAdder total) {
      this.fingerprint = fingerprint;
      this.seq = seq;
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      this.firstSeenEpochNanos = firstSeenEpochNanos;
      this.source = source;
      this.severityNumber = severityNumber;
      this.loggerName = loggerName;
      this.template = template;
      this.thrown = thrown;
      this.total = total;
    }

    boolean isClosed() {
      return closed.get();
    }

    /** Counts one repeat; false when the window was closed meanwhile (the caller retries on the next one). */
    boolean fold(long epochNanos) {
      return repeats.add(epochNanos);
    }

    /** Closes the window: returns the repeats folded into it, or -1 if it was closed already. */
    long close() {
      return closed.compareAndSet(false, true) ? repeats.close() : -1;
    }

    long lastSeenEpochNanos() {
      return repeats.lastSeen(firstSeenEpochNanos);
    }
  }

  /**
   * A count striped per thread, so that threads hitting it at once do not fight over one cache line, and closed once:
   * cell {@code i} holds a count (with {@link #CLOSED} set once closed) at {@code i * STRIDE} and that cell's
   * last-seen time at {@code i * STRIDE + 1}. A count added to a cell before it was closed is in {@link #close()}'s
   * result; one after sees the bit, and the caller counts it in whatever replaced this one. So every event is counted
   * exactly once, without a lock, whatever the threads and the closing do.
   */
  static final class StripedCount {
    private final AtomicLongArray cells = new AtomicLongArray(CELLS * STRIDE);

    /** Counts one; false when this was closed meanwhile. */
    boolean add(long epochNanos) {
      int i = cell();
      long s = cells.incrementAndGet(i);
      if ((s & CLOSED) != 0) {
        return false;
      }
      cells.lazySet(i + 1, epochNanos);
      return true;
    }

    /** What was counted so far (without closing). */
    long pending() {
      long n = 0;
      for (int c = 0; c < CELLS; c++) {
        n += cells.get(c * STRIDE) & ~CLOSED;
      }
      return n;
    }

    /** Closes every cell and returns what they counted. */
    long close() {
      long n = 0;
      for (int c = 0; c < CELLS; c++) {
        n += cells.getAndUpdate(c * STRIDE, x -> x | CLOSED) & ~CLOSED;
      }
      return n;
    }

    /** The latest time counted, or {@code floor} when nothing later was. */
    long lastSeen(long floor) {
      long last = floor;
      for (int c = 0; c < CELLS; c++) {
        last = Math.max(last, cells.get(c * STRIDE + 1));
      }
      return last;
    }

    private static int cell() {
      @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+
      long id = Thread.currentThread().getId();
      return (int) (id & (CELLS - 1)) * STRIDE;
    }
  }

  /**
   * What the global budget shed since the last rate-limit rollup. Counted like a window's repeats (a
   * {@link StripedCount}, so each shed event is in exactly one rollup), because this is the hot path of a storm:
   * nearly every call is shed. Distinct fingerprints go into a set, skipped for a fingerprint this shed
   * window saw lately (a small direct-mapped memo; a stale or torn slot only costs a redundant add).
   */
  static final class Shed {
    private final StripedCount count = new StripedCount();
    final Set<Long> fingerprints = ConcurrentHashMap.newKeySet();
    private final long[] recent = new long[64];
    volatile long firstSeenEpochNanos;

    /** Counts one shed event; false when this was closed meanwhile (count it in the next one). */
    boolean count(long epochNanos, long fingerprint) {
      if (!count.add(epochNanos)) {
        return false;
      }
      if (firstSeenEpochNanos == 0) {
        firstSeenEpochNanos = epochNanos;
      }
      int slot = (int) (fingerprint ^ (fingerprint >>> 31)) & (recent.length - 1);
      if (recent[slot] != fingerprint || fingerprint == 0) {
        if (fingerprints.size() < MAX_SHED_FINGERPRINTS) {
          fingerprints.add(fingerprint);
        }
        recent[slot] = fingerprint;
      }
      return true;
    }

    long pending() {
      return count.pending();
    }

    long close() {
      return count.close();
    }

    long lastSeenEpochNanos() {
      return count.lastSeen(firstSeenEpochNanos);
    }
  }

  /** A rollup to export: what {@link #collect} hands the worker. */
  static final class Rollup {
    final Reason reason;
    final long count;
    final long fingerprint;
    final long seq;
    final long firstSeenEpochNanos;
    final long lastSeenEpochNanos;
    final Window window; // null for RATE_LIMITED
    final long fingerprints; // RATE_LIMITED only: distinct fingerprints shed

    Rollup(Reason reason, long count, Window w) {
      this.reason = reason;
      this.count = count;
      this.fingerprint = w.fingerprint;
      this.seq = w.seq;
      this.firstSeenEpochNanos = w.firstSeenEpochNanos;
      this.lastSeenEpochNanos = w.lastSeenEpochNanos();
      this.window = w;
      this.fingerprints = 1;
    }

    Rollup(long count, long fingerprints, long seq, long firstSeenEpochNanos, long lastSeenEpochNanos) {
      this.reason = Reason.RATE_LIMITED;
      this.count = count;
      this.fingerprint = 0;
      this.seq = seq;
      this.firstSeenEpochNanos = firstSeenEpochNanos;
      this.lastSeenEpochNanos = lastSeenEpochNanos;
      this.window = null;
      this.fingerprints = fingerprints;
    }
  }

  private final boolean foldingEnabled;
  private final int minSeverity;
  private final long windowNanos;
  private final int maxFingerprints;
  private final LongSupplier nanoTime;
  private final long epochBaseNanos;
  private final long nanoBase;

  private final ConcurrentHashMap<Long, Window> table = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Window> retired = new ConcurrentLinkedQueue<>();
  private volatile boolean overCapacity;

  // Global budget (GCRA). emissionNanos == 0: no budget.
  private final long emissionNanos;
  private final long toleranceNanos;
  private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicReference<Shed> shedding = new AtomicReference<>(new Shed());
  private long shedWindowEnd;
  private long shedSeq;

  /**
   * @param foldingEnabled whether repeats are folded at all (the budget applies either way)
   * @param minSeverity the lowest OpenTelemetry severity number that is folded
   * @param windowNanos window length
   * @param maxFingerprints windows tracked at most
   * @param eventsPerSecond the global budget; 0 for none
   * @param burst events admitted at once beyond the steady rate (at least 1)
   * @param nanoTime the clock ({@link System#nanoTime} outside tests)
   * @param epochNanosNow wall-clock time now, read once to anchor {@code nanoTime}
   */
  Deduper(boolean foldingEnabled, int minSeverity, long windowNanos, int maxFingerprints, double eventsPerSecond,
      long burst, LongSupplier nanoTime, long epochNanosNow) {
    this.foldingEnabled = foldingEnabled;
    this.minSeverity = minSeverity;
    this.windowNanos = Math.max(1, windowNanos);
    this.maxFingerprints = Math.max(1, maxFingerprints);
    this.nanoTime = nanoTime;
    this.nanoBase = nanoTime.getAsLong();
    this.epochBaseNanos = epochNanosNow;
    if (eventsPerSecond > 0) {
      this.emissionNanos = Math.max(1, (long) (1_000_000_000d / eventsPerSecond));
      this.toleranceNanos = emissionNanos * Math.max(1, burst);
    } else {
      this.emissionNanos = 0;
      this.toleranceNanos = 0;
    }
    this.shedWindowEnd = nanoBase + this.windowNanos;
  }

  boolean folds(int severityNumber) {
    return foldingEnabled && severityNumber >= minSeverity;
  }

  long epochNanos(long nanos) {
    return epochBaseNanos + (nanos - nanoBase);
  }

  /**
   * Decides for one event. Returns {@link #FOLDED}, {@link #SHED}, {@link #PASS}, or the {@link Window} the event
   * opens (export it; the rollup of that window repeats its message).
   */
  Object admit(EventSource source, int severityNumber, String loggerName, String template, Throwable thrown,
      boolean errorPath) {
    if (!folds(severityNumber)) {
      if (emissionNanos == 0) {
        return PASS;
      }
      long now = nanoTime.getAsLong();
      if (tryAcquire(now)) {
        return PASS;
      }
      // The fingerprint is only needed to count distinct shed fingerprints.
      recordShed(now, fingerprint(source, severityNumber, loggerName, template, thrown, errorPath));
      return SHED;
    }
    long fingerprint = fingerprint(source, severityNumber, loggerName, template, thrown, errorPath);
    long now = nanoTime.getAsLong();
    Long key = fingerprint;
    while (true) {
      Window w = table.get(key);
      if (w == null) {
        if (table.size() >= maxFingerprints) {
          overCapacity = true;
          return acquire(now, fingerprint) ? PASS : SHED;
        }
        if (!acquire(now, fingerprint)) {
          return SHED;
        }
        Window opened = new Window(fingerprint, 1, now, now + windowNanos, epochNanos(now), source, severityNumber,
            loggerName, template, thrown, new LongAdder());
        if (table.putIfAbsent(key, opened) == null) {
          opened.total.increment();
          return opened;
        }
        continue; // another thread opened it first: fold into theirs (the token is not given back)
      }
      if (now - w.endNanos < 0) {
        if (w.fold(epochNanos(now))) {
          w.total.increment();
          return FOLDED;
        }
      }
      // The window is over (or was closed early): this event opens the next one.
      if (!acquire(now, fingerprint)) {
        return SHED;
      }
      Window next = new Window(fingerprint, w.seq + 1, now, now + windowNanos, epochNanos(now), source,
          severityNumber, loggerName, template, thrown, w.total);
      if (table.replace(key, w, next)) {
        if (!w.isClosed()) {
          retired.add(w);
        }
        next.total.increment();
        return next;
      }
    }
  }

  private static long fingerprint(EventSource source, int severityNumber, String loggerName, String template,
      Throwable thrown, boolean errorPath) {
    return errorPath ? Fingerprints.ofError(source.ordinal(), thrown)
        : Fingerprints.ofLog(loggerName, severityNumber, template, thrown);
  }

  /** Takes a token of the global budget; on failure counts the event as shed. */
  private boolean acquire(long now, long fingerprint) {
    if (tryAcquire(now)) {
      return true;
    }
    recordShed(now, fingerprint);
    return false;
  }

  /** GCRA: one CAS on the theoretical arrival time. */
  private boolean tryAcquire(long now) {
    if (emissionNanos == 0) {
      return true;
    }
    while (true) {
      long tat = theoreticalArrival.get();
      long next = Math.max(tat, now) + emissionNanos;
      if (next - now > toleranceNanos) {
        return false;
      }
      if (theoreticalArrival.compareAndSet(tat, next)) {
        return true;
      }
    }
  }

  private void recordShed(long now, long fingerprint) {
    long epoch = epochNanos(now);
    while (!shedding.get().count(epoch, fingerprint)) {
      Thread.onSpinWait(); // the worker closed it for a rollup and has put a new one in place
    }
  }

  /** Attaches the event that opened {@code window} (called when it is submitted). */
  static void opened(Object ticket, CapturedEvent event) {
    if (ticket instanceof Window) {
      ((Window) ticket).first = event;
    }
  }

  /**
   * Worker thread: closes what is due and returns the rollups to export. {@code all} closes every window (shutdown).
   */
  List<Rollup> collect(boolean all) {
    List<Rollup> out = new ArrayList<>();
    long now = nanoTime.getAsLong();
    Reason reason = all ? Reason.SHUTDOWN : Reason.WINDOW_END;
    for (Window w; (w = retired.poll()) != null; ) {
      close(w, reason, out);
    }
    for (Map.Entry<Long, Window> e : table.entrySet()) {
      Window w = e.getValue();
      if (all || now - w.endNanos >= 0) {
        close(w, reason, out);
        // Keep a closed window for one more window length so window_seq continues; then forget the fingerprint.
        if (all || now - w.endNanos >= windowNanos) {
          table.remove(e.getKey(), w);
        }
      }
    }
    if (overCapacity && !all) {
      overCapacity = false;
      evictOldest(now, out);
    }
    if (all || now - shedWindowEnd >= 0) {
      if (shedding.get().pending() > 0) {
        Shed closed = shedding.getAndSet(new Shed());
        long n = closed.close();
        if (n > 0) {
          shedSeq++;
          out.add(new Rollup(n, Math.max(1, closed.fingerprints.size()), shedSeq, closed.firstSeenEpochNanos,
              closed.lastSeenEpochNanos()));
        }
      }
      shedWindowEnd = now + windowNanos;
    }
    return out;
  }

  /** Closes the oldest eighth of the table (at least one window) with reason capacity. */
  private void evictOldest(long now, List<Rollup> out) {
    List<Window> windows = new ArrayList<>(table.values());
    int target = table.size() - maxFingerprints + Math.max(1, maxFingerprints / 8);
    if (target <= 0) {
      return;
    }
    windows.sort(Comparator.comparingLong(w -> w.startNanos - now));
    for (int i = 0; i < windows.size() && i < target; i++) {
      Window w = windows.get(i);
      close(w, Reason.CAPACITY, out);
      table.remove(w.fingerprint, w);
    }
  }

  private static void close(Window w, Reason reason, List<Rollup> out) {
    long s = w.close();
    if (s < 0) {
      return;
    }
    if (s > 0) {
      out.add(new Rollup(reason, s, w));
    }
  }

  /** Windows tracked now. */
  int size() {
    return table.size();
  }

  /** Shed events not yet reported in a rollup. */
  long shedPending() {
    return shedding.get().pending();
  }

  /**
   * The {@code n} fingerprints with the most events (admitted and folded, while tracked), as
   * {@code hex (ExceptionType|logger)} to count; for status output. No message text.
   */
  Map<String, Long> top(int n) {
    List<Window> windows = new ArrayList<>(table.values());
    windows.sort(Comparator.comparingLong((Window w) -> w.total.sum()).reversed());
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < windows.size() && out.size() < n; i++) {
      Window w = windows.get(i);
      out.put(Fingerprints.hex(w.fingerprint) + " " + label(w), w.total.sum());
    }
    return out;
  }

  private static String label(Window w) {
    String what = w.thrown != null ? w.thrown.getClass().getName() : w.loggerName;
    return (what == null ? w.source.metricName() : what);
  }
}
