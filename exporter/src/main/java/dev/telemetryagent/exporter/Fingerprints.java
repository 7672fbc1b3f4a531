package dev.telemetryagent.exporter;

/**
 * Fingerprints of captured events, computed on the application thread before anything is formatted or scrubbed, so
 * that a repeat of a known event costs a hash and a table lookup. Allocation-free; never throws.
 *
 * <p>What goes in (docs/processor.md):
 * <ul>
 *   <li>a log call: logger name, severity, the message template with its variable parts normalised, and, when it
 *       carries a Throwable, the exception type of every link in the cause chain and each link's message,
 *       normalised;
 *   <li>an error seen on a path no appender sees (uncaught, printStackTrace, executor): the source, the exception
 *       types and normalised messages of the cause chain, and the top {@value #IN_APP_FRAMES} in-app frames of the
 *       outermost exception (frames outside {@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 *       {@code com.sun.}, {@code kotlin.}, {@code scala.}).
 * </ul>
 *
 * <p>Normalisation replaces, while hashing, every token that contains a digit (numbers, hex ids, UUIDs, IP addresses,
 * timestamps, versions), every run of 8 or more hex letters, and every quoted string ({@code '...'}, {@code "..."})
 * by one placeholder, so {@code order 1234 failed for 'bob'} and {@code order 98 failed for 'alice'} share a
 * fingerprint. Stack frames are left out of log-call fingerprints: materialising a Throwable's frames costs several
 * microseconds, more than the whole budget of a folded repeat, and the logger and template already name the call
 * site.
 */
public final class Fingerprints {

  /** In-app frames that go into error-path fingerprints. */
  public static final int IN_APP_FRAMES = 3;

  private static final int MAX_CAUSES = 8;
  private static final int MAX_SCAN_CHARS = 4096;
  private static final long PLACEHOLDER = 0x9E3779B97F4A7C15L;

  private Fingerprints() {}

  /** Fingerprint of a log call. */
  public static long ofLog(String loggerName, int severityNumber, String template, Throwable thrown) {
    long h = 0x243F6A8885A308D3L;
    h = mix(h, loggerName == null ? 0 : loggerName.hashCode());
    h = mix(h, severityNumber);
    h = mix(h, textHash(template));
    if (thrown != null) {
      h = causeChain(h, thrown);
    }
    return finish(h);
  }

  /** A remembered text hash: immutable, so a racy read of the cache sees it whole or not at all. */
  private static final class Memo {
    final String text;
    final long hash;

    Memo(String text, long hash) {
      this.text = text;
      this.hash = hash;
    }
  }

  private static final int MEMO_SLOTS = 1024;
  private static final int MEMO_MAX_CHARS = 512;
  private static final Memo[] MEMO = new Memo[MEMO_SLOTS];
  /** The seed of {@link #textHash} and {@link #messageHash}. */
  static final long TEXT_SEED = 0x452821E638D01377L;
  /** What a null text contributes (returned by the two, mixed in by {@link #normalized}). */
  private static final long NULL_TEXT = 0x5bd1e995;

  /**
   * The normalised hash of a message template. Templates are nearly always constants (the same String instance at
   * every call), so the hash is remembered by identity in a small direct-mapped cache (bounded: 1024 slots of texts
   * up to 512 chars); a repeat then costs an identity check instead of a pass over the text.
   */
  static long textHash(String text) {
    if (text == null) {
      return NULL_TEXT;
    }
    if (text.length() > MEMO_MAX_CHARS) {
      return normalized(TEXT_SEED, text);
    }
    return remembered(MEMO, System.identityHashCode(text) & (MEMO_SLOTS - 1), text);
  }

  private static final int MESSAGE_MEMO_SLOTS = 256;
  private static final Memo[] MESSAGE_MEMO = new Memo[MESSAGE_MEMO_SLOTS];

  /**
   * The normalised hash of an exception message, the same value as {@link #textHash}. Remembered by identity too,
   * for the storm whose message is one String instance (a literal, or the same exception logged again and again),
   * but in a cache of its own and placed by length and three characters, not by identity hash: most messages are
   * built afresh for each exception, and for a new String the identity hash is a call into the VM. So a message that
   * is new every time costs three character reads and one small object more than no cache, and cannot push the
   * templates out of theirs.
   */
  static long messageHash(String text) {
    if (text == null) {
      return NULL_TEXT;
    }
    int n = text.length();
    if (n == 0 || n > MEMO_MAX_CHARS) {
      return normalized(TEXT_SEED, text);
    }
    int slot = (n * 31 + text.charAt(0) * 7 + text.charAt(n >>> 1) * 3 + text.charAt(n - 1)) & (MESSAGE_MEMO_SLOTS - 1);
    return remembered(MESSAGE_MEMO, slot, text);
  }

  /** The normalised hash of {@code text}: from {@code memo[slot]} when that holds this very String, else computed. */
  private static long remembered(Memo[] memo, int slot, String text) {
    Memo m = memo[slot];
    if (m != null && m.text == text) {
      return m.hash;
    }
    long hash = normalized(TEXT_SEED, text);
    memo[slot] = new Memo(text, hash);
    return hash;
  }

  /** Fingerprint of an error from a path no appender sees; {@code sourceOrdinal} keeps paths apart. */
  public static long ofError(int sourceOrdinal, Throwable thrown) {
    long h = 0x13198A2E03707344L;
    h = mix(h, sourceOrdinal);
    if (thrown != null) {
      h = causeChain(h, thrown);
      h = frames(h, thrown);
    }
    return finish(h);
  }

  private static long causeChain(long h, Throwable thrown) {
    Throwable t = thrown;
    for (int i = 0; t != null && i < MAX_CAUSES; i++) {
      h = mix(h, t.getClass().getName().hashCode());
      String message;
      try {
        message = t.getMessage();
      } catch (Throwable e) {
        message = null;
      }
      h = mix(h, messageHash(message));
      Throwable cause;
      try {
        cause = t.getCause();
      } catch (Throwable e) {
        cause = null;
      }
      if (cause == t) {
        break;
      }
      t = cause;
    }
    return h;
  }

  private static long frames(long h, Throwable thrown) {
    StackTraceElement[] frames;
    try {
      frames = thrown.getStackTrace();
    } catch (Throwable e) {
      return h;
    }
    int taken = 0;
    for (int i = 0; i < frames.length && taken < IN_APP_FRAMES; i++) {
      StackTraceElement f = frames[i];
      if (f == null || !inApp(f.getClassName())) {
        continue;
      }
      h = mix(h, f.getClassName().hashCode());
      h = mix(h, f.getMethodName().hashCode());
      h = mix(h, f.getLineNumber());
      taken++;
    }
    return h;
  }

  static boolean inApp(String className) {
    return className != null && !(className.startsWith("java.") || className.startsWith("javax.")
        || className.startsWith("jdk.") || className.startsWith("sun.") || className.startsWith("com.sun.")
        || className.startsWith("kotlin.") || className.startsWith("scala."));
  }

  /**
   * Mixes {@code text} into {@code h} with its variable parts replaced by a placeholder (see the class comment).
   * Only the first {@value #MAX_SCAN_CHARS} characters are looked at, plus the length.
   */
  static long normalized(long h, String text) {
    if (text == null) {
      return mix(h, NULL_TEXT);
    }
    int n = Math.min(text.length(), MAX_SCAN_CHARS);
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        // Linear overall: a quote without its closing one within the scanned part means no later one has either.
        int close = i + 1;
        while (close < n && text.charAt(close) != c) {
          close++;
        }
        if (close < n) {
          h = mix(h, PLACEHOLDER);
          i = close + 1;
          continue;
        }
        h = mix(h, c);
        i++;
        continue;
      }
      if (isTokenChar(c)) {
        int start = i;
        boolean digit = false;
        boolean allHex = true;
        long th = 0;
        while (i < n && isTokenChar(text.charAt(i))) {
          char d = text.charAt(i);
          digit |= d >= '0' && d <= '9';
          allHex &= isHex(d);
          th = th * 31 + d;
          i++;
        }
        if (digit || (allHex && i - start >= 8)) {
          h = mix(h, PLACEHOLDER);
        } else {
          h = mix(h, th);
        }
        continue;
      }
      h = mix(h, c);
      i++;
    }
    return mix(h, text.length() > MAX_SCAN_CHARS ? -1 : 1);
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c > 0x7f && Character.isLetterOrDigit(c);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
  }

  private static long mix(long h, long v) {
    h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
    return h * 0xBF58476D1CE4E5B9L;
  }

  private static long finish(long h) {
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    h ^= h >>> 29;
    return h;
  }

  /** The fingerprint as the 16 hex digits exported in {@code telemetry.agent.fingerprint}. */
  public static String hex(long fingerprint) {
    String s = Long.toHexString(fingerprint);
    return s.length() == 16 ? s : "0000000000000000".substring(s.length()) + s;
  }
}
