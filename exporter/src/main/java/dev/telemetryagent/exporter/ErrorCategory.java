package dev.telemetryagent.exporter;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The error category of an exception, computed from its type and the types of its causes (see
 * {@code docs/errors.md} for the table), and whether the failure is recoverable.
 *
 * <p>Each throwable in the cause chain gets a category from its class and superclasses, most specific first: an
 * exact table of JDK types, then a few name patterns for library types ({@code *Timeout*}, {@code NoSuch*},
 * {@code *NotFound*}, ...). Over the chain the highest-priority category wins, in this order: oom, timeout,
 * connection, permission, not_found, parse, interrupted, illegal_state, illegal_argument, other, so a
 * {@code RuntimeException} wrapping a {@code SocketTimeoutException} is a timeout. A failure is not recoverable when
 * any throwable in the chain is a {@code VirtualMachineError} (out of memory, stack overflow, internal error), a
 * {@code LinkageError} or a {@code ThreadDeath}.
 *
 * <p>Names only: no class is loaded. Bounded: at most {@link #MAX_CHAIN} throwables and {@link #MAX_SUPERCLASSES}
 * superclasses each; cycles are handled. Total: never throws.
 */
public enum ErrorCategory {
  OOM("oom"),
  TIMEOUT("timeout"),
  CONNECTION("connection"),
  PERMISSION("permission"),
  NOT_FOUND("not_found"),
  PARSE("parse"),
  INTERRUPTED("interrupted"),
  ILLEGAL_STATE("illegal_state"),
  ILLEGAL_ARGUMENT("illegal_argument"),
  OTHER("other");

  static final int MAX_CHAIN = 16;
  static final int MAX_SUPERCLASSES = 16;

  private static final Map<String, ErrorCategory> EXACT = new HashMap<>();
  private static final Set<String> UNRECOVERABLE_ROOTS = Set.of(
      "java.lang.VirtualMachineError", "java.lang.LinkageError", "java.lang.ThreadDeath");

  static {
    exact(OOM, "java.lang.OutOfMemoryError");
    exact(TIMEOUT, "java.util.concurrent.TimeoutException", "java.net.SocketTimeoutException",
        "java.net.http.HttpTimeoutException", "java.net.http.HttpConnectTimeoutException",
        "java.sql.SQLTimeoutException", "java.nio.channels.InterruptedByTimeoutException");
    exact(CONNECTION, "java.net.ConnectException", "java.net.NoRouteToHostException",
        "java.net.UnknownHostException", "java.net.PortUnreachableException", "java.net.SocketException",
        "java.nio.channels.ClosedChannelException", "java.nio.channels.NotYetConnectedException",
        "java.sql.SQLTransientConnectionException", "java.sql.SQLNonTransientConnectionException",
        "javax.net.ssl.SSLException", "java.io.EOFException");
    exact(PERMISSION, "java.lang.SecurityException", "java.nio.file.AccessDeniedException",
        "java.lang.IllegalAccessException", "java.lang.IllegalCallerException",
        "java.lang.reflect.InaccessibleObjectException", "java.sql.SQLInvalidAuthorizationSpecException",
        "javax.security.auth.login.LoginException", "java.nio.channels.NonWritableChannelException",
        "java.nio.ReadOnlyBufferException", "java.nio.file.ReadOnlyFileSystemException");
    exact(NOT_FOUND, "java.io.FileNotFoundException", "java.nio.file.NoSuchFileException",
        "java.util.NoSuchElementException", "java.lang.ClassNotFoundException", "java.lang.NoSuchMethodException",
        "java.lang.NoSuchFieldException", "java.util.MissingResourceException",
        "java.nio.file.FileSystemNotFoundException", "java.nio.file.NotDirectoryException",
        "java.lang.TypeNotPresentException", "java.lang.EnumConstantNotPresentException");
    exact(PARSE, "java.text.ParseException", "java.lang.NumberFormatException",
        "java.time.format.DateTimeParseException", "java.util.regex.PatternSyntaxException",
        "java.net.URISyntaxException", "java.net.MalformedURLException", "java.util.zip.DataFormatException",
        "java.util.zip.ZipException", "java.nio.charset.CharacterCodingException",
        "java.io.UTFDataFormatException", "java.util.InputMismatchException",
        "java.util.InvalidPropertiesFormatException", "java.io.StreamCorruptedException");
    exact(INTERRUPTED, "java.lang.InterruptedException", "java.io.InterruptedIOException",
        "java.nio.channels.ClosedByInterruptException", "java.nio.channels.FileLockInterruptionException",
        "java.util.concurrent.CancellationException");
    exact(ILLEGAL_STATE, "java.lang.IllegalStateException", "java.lang.IllegalMonitorStateException",
        "java.util.ConcurrentModificationException");
    exact(ILLEGAL_ARGUMENT, "java.lang.IllegalArgumentException");
  }

  private static void exact(ErrorCategory category, String... names) {
    for (String n : names) {
      EXACT.put(n, category);
    }
  }

  private final String value;

  ErrorCategory(String value) {
    this.value = value;
  }

  /** The attribute value: oom, timeout, ..., other. */
  public String value() {
    return value;
  }

  /** The category of {@code thrown} and its causes; {@link #OTHER} for null. Never throws. */
  public static ErrorCategory of(Throwable thrown) {
    ErrorCategory best = OTHER;
    try {
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      Throwable t = thrown;
      for (int i = 0; t != null && i < MAX_CHAIN && seen.add(t); i++) {
        ErrorCategory c = ofType(t.getClass());
        if (c.ordinal() < best.ordinal()) {
          best = c;
        }
        t = cause(t);
      }
    } catch (Throwable ignored) {
      // keep what we have
    }
    return best;
  }

  /** Whether the failure may be retried or survived: false when the chain holds a JVM or linkage error. */
  public static boolean recoverable(Throwable thrown) {
    try {
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      Throwable t = thrown;
      for (int i = 0; t != null && i < MAX_CHAIN && seen.add(t); i++) {
        Class<?> c = t.getClass();
        for (int j = 0; c != null && j < MAX_SUPERCLASSES; j++, c = c.getSuperclass()) {
          if (UNRECOVERABLE_ROOTS.contains(c.getName())) {
            return false;
          }
        }
        t = cause(t);
      }
    } catch (Throwable ignored) {
      // fall through
    }
    return true;
  }

  /** The category of one type: the most specific class (or superclass) that the table or a name pattern knows. */
  static ErrorCategory ofType(Class<?> type) {
    Class<?> c = type;
    for (int j = 0; c != null && j < MAX_SUPERCLASSES; j++, c = c.getSuperclass()) {
      String name = c.getName();
      ErrorCategory exact = EXACT.get(name);
      if (exact != null) {
        return exact;
      }
      ErrorCategory byName = byName(c.getSimpleName());
      if (byName != null) {
        return byName;
      }
    }
    return OTHER;
  }

  /** Name patterns for types the table does not know (library exceptions). */
  static ErrorCategory byName(String simpleName) {
    String n = simpleName;
    if (n.contains("OutOfMemory")) {
      return OOM;
    }
    if (n.contains("Timeout") || n.contains("TimedOut")) {
      return TIMEOUT;
    }
    if (n.contains("Connect")) {
      return CONNECTION;
    }
    if (n.contains("AccessDenied") || n.contains("Permission") || n.contains("Unauthorized")
        || n.contains("Forbidden") || n.contains("Authentication") || n.contains("Authorization")) {
      return PERMISSION;
    }
    if (n.contains("NotFound") || n.startsWith("NoSuch")) {
      return NOT_FOUND;
    }
    if (n.contains("Parse") || n.contains("Syntax") || n.contains("Malformed")) {
      return PARSE;
    }
    return null;
  }

  private static Throwable cause(Throwable t) {
    try {
      return t.getCause();
    } catch (Throwable failure) {
      return null;
    }
  }
}
