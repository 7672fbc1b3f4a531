package dev.telemetryagent.sample;

import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging set up the way Log4j and Logback are set up by their XML files: everything under
 * {@code com.example.worker} at every level to stdout, one line per record in the app's console format
 * ({@code jul LEVEL [thread] logger - message}), followed by the stack trace when there is a throwable.
 */
final class JulConsole {

  /** Held strongly: java.util.logging keeps loggers only weakly, and with them their configuration. */
  private static final Logger APP_ROOT = Logger.getLogger("com.example.worker");

  private JulConsole() {}

  static void install() {
    StdoutHandler handler = new StdoutHandler();
    handler.setLevel(Level.ALL);
    handler.setFormatter(new LineFormatter());
    APP_ROOT.setLevel(Level.ALL);
    APP_ROOT.setUseParentHandlers(false);
    APP_ROOT.addHandler(handler);
  }

  /** Writes each formatted record with one call, so lines of concurrent records never interleave. */
  static final class StdoutHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String text;
      try {
        text = getFormatter().format(record);
      } catch (RuntimeException e) {
        reportError(null, e, java.util.logging.ErrorManager.FORMAT_FAILURE);
        return;
      }
      PrintStream out = System.out;
      out.print(text);
      out.flush();
    }

    @Override
    public void flush() {
      System.out.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }

  /** {@code jul LEVEL [thread] logger - message}, then the stack trace (rendered here, not by printStackTrace). */
  static final class LineFormatter extends Formatter {
    private static final String NL = System.lineSeparator();

    @Override
    public String format(LogRecord record) {
      StringBuilder sb = new StringBuilder(128);
      sb.append("jul ").append(record.getLevel().getName())
          .append(" [").append(Thread.currentThread().getName()).append("] ")
          .append(record.getLoggerName())
          .append(" - ").append(formatMessage(record)).append(NL);
      if (record.getThrown() != null) {
        appendStackTrace(sb, record.getThrown());
      }
      return sb.toString();
    }

    /** The JDK's stack trace layout: header, frames, then each cause with "Caused by:" and "... n more". */
    static void appendStackTrace(StringBuilder sb, Throwable t) {
      Map<Throwable, Boolean> seen = new IdentityHashMap<>();
      StackTraceElement[] enclosing = null;
      String prefix = "";
      while (t != null && seen.put(t, Boolean.TRUE) == null) {
        StackTraceElement[] frames = t.getStackTrace();
        int m = frames.length - 1;
        if (enclosing != null) {
          int n = enclosing.length - 1;
          while (m >= 0 && n >= 0 && frames[m].equals(enclosing[n])) {
            m--;
            n--;
          }
        }
        int common = frames.length - 1 - m;
        sb.append(prefix).append(t).append(NL);
        for (int i = 0; i <= m; i++) {
          sb.append("\tat ").append(frames[i]).append(NL);
        }
        if (common > 0) {
          sb.append("\t... ").append(common).append(" more").append(NL);
        }
        enclosing = frames;
        prefix = "Caused by: ";
        t = t.getCause();
      }
    }
  }
}
