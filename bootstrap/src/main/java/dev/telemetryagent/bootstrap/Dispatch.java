package dev.telemetryagent.bootstrap;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one door between code woven into instrumented classes (JDK classes and logging frameworks alike) and the
 * agent. This class is defined in the boot loader, so every class loader can see it; it depends on {@code java.base}
 * only.
 *
 * <p>Contract for woven code (the agent's {@code Weaver}) and hooks ({@link JulHook}, {@link ErrorHooks}, and the
 * Logback and Log4j hooks in the agent jar):
 *
 * <pre>{@code
 * try { if (Dispatch.enter()) Hook.m(this, args); }   // false: nested capture or agent thread; still exit()
 * catch (Throwable t) { Dispatch.adviceFailed(t); }
 * try { <the method> } finally { Dispatch.exit(); }    // on every return and every throw
 * }</pre>
 *
 * A hook itself catches everything and reports it with {@link #adviceFailed}. Every method here is total: it never
 * throws into the host and never blocks. Until the agent installs a {@link Sink}, every call is a cheap no-op.
 */
public final class Dispatch {

  /** Capture sources, as passed by hooks. Values are stable; the agent maps them to names. */
  public static final int SOURCE_JUL = 1;
  public static final int SOURCE_LOG4J = 2;
  public static final int SOURCE_LOGBACK = 3;
  public static final int SOURCE_UNCAUGHT = 4;
  public static final int SOURCE_PRINT_STACK_TRACE = 5;
  public static final int SOURCE_EXECUTOR = 6;

  /** The depth given to agent-owned threads: they never capture. */
  private static final int AGENT_THREAD_DEPTH = 1 << 20;

  /**
   * What the agent plugs in. Implementations must be total (never throw) and non-blocking; {@link Dispatch}
   * still guards every call.
   */
  public interface Sink {

    /**
     * First, cheap phase of a log capture: called after the framework's own level check, before any formatting.
     *
     * @param source one of the {@code SOURCE_*} constants
     * @param frameworkLevel the framework's numeric level (JUL {@code intValue}, Log4j {@code intLevel},
     *     Logback {@code toInt})
     * @param levelName the framework's level name
     * @param loggerName the logger's name, may be null
     * @param template the unformatted message template, may be null
     * @param thrown the throwable attached to the call, may be null
     * @return an opaque handle to pass to {@link #completeLog}, or {@code null} when nothing more is wanted
     *     (below the capture level, folded by dedupe, capture switched off)
     */
    Object beginLog(int source, int frameworkLevel, String levelName, String loggerName, String template,
        Throwable thrown);

    /**
     * Second phase: the formatted message and context of a capture that {@link #beginLog} accepted.
     *
     * @param handle what {@code beginLog} returned
     * @param formattedMessage the message as the framework formats it, may be null
     * @param args the message arguments, may be null
     * @param context the framework's MDC / ThreadContext map, may be null; the agent filters it by allow-list
     * @param epochMillis the framework's own timestamp, or 0 for "now"
     */
    void completeLog(Object handle, String formattedMessage, Object[] args, Map<?, ?> context, long epochMillis);

    /**
     * An error seen on a path no appender sees (uncaught, printStackTrace, executor failure).
     *
     * @param source one of the {@code SOURCE_*} constants
     * @param thrown the throwable, never null
     * @param thread the thread the error belongs to
     * @param detail a short detail (for example the executor task's class), may be null
     */
    void onThrowable(int source, Throwable thrown, Thread thread, String detail);
  }

  private static volatile Sink sink;
  private static volatile boolean enabled = true;
  private static volatile boolean wantsContext;
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final AtomicLong ADVICE_FAILURES = new AtomicLong();
  private static final AtomicLong SINK_FAILURES = new AtomicLong();

  private Dispatch() {}

  /** Installs the agent's sink; the first installed sink wins, later calls return {@code false}. */
  public static synchronized boolean install(Sink newSink) {
    if (sink != null || newSink == null) {
      return false;
    }
    sink = newSink;
    return true;
  }

  /** Whether a sink is installed: the agent's idempotence marker inside the JVM. */
  public static boolean isInstalled() {
    return sink != null;
  }

  /** The kill switch: when off, every capture is skipped at the first check. */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  public static boolean isEnabled() {
    return enabled;
  }

  /** Whether advice should hand MDC / ThreadContext maps over at all (false: no context keys are allow-listed). */
  public static boolean wantsContext() {
    return wantsContext;
  }

  /** Set by the agent at start-up from its configuration. */
  public static void setWantsContext(boolean on) {
    wantsContext = on;
  }

  /**
   * Enters a capture scope on this thread. Always pair with {@link #exit()}.
   *
   * @return {@code true} when this is the outermost capture on a non-agent thread and capture is on: the caller
   *     may capture; {@code false} when it must not (nested capture, agent thread, no sink, switched off)
   */
  public static boolean enter() {
    int[] depth = DEPTH.get();
    return depth[0]++ == 0 && enabled && sink != null;
  }

  /** Leaves a capture scope entered with {@link #enter()}. */
  public static void exit() {
    int[] depth = DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
  }

  /**
   * Marks the calling thread as agent-owned: nothing it logs or throws is ever captured.
   *
   * @return the thread's previous state, for {@link #restoreCurrentThread} when the thread is the application's
   *     own (premain runs on {@code main}, agentmain on the attach listener)
   */
  public static int markCurrentThreadAsAgent() {
    int[] depth = DEPTH.get();
    int previous = depth[0];
    depth[0] = AGENT_THREAD_DEPTH;
    return previous;
  }

  /** Undoes {@link #markCurrentThreadAsAgent} on a thread the agent borrowed. */
  public static void restoreCurrentThread(int previous) {
    DEPTH.get()[0] = previous;
  }

  /** Whether the calling thread is marked as agent-owned. */
  public static boolean isAgentThread() {
    return DEPTH.get()[0] >= AGENT_THREAD_DEPTH;
  }

  /** See {@link Sink#beginLog}. Returns {@code null} when no sink is installed or the sink failed. */
  public static Object beginLog(int source, int frameworkLevel, String levelName, String loggerName,
      String template, Throwable thrown) {
    Sink current = sink;
    if (current == null) {
      return null;
    }
    try {
      return current.beginLog(source, frameworkLevel, levelName, loggerName, template, thrown);
    } catch (Throwable t) {
      SINK_FAILURES.incrementAndGet();
      return null;
    }
  }

  /** See {@link Sink#completeLog}. */
  public static void completeLog(Object handle, String formattedMessage, Object[] args, Map<?, ?> context,
      long epochMillis) {
    Sink current = sink;
    if (current == null || handle == null) {
      return;
    }
    try {
      current.completeLog(handle, formattedMessage, args, context, epochMillis);
    } catch (Throwable t) {
      SINK_FAILURES.incrementAndGet();
    }
  }

  /** See {@link Sink#onThrowable}. */
  public static void onThrowable(int source, Throwable thrown, Thread thread, String detail) {
    Sink current = sink;
    if (current == null || thrown == null) {
      return;
    }
    try {
      current.onThrowable(source, thrown, thread, detail);
    } catch (Throwable t) {
      SINK_FAILURES.incrementAndGet();
    }
  }

  /** Reads {@code PrintWriter.psOut} (the stream a writer made from a PrintStream writes to); null until enabled. */
  private static volatile java.lang.invoke.MethodHandle printWriterStream;

  /**
   * Lets {@link #consoleTarget} see through a {@code PrintWriter} made from a {@code PrintStream}. The agent calls
   * this after opening {@code java.io} to this class's module (the boot loader's unnamed module).
   *
   * @return whether it worked (false: writers are never reported as console targets)
   */
  public static boolean enablePrintWriterTargets() {
    try {
      printWriterStream = java.lang.invoke.MethodHandles
          .privateLookupIn(java.io.PrintWriter.class, java.lang.invoke.MethodHandles.lookup())
          .findGetter(java.io.PrintWriter.class, "psOut", java.io.PrintStream.class);
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * Where {@code target} (a PrintStream or PrintWriter handed to {@code printStackTrace}) writes: {@code "stderr"}
   * or {@code "stdout"} when it is, or wraps, the current {@code System.err} / {@code System.out}; else null. Total.
   */
  public static String consoleTarget(Object target) {
    try {
      Object stream = target;
      if (target instanceof java.io.PrintWriter) {
        java.lang.invoke.MethodHandle h = printWriterStream;
        stream = h == null ? null : (Object) h.invoke((java.io.PrintWriter) target);
      }
      if (stream == null) {
        return null;
      }
      return stream == System.err ? "stderr" : stream == System.out ? "stdout" : null;
    } catch (Throwable t) {
      return null;
    }
  }

  /** Hooks and woven code call this from their catch blocks: the failure is counted, never rethrown. */
  public static void adviceFailed(Throwable t) {
    ADVICE_FAILURES.incrementAndGet();
  }

  /** How many hooks failed (and were suppressed) since start. Tests assert it stays zero. */
  public static long adviceFailures() {
    return ADVICE_FAILURES.get();
  }

  /** How many sink calls threw (and were suppressed) since start. Tests assert it stays zero. */
  public static long sinkFailures() {
    return SINK_FAILURES.get();
  }
}
