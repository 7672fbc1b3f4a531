package dev.telemetryagent.exporter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of a pipeline's accounting. The snapshot always satisfies
 * {@code submitted == exported + folded + droppedTotal + pending}: the terminal counters are read before
 * {@code submitted},
 * and {@code pending} is derived from them, so it is never negative and the snapshot is self-consistent even while
 * other threads are submitting. {@link #queueSize()} and {@link #inFlight()} are read independently and describe
 * where the pending events are.
 */
public final class PipelineStats {

  private final long submitted;
  private final long exported;
  private final long folded;
  private final long rollups;
  private final long rollupsExported;
  private final long rollupsDropped;
  private final Map<DropReason, Long> dropped;
  private final long pending;
  private final long queueSize;
  private final long inFlight;
  private final long lastExportSuccessEpochMillis;
  private final String lastError;

  PipelineStats(long submitted, long exported, Map<DropReason, Long> dropped, long queueSize, long inFlight,
      long lastExportSuccessEpochMillis, String lastError) {
    this(submitted, exported, 0, dropped, queueSize, inFlight, lastExportSuccessEpochMillis, lastError, 0, 0, 0);
  }

  PipelineStats(long submitted, long exported, long folded, Map<DropReason, Long> dropped, long queueSize,
      long inFlight, long lastExportSuccessEpochMillis, String lastError, long rollups, long rollupsExported,
      long rollupsDropped) {
    EnumMap<DropReason, Long> copy = new EnumMap<>(DropReason.class);
    long total = 0;
    for (DropReason r : DropReason.values()) {
      Long v = dropped.get(r);
      long n = v == null ? 0 : v;
      copy.put(r, n);
      total += n;
    }
    this.submitted = submitted;
    this.exported = exported;
    this.folded = folded;
    this.rollups = rollups;
    this.rollupsExported = rollupsExported;
    this.rollupsDropped = rollupsDropped;
    this.dropped = Collections.unmodifiableMap(copy);
    this.pending = submitted - exported - folded - total;
    this.queueSize = queueSize;
    this.inFlight = inFlight;
    this.lastExportSuccessEpochMillis = lastExportSuccessEpochMillis;
    this.lastError = lastError;
  }

  static PipelineStats empty() {
    return new PipelineStats(0, 0, Collections.emptyMap(), 0, 0, 0, null);
  }

  /** Events handed to {@link TelemetryPipeline#submit} (captured), including those dropped at once. */
  public long submitted() {
    return submitted;
  }

  /** Events the exporter acknowledged. */
  public long exported() {
    return exported;
  }

  /** Events folded into a rollup: repeats of an exported event inside its dedupe window (docs/processor.md). */
  public long folded() {
    return folded;
  }

  /**
   * Rollup records produced (one per window with repeats, per capacity eviction, per shutdown, and one per window
   * in which the global budget shed events). These are records of the agent's own, not captured events: they are
   * not part of the invariant.
   */
  public long rollups() {
    return rollups;
  }

  /** Rollup records the exporter acknowledged. */
  public long rollupsExported() {
    return rollupsExported;
  }

  /** Rollup records that could not be exported (export failure, scrub error, shutdown). */
  public long rollupsDropped() {
    return rollupsDropped;
  }

  /** Events dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped.get(reason);
  }

  /** Drops by reason (all reasons present, unmodifiable). */
  public Map<DropReason, Long> droppedByReason() {
    return dropped;
  }

  /** Events dropped for any reason. */
  public long droppedTotal() {
    long total = 0;
    for (long n : dropped.values()) {
      total += n;
    }
    return total;
  }

  /** Events neither exported, folded nor dropped yet: queued, or taken by the worker and not yet settled. */
  public long pending() {
    return pending;
  }

  /** Events waiting in the queue at the time of the snapshot. */
  public long queueSize() {
    return queueSize;
  }

  /** Events taken from the queue by the worker and not yet settled (being converted or exported). */
  public long inFlight() {
    return inFlight;
  }

  /** Wall-clock time of the last successful export, or 0 if none yet. */
  public long lastExportSuccessEpochMillis() {
    return lastExportSuccessEpochMillis;
  }

  /** The last problem the pipeline met (export failure, scrub error, ...), or null. Contains no record content. */
  public String lastError() {
    return lastError;
  }

  /** {@code submitted == exported + folded + droppedTotal + pending} and {@code pending >= 0}. */
  public boolean invariantHolds() {
    return pending >= 0 && submitted == exported + folded + droppedTotal() + pending;
  }

  /**
   * The numbers as an ordered map: {@code submitted}, {@code exported}, {@code folded}, {@code dropped.<reason>}
   * for every reason, {@code dropped.total}, {@code pending}, {@code queue.size}, {@code in_flight},
   * {@code rollups}, {@code rollups.exported}, {@code rollups.dropped}, {@code last_export_success_epoch_millis}.
   */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("submitted", submitted);
    m.put("exported", exported);
    m.put("folded", folded);
    for (DropReason r : DropReason.values()) {
      m.put("dropped." + r.key(), dropped.get(r));
    }
    m.put("dropped.total", droppedTotal());
    m.put("pending", pending);
    m.put("queue.size", queueSize);
    m.put("in_flight", inFlight);
    m.put("rollups", rollups);
    m.put("rollups.exported", rollupsExported);
    m.put("rollups.dropped", rollupsDropped);
    m.put("last_export_success_epoch_millis", lastExportSuccessEpochMillis);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public String toString() {
    return "PipelineStats" + asMap() + (lastError == null ? "" : " lastError=" + lastError);
  }
}
