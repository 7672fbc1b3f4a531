package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.Message;

/**
 * Called from the start of Log4j core's {@code Logger#logMessage(String fqcn, Level, Marker, Message, Throwable)}
 * and {@code AsyncLogger#log(Level, Marker, String fqcn, StackTraceElement location, Message, Throwable)}, which the
 * Log4j API calls once its level check has passed; inside the capture scope the instrumentation opened. Other Log4j
 * API providers (log4j-to-slf4j, log4j-to-jul) delegate to a framework captured on its own, so they are not
 * instrumented.
 *
 * <p>Self-contained on purpose: it refers to Log4j's API and {@link Dispatch} only, because {@link HookClasses}
 * defines a copy of it in whichever class loader holds Log4j.
 */
public final class Log4jHook {

  private Log4jHook() {}

  /** Total: a failure is counted with {@link Dispatch#adviceFailed}, never thrown. */
  public static void log(Logger logger, Level level, Message message, Throwable thrown) {
    try {
      if (level != null && message != null) {
        Throwable t = thrown != null ? thrown : message.getThrowable();
        Object handle = Dispatch.beginLog(Dispatch.SOURCE_LOG4J, level.intLevel(), level.name(), logger.getName(),
            message.getFormat(), t);
        if (handle != null) {
          Dispatch.completeLog(handle, message.getFormattedMessage(), message.getParameters(),
              Dispatch.wantsContext() ? ThreadContext.getImmutableContext() : null, 0L);
        }
      }
    } catch (Throwable t) {
      Dispatch.adviceFailed(t);
    }
  }
}
