package dev.telemetryagent.agent;

import dev.telemetryagent.agent.capture.CaptureSink;
import dev.telemetryagent.agent.capture.Severity;
import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKey;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.agent.instrumentation.ErrorPathInstrumentation;
import dev.telemetryagent.agent.instrumentation.LoggingInstrumentation;
import dev.telemetryagent.agent.jmx.AgentMBeans;
import dev.telemetryagent.agent.scrub.PendingEngine;
import dev.telemetryagent.agent.scrub.ScrubSetup;
import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.EventSource;
import dev.telemetryagent.exporter.ExceptionSpans;
import dev.telemetryagent.exporter.PipelineSettings;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.exporter.StackTraceRenderer;
import dev.telemetryagent.exporter.TelemetryPipeline;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs the agent once its bootstrap classes are visible: configuration, the export pipeline, the capture sink,
 * the instrumentation, and the shutdown hook, in that order (nothing is captured before it can be exported).
 */
public final class AgentInstaller {

  private static volatile AgentRuntime runtime;

  private AgentInstaller() {}

  /** The running agent, or null before installation (and when disabled). */
  public static AgentRuntime runtime() {
    return runtime;
  }

  public static void install(String agentArgs, Instrumentation inst, String how) {
    long startNanos = System.nanoTime();
    // Everything this thread does from here on is the agent's own work: never capture it.
    int borrowedThreadState = Dispatch.markCurrentThreadAsAgent();
    try {
      Consumer<String> startupWarnings = line -> System.err.println("[telemetry-agent] " + line);
      AgentConfig config = AgentConfig.load(agentArgs, System.getProperties(), System.getenv(), startupWarnings);
      String version = AgentVersion.get();
      if (config.get(ConfigKeys.SDK_DISABLED)) {
        System.setProperty(AgentEntry.INSTALLED_MARKER, version + ";" + how + ";disabled");
        return;
      }

      // One engine for everything that leaves the process: log records, exception spans, span events on the
      // application's spans and self-metrics all use the pipeline settings' redactor (docs/rules.md).
      // Built on a thread of its own while the rest installs (PendingEngine): users wait for it, within bounds.
      long tCfg = System.nanoTime();
      PendingEngine scrubEngine = ScrubSetup.startEngine(config, startupWarnings);
      Redactor redactor = ScrubSetup.redactor(scrubEngine);
      TelemetryPipeline pipeline = TelemetryPipeline.start(pipelineSettings(config, version, redactor).toBuilder()
          .diagnostics(dev.telemetryagent.agent.diag.DiagnosticLog.diagnostics(config, version, how)).build());

      long tPipe = System.nanoTime();
      Map<EventSource, Integer> thresholds = new EnumMap<>(EventSource.class);
      int global = Severity.threshold(config.get(ConfigKeys.CAPTURE_LEVEL));
      thresholds.put(EventSource.JUL, levelOr(config.get(ConfigKeys.CAPTURE_LEVEL_JUL), global));
      thresholds.put(EventSource.LOG4J, levelOr(config.get(ConfigKeys.CAPTURE_LEVEL_LOG4J), global));
      thresholds.put(EventSource.LOGBACK, levelOr(config.get(ConfigKeys.CAPTURE_LEVEL_LOGBACK), global));
      CaptureSink sink = new CaptureSink(thresholds, config.get(ConfigKeys.CAPTURE_CONTEXT_KEYS),
          config.get(ConfigKeys.CAPTURE_ARGUMENTS), pipeline);
      Dispatch.setWantsContext(sink.wantsContext());
      traceCorrelation(config, sink, pipeline.settings());
      if (!Dispatch.install(sink)) {
        pipeline.close();
        return; // another copy of the agent won the race
      }

      LoggingInstrumentation logging = new LoggingInstrumentation();
      logging.retransformBatchSize(config.get(ConfigKeys.RETRANSFORM_BATCH_SIZE));
      boolean debug = config.get(ConfigKeys.DEBUG);
      long tSink = System.nanoTime();
      logging.install(inst, true, true, true, debug);
      long tLog = System.nanoTime();
      exceptionSpans(config, sink, pipeline.settings());
      installErrorPaths(config, sink, inst, debug);
      long tErr = System.nanoTime();

      AgentRuntime rt = new AgentRuntime(version, how, config, pipeline, sink, logging, scrubEngine);
      runtime = rt;
      Thread hook = new Thread(rt::shutdown, "telemetry-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      AgentMBeans.publish(rt, how, System.nanoTime() - startNanos); // MXBean and self-metrics; before the marker
      System.setProperty(AgentEntry.INSTALLED_MARKER, version + ";" + how);
      if (debug) {
        System.err.println("[telemetry-agent] " + version + " installed (" + how + ") in "
            + (System.nanoTime() - startNanos) / 1_000_000 + " ms (configuration " + ms(tCfg - startNanos)
            + ", pipeline " + ms(tPipe - tCfg) + ", log capture "
            + ms(tLog - tSink) + ", uncaught/printStackTrace/executor capture " + ms(tErr - tLog) + "); exporting to "
            + (config.get(ConfigKeys.OTLP_ENDPOINT) != null ? config.get(ConfigKeys.OTLP_ENDPOINT)
                : "local files in " + localDirectory(config)));
      }
    } finally {
      Dispatch.restoreCurrentThread(borrowedThreadState); // main, or the attach listener: the application's
    }
  }

  /** Trace correlation with the application's own OpenTelemetry spans (docs/errors.md). */
  static void traceCorrelation(AgentConfig config, CaptureSink sink, PipelineSettings ps) {
    if (config.get(ConfigKeys.TRACE_CORRELATION)) {
      boolean spanEvents = config.get(ConfigKeys.CAPTURE_EXCEPTIONS) && config.get(ConfigKeys.EXCEPTION_SPAN_EVENTS);
      sink.traceCorrelation(spanEvents, ps.redactor(),
          new StackTraceRenderer(ps.stackTraceMaxFrames(), ps.stackTraceMaxChars()));
    }
  }

  /** Spans of our own for failures outside any application span (docs/errors.md); needs an OTLP endpoint. */
  static void exceptionSpans(AgentConfig config, CaptureSink sink, PipelineSettings ps) {
    if (!config.get(ConfigKeys.CAPTURE_EXCEPTIONS) || !config.get(ConfigKeys.EXCEPTION_SPANS)
        || !(config.get(ConfigKeys.CAPTURE_UNCAUGHT) || config.get(ConfigKeys.CAPTURE_EXECUTOR_FAILURES))) {
      return; // only uncaught and executor failures get spans of their own
    }
    ExceptionSpans spans = ExceptionSpans.start(ps);
    if (spans == null) {
      return;
    }
    sink.exceptionSpans(spans::submit);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Dispatch.markCurrentThreadAsAgent();
      spans.shutdown(config.get(ConfigKeys.SHUTDOWN_TIMEOUT));
    }, "telemetry-agent-spans-shutdown"));
  }

  /** Error paths no appender sees (docs/errors.md): uncaught, printStackTrace, executor failures. */
  static void installErrorPaths(AgentConfig config, CaptureSink sink, Instrumentation inst, boolean debug) {
    boolean exceptions = config.get(ConfigKeys.CAPTURE_EXCEPTIONS);
    boolean uncaught = exceptions && config.get(ConfigKeys.CAPTURE_UNCAUGHT);
    boolean printStackTrace = exceptions && config.get(ConfigKeys.CAPTURE_PRINT_STACK_TRACE);
    boolean executor = exceptions && config.get(ConfigKeys.CAPTURE_EXECUTOR_FAILURES);
    sink.errorPaths(uncaught, printStackTrace, executor);
    new ErrorPathInstrumentation().install(inst, uncaught, printStackTrace, executor,
        config.get(ConfigKeys.RETRANSFORM_BATCH_SIZE), debug);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static int levelOr(String level, int fallback) {
    return level == null ? fallback : Severity.threshold(level);
  }

  /** The pipeline settings with the redactor {@code telemetry.agent.scrub.*} asks for (problems go to stderr). */
  static PipelineSettings pipelineSettings(AgentConfig config, String version) {
    PendingEngine engine = ScrubSetup.startEngine(config, line -> System.err.println("[telemetry-agent] " + line));
    return pipelineSettings(config, version, ScrubSetup.redactor(engine));
  }

  static PipelineSettings pipelineSettings(AgentConfig config, String version, Redactor redactor) {
    int dedupeMin = Severity.threshold(config.get(ConfigKeys.DEDUPE_MIN_LEVEL));
    PipelineSettings.Builder b = PipelineSettings.builder()
        .redactor(redactor)
        .serviceName(serviceName(config))
        .distroVersion(version)
        .otlpEndpoint(config.get(ConfigKeys.OTLP_ENDPOINT))
        .otlpTimeout(config.get(ConfigKeys.OTLP_TIMEOUT))
        .otlpCompression(config.get(ConfigKeys.OTLP_COMPRESSION))
        .localDirectory(localDirectory(config))
        .localMaxFileBytes(config.get(ConfigKeys.FILE_MAX_FILE_SIZE))
        .localMaxFiles(config.get(ConfigKeys.FILE_MAX_FILES))
        .stackTraceMaxFrames(config.get(ConfigKeys.STACKTRACE_MAX_FRAMES))
        .stackTraceMaxChars(config.get(ConfigKeys.STACKTRACE_MAX_CHARS))
        .queueCapacity(config.get(ConfigKeys.QUEUE_SIZE))
        .batchSize(config.get(ConfigKeys.EXPORT_BATCH_SIZE))
        .exportInterval(config.get(ConfigKeys.EXPORT_INTERVAL))
        .shutdownTimeout(config.get(ConfigKeys.SHUTDOWN_TIMEOUT))
        // dedupe.min-level=OFF folds nothing.
        .dedupeEnabled(config.get(ConfigKeys.DEDUPE_ENABLED) && dedupeMin <= Severity.FATAL + 3)
        .dedupeMinSeverity(Math.min(dedupeMin, Severity.FATAL + 3))
        .dedupeWindow(config.get(ConfigKeys.DEDUPE_WINDOW))
        .dedupeMaxFingerprints(config.get(ConfigKeys.DEDUPE_MAX_FINGERPRINTS))
        .rateLimitEventsPerSecond(config.get(ConfigKeys.RATE_LIMIT_EVENTS_PER_SECOND))
        .rateLimitBurst(config.get(ConfigKeys.RATE_LIMIT_BURST));
    if (config.get(ConfigKeys.OTLP_HEADERS) != null) {
      b.otlpHeaders(config.get(ConfigKeys.OTLP_HEADERS));
    }
    if (config.get(ConfigKeys.RESOURCE_ATTRIBUTES) != null) {
      b.resourceAttributes(config.get(ConfigKeys.RESOURCE_ATTRIBUTES));
    }
    if (config.get(ConfigKeys.RESOURCE_COMMAND_LINE)) {
      String args = commandLine();
      if (!args.isEmpty()) {
        b.putResourceAttribute(COMMAND_LINE, args); // scrubbed by the redactor when the resource is built
      }
    }
    return b.build();
  }

  /** The resource attribute of {@link ConfigKeys#RESOURCE_COMMAND_LINE}. */
  static final String COMMAND_LINE = "process.command_line";

  /**
   * This JVM's command line, one space-separated string: the executable and every argument as the OS reports them,
   * else the JVM's input arguments and {@code sun.java.command}. Values of secret configuration keys are masked.
   */
  static String commandLine() {
    List<String> args = new ArrayList<>();
    try {
      ProcessHandle.Info info = ProcessHandle.current().info();
      Optional<String[]> arguments = info.arguments();
      if (arguments.isPresent()) {
        info.command().ifPresent(args::add);
        args.addAll(Arrays.asList(arguments.get()));
      }
    } catch (RuntimeException e) {
      args.clear();
    }
    if (args.isEmpty()) {
      try {
        args.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      } catch (RuntimeException | LinkageError e) {
        // no management: the main command alone
      }
      String command = System.getProperty("sun.java.command");
      if (command != null && !command.trim().isEmpty()) {
        args.addAll(Arrays.asList(command.trim().split("\\s+")));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(maskSecretOptions(a));
    }
    return sb.toString();
  }

  /**
   * {@code -Dotel.exporter.otlp.headers=...} becomes {@code -Dotel.exporter.otlp.headers=****}, and so does the same
   * entry inside {@code -javaagent:...=key=value;key=value}: for every secret configuration key.
   */
  static String maskSecretOptions(String arg) {
    String out = arg;
    for (ConfigKey<?> key : ConfigKeys.all()) {
      if (!key.isSecret()) {
        continue;
      }
      String prefix = "-D" + key.name() + "=";
      if (out.startsWith(prefix)) {
        return prefix + "****";
      }
      String entry = key.name() + "=";
      int from = 0;
      int at;
      while ((at = out.indexOf(entry, from)) >= 0) {
        int valueStart = at + entry.length();
        int end = out.indexOf(';', valueStart);
        end = end < 0 ? out.length() : end;
        out = out.substring(0, valueStart) + "****" + out.substring(end);
        from = valueStart + 4;
      }
    }
    return out;
  }

  static Path localDirectory(AgentConfig config) {
    Path configured = config.get(ConfigKeys.FILE_DIRECTORY);
    return configured != null ? configured : Paths.get(System.getProperty("java.io.tmpdir"), "telemetry-agent");
  }

  /**
   * {@code otel.service.name}, else {@code service.name} in {@code otel.resource.attributes}, else the jar's file
   * name or the main class's simple name, else "unknown_service:java" (the OpenTelemetry default).
   */
  static String serviceName(AgentConfig config) {
    String configured = config.get(ConfigKeys.SERVICE_NAME);
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    Map<String, String> attrs = config.get(ConfigKeys.RESOURCE_ATTRIBUTES);
    if (attrs != null && attrs.get("service.name") != null) {
      return attrs.get("service.name");
    }
    return serviceNameFromCommand(System.getProperty("sun.java.command"));
  }

  static String serviceNameFromCommand(String command) {
    if (command == null || command.trim().isEmpty()) {
      return "unknown_service:java";
    }
    String first = command.trim().split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String file = Paths.get(first).getFileName().toString();
      return file.substring(0, file.length() - ".jar".length());
    }
    int dot = first.lastIndexOf('.');
    return dot >= 0 && dot < first.length() - 1 ? first.substring(dot + 1) : first;
  }

}
