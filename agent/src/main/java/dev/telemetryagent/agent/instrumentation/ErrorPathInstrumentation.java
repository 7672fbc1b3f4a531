package dev.telemetryagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.telemetryagent.bootstrap.Dispatch;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * Installs the advice for error paths no appender sees: uncaught exceptions, {@code printStackTrace} to the console,
 * and failed executor work. Every class here is a {@code java.base} class that is usually loaded before the agent,
 * so it is retransformed (method bodies only) and found by exact name; nothing else is matched.
 */
public final class ErrorPathInstrumentation {

  static final String THREAD = "java.lang.Thread";
  static final String THROWABLE = "java.lang.Throwable";
  static final String FUTURE_TASK = "java.util.concurrent.FutureTask";
  static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
  static final String THREAD_POOL_EXECUTOR = "java.util.concurrent.ThreadPoolExecutor";

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
   * Installs the advice for the enabled paths; returns null when none is enabled.
   *
   * @param debug whether to report each transformed class on stderr
   */
  public ClassFileTransformer install(Instrumentation inst, boolean uncaught, boolean printStackTrace,
      boolean executor, boolean debug) {
    listener.debug(debug);
    Set<String> names = new LinkedHashSet<>();
    if (uncaught) {
      names.add(THREAD);
    }
    if (printStackTrace) {
      names.add(THROWABLE);
    }
    if (executor) {
      names.add(FUTURE_TASK);
      names.add(COMPLETABLE_FUTURE);
      names.add(THREAD_POOL_EXECUTOR);
    }
    if (names.isEmpty()) {
      return null;
    }
    ClassFileLocator adviceLocator =
        ClassFileLocator.ForClassLoader.of(ErrorPathInstrumentation.class.getClassLoader());
    String[] exact = names.toArray(new String[0]);
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // One class per retransformation: a class that cannot be retransformed (another agent's transformer may
        // refuse it) must not take the others down with it; failures are reported like transformation errors.
        .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(1))
        .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(alreadyLoaded(inst, names)))
        .with(new BatchFailures())
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(listener)
        .ignore(nameStartsWith("dev.telemetryagent.").or(nameStartsWith("net.bytebuddy."))
            .or(not(namedOneOf(exact))))
        // Advice inlined into java.base calls Dispatch in the boot loader's unnamed module.
        .assureReadEdgeTo(inst, Dispatch.class);

    if (uncaught) {
      builder = builder.type(named(THREAD))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("dispatchUncaughtException")).and(takesArguments(1))
                      .and(takesArgument(0, Throwable.class)),
                  UncaughtExceptionAdvice.class.getName()));
    }
    if (printStackTrace) {
      openPrintWriterToDispatch(inst);
      builder = builder.type(named(THROWABLE))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("printStackTrace")).and(takesArguments(1))
                      .and(takesArgument(0, PrintStream.class)),
                  PrintStackTraceAdvice.class.getName())
              .advice(isMethod().and(named("printStackTrace")).and(takesArguments(1))
                      .and(takesArgument(0, PrintWriter.class)),
                  PrintStackTraceWriterAdvice.class.getName()));
    }
    if (executor) {
      builder = builder.type(named(FUTURE_TASK))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("setException")).and(takesArguments(1))
                      .and(takesArgument(0, Throwable.class)),
                  FutureTaskSetExceptionAdvice.class.getName()))
          .type(named(COMPLETABLE_FUTURE))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("completeThrowable")).and(takesArguments(1))
                      .and(takesArgument(0, Throwable.class)),
                  CompletableFutureAdvice.class.getName()))
          .type(named(THREAD_POOL_EXECUTOR))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("runWorker")).and(takesArguments(1)),
                  ExecuteFailureAdvice.class.getName()));
    }
    return builder.installOn(inst);
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

  static Class<?>[] alreadyLoaded(Instrumentation inst, Set<String> names) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && c.getClassLoader() == null) {
        out.add(c);
      }
    }
    return out.toArray(new Class<?>[0]);
  }

  /** Reports classes that could not be retransformed (the JVM or another agent refused them). */
  private final class BatchFailures extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
    @Override
    public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable throwable,
        List<Class<?>> types) {
      listener.failed(batch, throwable);
      return java.util.Collections.emptyList();
    }
  }
}
