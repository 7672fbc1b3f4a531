package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.agent.instrumentation.HookPoint.Kind;
import dev.telemetryagent.bootstrap.Dispatch;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Installs the hooks for error paths no appender sees: uncaught exceptions, {@code printStackTrace} to the console,
 * and failed executor work. Every class here is a {@code java.base} class that is usually loaded before the agent,
 * so it is retransformed (method bodies only) and found by exact name; nothing else is matched. The hooks are
 * {@code dev.telemetryagent.bootstrap.ErrorHooks}, in the boot loader.
 */
public final class ErrorPathInstrumentation {

  static final String THREAD = "java/lang/Thread";
  static final String THROWABLE = "java/lang/Throwable";
  static final String FUTURE_TASK = "java/util/concurrent/FutureTask";
  static final String COMPLETABLE_FUTURE = "java/util/concurrent/CompletableFuture";
  static final String THREAD_POOL_EXECUTOR = "java/util/concurrent/ThreadPoolExecutor";
  private static final String HOOKS = "dev/telemetryagent/bootstrap/ErrorHooks";
  private static final String[] ONE_THROWABLE = {"Ljava/lang/Throwable;"};

  private final InstrumentationListener listener = new InstrumentationListener();

  public long transformedCount() {
    return listener.transformedCount();
  }

  public long errorCount() {
    return listener.errorCount();
  }

  public String lastError() {
    return listener.lastError();
  }

  /**
   * Installs the hooks for the enabled paths; returns null when none is enabled. Classes already loaded are
   * retransformed {@code batchSize} at a time; a batch that is refused (another agent's transformer may refuse a
   * class) is retried class by class, so one refused class does not take the others down with it.
   *
   * @param debug whether to report each transformed class on stderr
   */
  public ClassFileTransformer install(Instrumentation inst, boolean uncaught, boolean printStackTrace,
      boolean executor, int batchSize, boolean debug) {
    listener.debug(debug);
    List<HookPoint> points = points(uncaught, printStackTrace, executor);
    if (points.isEmpty()) {
      return null;
    }
    if (printStackTrace) {
      openPrintWriterToDispatch(inst);
    }
    Weaver weaver = new Weaver(inst, points, listener, new HookClasses(inst));
    weaver.install(Math.max(1, batchSize));
    return weaver;
  }

  static List<HookPoint> points(boolean uncaught, boolean printStackTrace, boolean executor) {
    List<HookPoint> points = new ArrayList<>();
    if (uncaught) {
      // Thread#dispatchUncaughtException(Throwable): the JVM calls it on the dying thread, before its handler.
      points.add(new HookPoint(THREAD, "dispatchUncaughtException", ONE_THROWABLE, Kind.ENTRY, HOOKS, "uncaught",
          "(Ljava/lang/Thread;Ljava/lang/Throwable;)V", HookPoint.THIS, 0));
    }
    if (printStackTrace) {
      // printStackTrace() calls printStackTrace(System.err); both writer and stream forms are public.
      for (String target : new String[] {"Ljava/io/PrintStream;", "Ljava/io/PrintWriter;"}) {
        points.add(new HookPoint(THROWABLE, "printStackTrace", new String[] {target}, Kind.ENTRY, HOOKS,
            "printStackTrace", "(Ljava/lang/Throwable;Ljava/lang/Object;)V", HookPoint.THIS, 0));
      }
    }
    if (executor) {
      points.add(new HookPoint(FUTURE_TASK, "setException", ONE_THROWABLE, Kind.ENTRY, HOOKS, "futureTaskFailed",
          "(Ljava/util/concurrent/FutureTask;Ljava/lang/Throwable;)V", HookPoint.THIS, 0));
      // completeThrowable(Throwable), the one-argument form: a stage's own function threw.
      points.add(new HookPoint(COMPLETABLE_FUTURE, "completeThrowable", ONE_THROWABLE, Kind.ENTRY, HOOKS,
          "completableFutureFailed", "(Ljava/util/concurrent/CompletableFuture;Ljava/lang/Throwable;)V",
          HookPoint.THIS, 0));
      // runWorker(Worker) ends by throwing when a task run with execute() threw.
      points.add(new HookPoint(THREAD_POOL_EXECUTOR, "runWorker", new String[] {null}, Kind.EXIT_ON_THROW, HOOKS,
          "executeFailed", "(Ljava/lang/Throwable;)V"));
    }
    return points;
  }

  /**
   * Whether a {@code PrintWriter} writes to the console is only visible in its private {@code psOut} field: opens
   * {@code java.io} to {@link Dispatch}'s module (the boot loader's unnamed module, which holds nothing of the
   * application's) so that Dispatch can read it. Without it, writers are simply never reported.
   */
  static boolean openPrintWriterToDispatch(Instrumentation inst) {
    try {
      Module javaBase = Object.class.getModule();
      Module dispatch = Dispatch.class.getModule();
      if (!javaBase.isOpen("java.io", dispatch)) {
        inst.redefineModule(javaBase, Collections.emptySet(), Collections.emptyMap(),
            Collections.singletonMap("java.io", Collections.singleton(dispatch)), Collections.emptySet(),
            Collections.emptyMap());
      }
      return Dispatch.enablePrintWriterTargets();
    } catch (Throwable t) {
      return false;
    }
  }
}
