package dev.telemetryagent.bootstrap;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Called from the start of {@code java.util.logging.Logger#log(LogRecord)}, the method every JUL logging call ends
 * in, inside the capture scope the instrumentation opened ({@link Dispatch#enter()} returned true). Captures the
 * record when the logger's level lets it through, before handlers run. In the boot loader because JUL is.
 */
public final class JulHook {

  private JulHook() {}

  /** Total: a failure is counted with {@link Dispatch#adviceFailed}, never thrown. */
  public static void log(Logger logger, LogRecord record) {
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
  }
}
