package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.util.logging.Logger#log(LogRecord)}, the method every JUL logging call ends in. Captures
 * the record when the logger's level lets it through, before handlers run. Stateless blueprint: only
 * {@link Dispatch} is called.
 */
public final class JulLoggerAdvice {

  private JulLoggerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.This Logger logger, @Advice.Argument(0) LogRecord record) {
    if (!Dispatch.enter()) {
      return true;
    }
    try {
      if (record != null) {
        Level level = record.getLevel();
        if (level != null && logger.isLoggable(level)) {
          String name = record.getLoggerName() != null ? record.getLoggerName() : logger.getName();
          Object handle = Dispatch.beginLog(Dispatch.SOURCE_JUL, level.intValue(), level.getName(), name,
              record.getMessage(), record.getThrown());
          if (handle != null) {
            Dispatch.completeLog(handle, null, record.getParameters(), null, record.getMillis());
          }
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
