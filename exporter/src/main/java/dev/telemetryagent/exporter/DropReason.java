package dev.telemetryagent.exporter;

/** Why a captured event was not exported. Every submitted event is either exported, folded into a rollup, dropped for one of
 * these, or pending. */
public enum DropReason {
  /** The bounded queue was full when an application thread submitted the event. */
  QUEUE_FULL("queue_full"),
  /** The exporter reported a failure (backend error, timeout, unwritable file, ...). */
  EXPORT_FAILED("export_failed"),
  /** Submitted after shutdown started, or still pending when the shutdown time ran out. */
  SHUTDOWN("shutdown"),
  /** Shed by the global budget (token bucket, events per second across all fingerprints). */
  RATE_LIMITED("rate_limited"),
  /** The {@link Redactor} threw: the record was dropped rather than exported unscrubbed. */
  SCRUB_ERROR("scrub_error");

  private final String key;

  DropReason(String key) {
    this.key = key;
  }

  /** The stable name used in stats and status output: queue_full, export_failed, shutdown, rate_limited,
   * scrub_error. */
  public String key() {
    return key;
  }
}
