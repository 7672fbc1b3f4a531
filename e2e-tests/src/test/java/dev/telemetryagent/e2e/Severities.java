package dev.telemetryagent.e2e;

import java.util.Map;

/** The agent's contract: framework level name to OpenTelemetry severity number. */
public final class Severities {

  private static final Map<String, Integer> JUL = Map.of(
      "SEVERE", 17, "WARNING", 13, "INFO", 9, "CONFIG", 7, "FINE", 5, "FINER", 3, "FINEST", 1);
  private static final Map<String, Integer> LOG4J = Map.of(
      "FATAL", 21, "ERROR", 17, "WARN", 13, "INFO", 9, "DEBUG", 5, "TRACE", 1);
  private static final Map<String, Integer> LOGBACK = Map.of(
      "ERROR", 17, "WARN", 13, "INFO", 9, "DEBUG", 5, "TRACE", 1);

  /** OpenTelemetry's INFO: the agent's default capture level. */
  public static final int INFO = 9;
  /** OpenTelemetry's ERROR and FATAL: what error paths export. */
  public static final int ERROR = 17;
  public static final int FATAL = 21;

  private Severities() {}

  /**
   * @param source {@code jul}, {@code log4j} or {@code logback} (the {@code telemetry.agent.source} attribute)
   * @param levelName the framework's level name (the severity text)
   */
  public static int number(String source, String levelName) {
    Map<String, Integer> table;
    switch (source) {
      case "jul":
        table = JUL;
        break;
      case "log4j":
        table = LOG4J;
        break;
      case "logback":
        table = LOGBACK;
        break;
      default:
        throw new IllegalArgumentException("unknown source " + source);
    }
    Integer n = table.get(levelName);
    if (n == null) {
      throw new IllegalArgumentException("unknown " + source + " level " + levelName);
    }
    return n;
  }
}
