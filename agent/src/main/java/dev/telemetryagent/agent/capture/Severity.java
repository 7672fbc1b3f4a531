package dev.telemetryagent.agent.capture;

import dev.telemetryagent.exporter.EventSource;
import java.util.Locale;

/**
 * Maps each framework's levels to OpenTelemetry severity numbers, following the OpenTelemetry log bridge
 * (appender) conventions, and configuration level words to thresholds.
 */
public final class Severity {

  public static final int TRACE = 1;
  public static final int TRACE3 = 3;
  public static final int DEBUG = 5;
  public static final int DEBUG3 = 7;
  public static final int INFO = 9;
  public static final int WARN = 13;
  public static final int ERROR = 17;
  public static final int FATAL = 21;
  /** Above every severity: a threshold that captures nothing. */
  public static final int OFF = Integer.MAX_VALUE;

  private Severity() {}

  /** The severity number of a framework level. */
  public static int of(EventSource source, int frameworkLevel) {
    switch (source) {
      case JUL:
        return jul(frameworkLevel);
      case LOG4J:
        return log4j(frameworkLevel);
      case LOGBACK:
        return logback(frameworkLevel);
      default:
        return ERROR;
    }
  }

  /** java.util.logging: SEVERE 1000, WARNING 900, INFO 800, CONFIG 700, FINE 500, FINER 400, FINEST 300. */
  static int jul(int level) {
    if (level >= 1000) {
      return ERROR;
    } else if (level >= 900) {
      return WARN;
    } else if (level >= 800) {
      return INFO;
    } else if (level >= 700) {
      return DEBUG3;
    } else if (level >= 500) {
      return DEBUG;
    } else if (level >= 400) {
      return TRACE3;
    }
    return TRACE;
  }

  /** Log4j 2 {@code intLevel}: FATAL 100, ERROR 200, WARN 300, INFO 400, DEBUG 500, TRACE 600 (lower is worse). */
  static int log4j(int intLevel) {
    if (intLevel <= 100) {
      return FATAL;
    } else if (intLevel <= 200) {
      return ERROR;
    } else if (intLevel <= 300) {
      return WARN;
    } else if (intLevel <= 400) {
      return INFO;
    } else if (intLevel <= 500) {
      return DEBUG;
    }
    return TRACE;
  }

  /** Logback {@code toInt}: ERROR 40000, WARN 30000, INFO 20000, DEBUG 10000, TRACE 5000. */
  static int logback(int level) {
    if (level >= 40000) {
      return ERROR;
    } else if (level >= 30000) {
      return WARN;
    } else if (level >= 20000) {
      return INFO;
    } else if (level >= 10000) {
      return DEBUG;
    }
    return TRACE;
  }

  /** The threshold for a configured level word (TRACE ... FATAL, OFF). */
  public static int threshold(String level) {
    switch (level.toUpperCase(Locale.ROOT)) {
      case "TRACE":
        return TRACE;
      case "DEBUG":
        return DEBUG;
      case "INFO":
        return INFO;
      case "WARN":
        return WARN;
      case "ERROR":
        return ERROR;
      case "FATAL":
        return FATAL;
      default:
        return OFF;
    }
  }
}
