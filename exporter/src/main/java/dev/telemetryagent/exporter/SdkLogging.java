package dev.telemetryagent.exporter;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the OpenTelemetry SDK's own java.util.logging output (e.g. "Failed to export logs...") away from the
 * application's handlers: the logger {@code io.opentelemetry} (relocated with the SDK when shaded, since the
 * shade plugin rewrites this string literal too) gets {@code useParentHandlers=false}, level WARNING and a single
 * handler forwarding to the throttled {@link Diagnostics}.
 *
 * <p>If the application resets java.util.logging ({@code LogManager.reset()} removes every handler), the SDK's
 * output goes nowhere (never to the application's console) until {@link #ensureInstalled()}, which the pipeline's
 * worker calls every export interval, puts the handler back.
 */
final class SdkLogging {

  /** Strong reference: java.util.logging holds loggers weakly, and a collected logger loses its configuration. */
  private static final Logger SDK_LOGGER = Logger.getLogger("io.opentelemetry");

  private static volatile Forwarder forwarder;

  private SdkLogging() {}

  static Logger sdkLogger() {
    return SDK_LOGGER;
  }

  /** Routes the SDK's logging to {@code diagnostics}; the latest call wins. Never throws. */
  static synchronized void install(Diagnostics diagnostics) {
    Forwarder current = forwarder;
    if (current == null || current.diagnostics != diagnostics) {
      forwarder = new Forwarder(diagnostics);
    }
    apply();
  }

  /** Re-applies the configuration if the application reset it. Cheap; never throws. */
  static void ensureInstalled() {
    Forwarder f = forwarder;
    if (f == null) {
      return;
    }
    try {
      if (SDK_LOGGER.getUseParentHandlers() || SDK_LOGGER.getLevel() != Level.WARNING || !hasHandler(f)) {
        synchronized (SdkLogging.class) {
          apply();
        }
      }
    } catch (Throwable t) {
      // Security manager or a broken LogManager: nothing more we can do.
    }
  }

  private static boolean hasHandler(Handler h) {
    for (Handler existing : SDK_LOGGER.getHandlers()) {
      if (existing == h) {
        return true;
      }
    }
    return false;
  }

  private static void apply() {
    Forwarder f = forwarder;
    try {
      SDK_LOGGER.setUseParentHandlers(false);
      SDK_LOGGER.setLevel(Level.WARNING);
      for (Handler existing : SDK_LOGGER.getHandlers()) {
        if (existing instanceof Forwarder && existing != f) {
          SDK_LOGGER.removeHandler(existing);
        }
      }
      if (f != null && !hasHandler(f)) {
        SDK_LOGGER.addHandler(f);
      }
    } catch (Throwable t) {
      // Security manager or a broken LogManager.
    }
  }

  /** Forwards WARNING and above to the throttled diagnostics; one kind per logger and message template. */
  static final class Forwarder extends Handler {
    private static final int KIND_PREFIX_CHARS = 64;
    final Diagnostics diagnostics;
    private final SimpleFormatter formatter = new SimpleFormatter();

    Forwarder(Diagnostics diagnostics) {
      this.diagnostics = diagnostics;
      setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord record) {
      try {
        if (record == null || record.getLevel().intValue() < Level.WARNING.intValue()) {
          return;
        }
        Filter filter = getFilter();
        if (filter != null && !filter.isLoggable(record)) {
          return;
        }
        String raw = record.getMessage();
        String message;
        try {
          message = formatter.formatMessage(record);
        } catch (RuntimeException e) {
          message = raw;
        }
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        String kind = "sdk|" + logger + "|"
            + (raw == null ? "" : raw.substring(0, Math.min(raw.length(), KIND_PREFIX_CHARS)));
        String shortName = logger.substring(logger.lastIndexOf('.') + 1);
        StringBuilder line = new StringBuilder(128).append("OpenTelemetry SDK ")
            .append(record.getLevel().getName()).append(" [").append(shortName).append("]: ").append(message);
        Throwable thrown = record.getThrown();
        if (thrown != null) {
          line.append(" (").append(StackTraceRenderer.safeToString(thrown)).append(')');
        }
        diagnostics.warn(kind, line.toString());
      } catch (Throwable t) {
        // never throw into the SDK
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
