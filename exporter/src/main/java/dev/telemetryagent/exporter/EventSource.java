package dev.telemetryagent.exporter;

/** Where a captured event came from; {@link #attributeValue()} is what {@code exception.source} and self-metrics use. */
public enum EventSource {
  JUL("log", "jul"),
  LOG4J("log", "log4j"),
  LOGBACK("log", "logback"),
  UNCAUGHT("uncaught", "uncaught"),
  PRINT_STACK_TRACE("print_stack_trace", "print_stack_trace"),
  EXECUTOR("executor", "executor"),
  /** Records of the agent's own (the rate-limit rollup); never captured from the application. */
  AGENT("agent", "agent");

  private final String exceptionSource;
  private final String metricName;

  EventSource(String exceptionSource, String metricName) {
    this.exceptionSource = exceptionSource;
    this.metricName = metricName;
  }

  /** The value of the {@code exception.source} attribute: log, uncaught, print_stack_trace or executor. */
  public String attributeValue() {
    return exceptionSource;
  }

  /** A short, stable name for counters and status output (jul, log4j, logback, uncaught, ...). */
  public String metricName() {
    return metricName;
  }

  /** Whether the event came from a logging framework (as opposed to an error path no appender sees). */
  public boolean isLog() {
    return this == JUL || this == LOG4J || this == LOGBACK;
  }
}
