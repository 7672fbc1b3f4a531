package dev.telemetryagent.exporter;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a {@link Throwable} the way {@link Throwable#printStackTrace()} does: a {@code type: message} header,
 * {@code \tat frame} lines, {@code Caused by: ...} and {@code Suppressed: ...} sections with tab indentation,
 * {@code \t... N more} folding of the frames in common with the enclosing trace, and
 * {@code [CIRCULAR REFERENCE: ...]} for cycles. Lines are separated by {@code \n}; there is no trailing newline.
 *
 * <p>Bounded: at most {@code maxFrames} {@code at} lines in total and at most {@code maxChars} characters (marker
 * included). When a limit is hit, walking stops and the output ends with {@link #TRUNCATION_MARKER}. The walk is
 * iterative, so deep cause or suppression chains cannot overflow the stack.
 *
 * <p>Total: never throws, even when the application's exception throws from {@code toString()},
 * {@code getMessage()}, {@code getCause()} or {@code getStackTrace()}. Instances are immutable and thread-safe.
 */
public final class StackTraceRenderer {

  /** Appended (on its own line) when a limit cut the rendering short. */
  public static final String TRUNCATION_MARKER = "\t... (truncated by telemetry-agent)";

  /** The smallest accepted {@code maxChars}. */
  public static final int MIN_CHARS = 128;

  static final String CAUSE_CAPTION = "Caused by: ";
  static final String SUPPRESSED_CAPTION = "Suppressed: ";

  private static final StackTraceElement[] NO_FRAMES = new StackTraceElement[0];
  private static final Throwable[] NO_THROWABLES = new Throwable[0];

  private final int maxFrames;
  private final int maxChars;

  /**
   * @param maxFrames the maximum number of {@code \tat} lines over the whole rendering, at least 0
   * @param maxChars the maximum length of the result, marker included, at least {@link #MIN_CHARS}
   */
  public StackTraceRenderer(int maxFrames, int maxChars) {
    if (maxFrames < 0) {
      throw new IllegalArgumentException("maxFrames must be >= 0, was " + maxFrames);
    }
    if (maxChars < MIN_CHARS) {
      throw new IllegalArgumentException("maxChars must be >= " + MIN_CHARS + ", was " + maxChars);
    }
    this.maxFrames = maxFrames;
    this.maxChars = maxChars;
  }

  public int maxFrames() {
    return maxFrames;
  }

  public int maxChars() {
    return maxChars;
  }

  /** Renders {@code throwable}; returns the empty string for null. Never throws. */
  public String render(Throwable throwable) {
    if (throwable == null) {
      return "";
    }
    Out out = new Out(maxChars);
    try {
      walk(throwable, out);
    } catch (Throwable unexpected) {
      // Out of memory or a bug: keep what we have, and say it is incomplete.
      out.truncated = true;
    }
    return out.finish();
  }

  private static final class Item {
    final Throwable throwable;
    final StackTraceElement[] enclosingTrace;
    final String caption;
    final String prefix;

    Item(Throwable throwable, StackTraceElement[] enclosingTrace, String caption, String prefix) {
      this.throwable = throwable;
      this.enclosingTrace = enclosingTrace;
      this.caption = caption;
      this.prefix = prefix;
    }
  }

  private void walk(Throwable root, Out out) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Item> work = new ArrayDeque<>();
    work.push(new Item(root, NO_FRAMES, "", ""));
    int frames = 0;
    while (!work.isEmpty()) {
      Item item = work.pop();
      Throwable t = item.throwable;
      if (seen.contains(t)) {
        if (!out.line(item.prefix + item.caption + "[CIRCULAR REFERENCE: " + safeToString(t) + "]")) {
          return;
        }
        continue;
      }
      seen.add(t);
      StackTraceElement[] trace = safeStackTrace(t);
      StackTraceElement[] enclosing = item.enclosingTrace;
      int m = trace.length - 1;
      int n = enclosing.length - 1;
      while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
        m--;
        n--;
      }
      int framesInCommon = trace.length - 1 - m;
      if (!out.line(item.prefix + item.caption + safeToString(t))) {
        return;
      }
      for (int i = 0; i <= m; i++) {
        if (frames >= maxFrames) {
          out.truncated = true;
          return;
        }
        frames++;
        if (!out.line(item.prefix + "\tat " + trace[i])) {
          return;
        }
      }
      if (framesInCommon != 0 && !out.line(item.prefix + "\t... " + framesInCommon + " more")) {
        return;
      }
      // Depth first, in printStackTrace order: every suppressed (with its own subtree), then the cause.
      Throwable cause = safeCause(t);
      if (cause != null) {
        work.push(new Item(cause, trace, CAUSE_CAPTION, item.prefix));
      }
      Throwable[] suppressed = safeSuppressed(t);
      for (int i = suppressed.length - 1; i >= 0; i--) {
        if (suppressed[i] != null) {
          work.push(new Item(suppressed[i], trace, SUPPRESSED_CAPTION, item.prefix + "\t"));
        }
      }
    }
  }

  /** Accumulates lines up to the character budget. */
  private static final class Out {
    private final StringBuilder sb = new StringBuilder(256);
    private final int budget;
    boolean truncated;

    Out(int maxChars) {
      // Room for "\n" + marker when truncated.
      this.budget = maxChars - TRUNCATION_MARKER.length() - 1;
    }

    /** Appends a line; returns false (and marks truncation) when the budget is exhausted. */
    boolean line(String s) {
      int sep = sb.length() == 0 ? 0 : 1;
      if (sb.length() + sep + s.length() <= budget) {
        if (sep == 1) {
          sb.append('\n');
        }
        sb.append(s);
        return true;
      }
      int room = budget - sb.length() - sep;
      if (room > 0) {
        int end = room;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
          end--;
        }
        if (end > 0) {
          if (sep == 1) {
            sb.append('\n');
          }
          sb.append(s, 0, end);
        }
      }
      truncated = true;
      return false;
    }

    String finish() {
      if (truncated) {
        if (sb.length() > 0) {
          sb.append('\n');
        }
        sb.append(TRUNCATION_MARKER);
      }
      return sb.toString();
    }
  }

  /**
   * {@code throwable.toString()}, or a fallback when it throws or returns null: {@code type: message}, else
   * {@code type (toString() threw X)}. Never throws.
   */
  public static String safeToString(Throwable throwable) {
    if (throwable == null) {
      return "null";
    }
    String type = typeName(throwable);
    try {
      String s = throwable.toString();
      if (s != null) {
        return s;
      }
    } catch (Throwable failure) {
      String message = safeMessage(throwable);
      return message != null
          ? type + ": " + message
          : type + " (toString() threw " + typeName(failure) + ")";
    }
    String message = safeMessage(throwable);
    return message != null ? type + ": " + message : type;
  }

  /** {@code throwable.getMessage()}, or null when it throws. Never throws. */
  public static String safeMessage(Throwable throwable) {
    if (throwable == null) {
      return null;
    }
    try {
      return throwable.getMessage();
    } catch (Throwable failure) {
      return null;
    }
  }

  static String typeName(Object o) {
    try {
      return o.getClass().getName();
    } catch (Throwable t) {
      return "?";
    }
  }

  private static StackTraceElement[] safeStackTrace(Throwable t) {
    try {
      StackTraceElement[] trace = t.getStackTrace();
      if (trace == null) {
        return NO_FRAMES;
      }
      for (StackTraceElement e : trace) {
        if (e == null) {
          return NO_FRAMES;
        }
      }
      return trace;
    } catch (Throwable failure) {
      return NO_FRAMES;
    }
  }

  private static Throwable safeCause(Throwable t) {
    try {
      return t.getCause();
    } catch (Throwable failure) {
      return null;
    }
  }

  private static Throwable[] safeSuppressed(Throwable t) {
    try {
      Throwable[] s = t.getSuppressed();
      return s == null ? NO_THROWABLES : s;
    } catch (Throwable failure) {
      return NO_THROWABLES;
    }
  }
}
