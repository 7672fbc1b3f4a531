package dev.telemetryagent.agent.instrumentation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.telemetryagent.bootstrap.Dispatch;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Logback's {@code ch.qos.logback.classic.Logger#callAppenders(ILoggingEvent)} (1.2 to 1.5), called
 * once per event after the logger's level and turbo filters, whether or not an appender then prints it.
 */
public final class LogbackCallAppendersAdvice {

  private LogbackCallAppendersAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.Argument(0) ILoggingEvent event) {
    if (!Dispatch.enter()) {
      return true;
    }
    try {
      if (event != null && event.getLevel() != null) {
        Level level = event.getLevel();
        IThrowableProxy proxy = event.getThrowableProxy();
        Throwable thrown = proxy instanceof ThrowableProxy ? ((ThrowableProxy) proxy).getThrowable() : null;
        Object handle = Dispatch.beginLog(Dispatch.SOURCE_LOGBACK, level.toInt(), level.toString(),
            event.getLoggerName(), event.getMessage(), thrown);
        if (handle != null) {
          Dispatch.completeLog(handle, event.getFormattedMessage(), event.getArgumentArray(),
              Dispatch.wantsContext() ? event.getMDCPropertyMap() : null, event.getTimeStamp());
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
