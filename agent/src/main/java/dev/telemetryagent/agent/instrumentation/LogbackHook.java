package dev.telemetryagent.agent.instrumentation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.telemetryagent.bootstrap.Dispatch;

/**
 * Called from the start of Logback's {@code ch.qos.logback.classic.Logger#callAppenders(ILoggingEvent)} (1.2 to
 * 1.5), once per event after the logger's level and turbo filters, whether or not an appender then prints it; inside
 * the capture scope the instrumentation opened.
 *
 * <p>Self-contained on purpose: it refers to Logback's API and {@link Dispatch} only, because {@link HookClasses}
 * defines a copy of it in whichever class loader holds Logback.
 */
public final class LogbackHook {

  private LogbackHook() {}

  /** Total: a failure is counted with {@link Dispatch#adviceFailed}, never thrown. */
  public static void callAppenders(ILoggingEvent event) {
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
  }
}
