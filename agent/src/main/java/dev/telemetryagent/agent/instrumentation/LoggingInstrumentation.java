package dev.telemetryagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.telemetryagent.bootstrap.Dispatch;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * Installs the logging capture advice. Matches exact class names only (no hierarchy scans on every loaded class),
 * and uses retransformation so classes loaded before the agent (JUL often is) are instrumented too; only method
 * bodies change, so this works on classes already in use.
 */
public final class LoggingInstrumentation {

  static final String JUL_LOGGER = "java.util.logging.Logger";
  static final String LOG4J_CORE_LOGGER = "org.apache.logging.log4j.core.Logger";
  static final String LOG4J_ASYNC_LOGGER = "org.apache.logging.log4j.core.async.AsyncLogger";
  static final String LOGBACK_LOGGER = "ch.qos.logback.classic.Logger";
  private static final Set<String> INSTRUMENTED =
      new HashSet<>(Arrays.asList(JUL_LOGGER, LOG4J_CORE_LOGGER, LOG4J_ASYNC_LOGGER, LOGBACK_LOGGER));
  private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

  private final InstrumentationListener listener = new InstrumentationListener();
  private volatile int retransformBatchSize = 4;

  /** Already-loaded classes retransformed per batch; the installing thread yields between batches. */
  public void retransformBatchSize(int size) {
    this.retransformBatchSize = Math.max(1, size);
  }

  /** Classes transformed so far. */
  public long transformedCount() {
    return listener.transformedCount();
  }

  /** Transformation errors so far (each is also reported once on stderr). */
  public long errorCount() {
    return listener.errorCount();
  }

  public String lastError() {
    return listener.lastError();
  }

  /**
   * Installs the transformations and retransforms matching classes that are already loaded.
   *
   * @param debug whether to report each transformed class on stderr
   * @return the installed transformer, so it can be reset in tests
   */
  public java.lang.instrument.ClassFileTransformer install(Instrumentation inst, boolean jul, boolean log4j,
      boolean logback, boolean debug) {
    listener.debug(debug);
    // Advice classes are read as class files from the agent jar, never loaded into the application's loaders.
    ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(LoggingInstrumentation.class.getClassLoader());

    // Byte Buddy's Nexus (for self-initialising types, which we do not use) reaches for sun.misc.Unsafe, and JDK 24+
    // prints a deprecation warning into the application's stderr when it does. This literal is relocated along with
    // Byte Buddy, so it only ever names our own copy's property.
    if (System.getProperty(NEXUS_DISABLED) == null) {
      System.setProperty(NEXUS_DISABLED, "true");
    }
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // Retransform only the already-loaded classes we instrument, found by name, instead of letting Byte Buddy
        // describe and match every loaded class: a large part of start-up time otherwise.
        // Small batches with a yield in between: each retransformation is a safepoint pause of the application.
        .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(retransformBatchSize))
        .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(alreadyLoaded(inst)))
        .with(AgentBuilder.RedefinitionStrategy.Listener.Yielding.INSTANCE)
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(listener)
        // The default ignores the bootstrap loader, which holds java.util.logging: replace it with our own.
        .ignore(nameStartsWith("dev.telemetryagent.").or(nameStartsWith("net.bytebuddy."))
            .or(not(namedOneOf(JUL_LOGGER, LOG4J_CORE_LOGGER, LOG4J_ASYNC_LOGGER, LOGBACK_LOGGER))))
        // Advice inlined into java.logging (a named module) calls Dispatch in the boot loader's unnamed module.
        .assureReadEdgeTo(inst, Dispatch.class);

    if (jul) {
      builder = builder.type(named(JUL_LOGGER))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("log")).and(takesArguments(1))
                      .and(takesArgument(0, named("java.util.logging.LogRecord"))),
                  JulLoggerAdvice.class.getName()));
    }
    if (log4j) {
      builder = builder.type(namedOneOf(LOG4J_CORE_LOGGER, LOG4J_ASYNC_LOGGER))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("logMessage")).and(takesArguments(5))
                      .and(takesArgument(0, String.class))
                      .and(takesArgument(1, named("org.apache.logging.log4j.Level")))
                      .and(takesArgument(3, named("org.apache.logging.log4j.message.Message")))
                      .and(takesArgument(4, Throwable.class)),
                  Log4jLogMessageAdvice.class.getName())
              .advice(isMethod().and(named("log")).and(takesArguments(6))
                      .and(takesArgument(0, named("org.apache.logging.log4j.Level")))
                      .and(takesArgument(2, String.class))
                      .and(takesArgument(3, StackTraceElement.class))
                      .and(takesArgument(4, named("org.apache.logging.log4j.message.Message")))
                      .and(takesArgument(5, Throwable.class)),
                  Log4jLogWithLocationAdvice.class.getName()));
    }
    if (logback) {
      builder = builder.type(named(LOGBACK_LOGGER))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(adviceLocator)
              .advice(isMethod().and(named("callAppenders")).and(takesArguments(1))
                      .and(takesArgument(0, named("ch.qos.logback.classic.spi.ILoggingEvent"))),
                  LogbackCallAppendersAdvice.class.getName()));
    }
    return builder.installOn(inst);
  }

  /** The classes to instrument that are loaded already (JUL's logger usually is, at premain). */
  static Class<?>[] alreadyLoaded(Instrumentation inst) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (INSTRUMENTED.contains(c.getName())) {
        out.add(c);
      }
    }
    return out.toArray(new Class<?>[0]);
  }
}
