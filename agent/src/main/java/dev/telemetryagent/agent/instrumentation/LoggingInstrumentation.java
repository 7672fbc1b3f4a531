package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.agent.instrumentation.HookPoint.Kind;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the logging capture: a scoped hook call at the start of the one method each framework routes every
 * enabled event through, after its own level check. Classes are matched by exact name only, and classes loaded
 * before the agent (JUL's logger often is) are retransformed; only method bodies change, so this works on classes
 * already in use.
 */
public final class LoggingInstrumentation {

  static final String JUL_LOGGER = "java/util/logging/Logger";
  static final String LOG4J_CORE_LOGGER = "org/apache/logging/log4j/core/Logger";
  static final String LOG4J_ASYNC_LOGGER = "org/apache/logging/log4j/core/async/AsyncLogger";
  static final String LOGBACK_LOGGER = "ch/qos/logback/classic/Logger";

  private static final String JUL_HOOK = "dev/telemetryagent/bootstrap/JulHook";
  private static final String LOG4J_HOOK = Log4jHook.class.getName().replace('.', '/');
  private static final String LOGBACK_HOOK = LogbackHook.class.getName().replace('.', '/');
  private static final String LOG4J_LEVEL = "Lorg/apache/logging/log4j/Level;";
  private static final String LOG4J_MESSAGE = "Lorg/apache/logging/log4j/message/Message;";
  private static final String LOG4J_HOOK_DESCRIPTOR =
      "(Lorg/apache/logging/log4j/Logger;" + LOG4J_LEVEL + LOG4J_MESSAGE + "Ljava/lang/Throwable;)V";

  private final InstrumentationListener listener = new InstrumentationListener();
  private volatile int retransformBatchSize = 4;

  /** Already-loaded classes retransformed per batch; the installing thread yields between batches. */
  public void retransformBatchSize(int size) {
    this.retransformBatchSize = Math.max(1, size);
  }

  /** Classes transformed so far. */
  public long transformedCount() {
    return listener.transformedCount();
  }

  /** Transformation errors so far (each is also reported once on stderr). */
  public long errorCount() {
    return listener.errorCount();
  }

  public String lastError() {
    return listener.lastError();
  }

  /**
   * Installs the transformations and retransforms matching classes that are already loaded.
   *
   * @param debug whether to report each transformed class on stderr
   * @return the installed transformer, so it can be removed in tests
   */
  public ClassFileTransformer install(Instrumentation inst, boolean jul, boolean log4j, boolean logback,
      boolean debug) {
    listener.debug(debug);
    Weaver weaver = new Weaver(inst, points(jul, log4j, logback), listener, new HookClasses(inst));
    weaver.install(retransformBatchSize);
    return weaver;
  }

  static List<HookPoint> points(boolean jul, boolean log4j, boolean logback) {
    List<HookPoint> points = new ArrayList<>();
    if (jul) {
      // Logger#log(LogRecord): every JUL logging call ends here.
      points.add(new HookPoint(JUL_LOGGER, "log", new String[] {"Ljava/util/logging/LogRecord;"}, Kind.SCOPED_ENTRY,
          JUL_HOOK, "log", "(Ljava/util/logging/Logger;Ljava/util/logging/LogRecord;)V", HookPoint.THIS, 0));
    }
    if (log4j) {
      // Both methods on both classes: which one a call reaches depends on the Log4j version and on whether the
      // caller's location is wanted; the capture scope makes sure a call that passes through both is taken once.
      for (String owner : new String[] {LOG4J_CORE_LOGGER, LOG4J_ASYNC_LOGGER}) {
        // logMessage(String fqcn, Level, Marker, Message, Throwable)
        points.add(new HookPoint(owner, "logMessage",
            new String[] {"Ljava/lang/String;", LOG4J_LEVEL, null, LOG4J_MESSAGE, "Ljava/lang/Throwable;"},
            Kind.SCOPED_ENTRY, LOG4J_HOOK, "log", LOG4J_HOOK_DESCRIPTOR, HookPoint.THIS, 1, 3, 4));
        // log(Level, Marker, String fqcn, StackTraceElement location, Message, Throwable)
        points.add(new HookPoint(owner, "log",
            new String[] {LOG4J_LEVEL, null, "Ljava/lang/String;", "Ljava/lang/StackTraceElement;", LOG4J_MESSAGE,
                "Ljava/lang/Throwable;"},
            Kind.SCOPED_ENTRY, LOG4J_HOOK, "log", LOG4J_HOOK_DESCRIPTOR, HookPoint.THIS, 0, 4, 5));
      }
    }
    if (logback) {
      // Logger#callAppenders(ILoggingEvent): once per event, after the level and turbo filters (1.2 to 1.5).
      points.add(new HookPoint(LOGBACK_LOGGER, "callAppenders",
          new String[] {"Lch/qos/logback/classic/spi/ILoggingEvent;"}, Kind.SCOPED_ENTRY, LOGBACK_HOOK,
          "callAppenders", "(Lch/qos/logback/classic/spi/ILoggingEvent;)V", 0));
    }
    return points;
  }
}
