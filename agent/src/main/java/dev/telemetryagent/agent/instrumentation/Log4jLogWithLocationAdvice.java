package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.Message;

/**
 * Inlined into Log4j core's {@code Logger#log(Level, Marker, String fqcn, StackTraceElement, Message, Throwable)},
 * the path the Log4j API takes (since 2.13) when it has already computed the caller's location. When both this and
 * {@link Log4jLogMessageAdvice} are on the stack, the re-entrancy guard lets only the outer one capture.
 */
public final class Log4jLogWithLocationAdvice {

  private Log4jLogWithLocationAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.This org.apache.logging.log4j.Logger logger,
      @Advice.Argument(0) Level level, @Advice.Argument(4) Message message, @Advice.Argument(5) Throwable thrown) {
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
