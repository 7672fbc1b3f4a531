package dev.telemetryagent.exporter;

/**
 * Where captured events go, in two steps so that a repeat costs almost nothing: {@link #admitLog} decides, from what
 * a log call has before any formatting (logger, level, template, Throwable), whether the event is wanted at all; only
 * then does the caller build the {@link CapturedEvent} and {@link #submit} it with the ticket it got. Both methods
 * run on application threads: they never throw, never block.
 */
public interface EventGate {

  /**
   * Decides whether a log call becomes an event. Returns null when it must not be built: it was folded into a rollup
   * or shed by the rate limit, and has already been counted as such. Otherwise returns a ticket to hand to
   * {@link #submit} with the event.
   */
  Object admitLog(EventSource source, int severityNumber, String loggerName, String template, Throwable thrown);

  /**
   * Hands over an event. {@code ticket} is what {@link #admitLog} returned, or null for events that did not go
   * through it (error paths), which are then admitted here.
   */
  void submit(CapturedEvent event, Object ticket);

  /** A gate that admits everything and passes events to {@code consumer} (tests, tools). */
  static EventGate passThrough(java.util.function.Consumer<CapturedEvent> consumer) {
    return new EventGate() {
      @Override
      public Object admitLog(EventSource source, int severityNumber, String loggerName, String template,
          Throwable thrown) {
        return Boolean.TRUE;
      }

      @Override
      public void submit(CapturedEvent event, Object ticket) {
        consumer.accept(event);
      }
    };
  }
}
