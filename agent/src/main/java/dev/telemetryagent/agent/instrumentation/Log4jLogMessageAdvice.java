package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.Message;

/**
 * Inlined into Log4j core's {@code Logger#logMessage(String fqcn, Level, Marker, Message, Throwable)} (and
 * {@code AsyncLogger}'s), which the Log4j API calls once its level check has passed. Other Log4j API providers
 * (log4j-to-slf4j, log4j-to-jul) delegate to a framework captured on its own, so they are not instrumented.
 */
public final class Log4jLogMessageAdvice {

  private Log4jLogMessageAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.This org.apache.logging.log4j.Logger logger,
      @Advice.Argument(1) Level level, @Advice.Argument(3) Message message, @Advice.Argument(4) Throwable thrown) {
    if (!Dispatch.enter()) {
      return true;
    }
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
    return true;
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(@Advice.Enter boolean entered) {
    if (entered) {
      Dispatch.exit();
    }
  }
}
