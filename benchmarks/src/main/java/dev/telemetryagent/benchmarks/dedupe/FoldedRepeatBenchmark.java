package dev.telemetryagent.benchmarks.dedupe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.Diagnostics;
import dev.telemetryagent.exporter.EventSource;
import dev.telemetryagent.exporter.PipelineSettings;
import dev.telemetryagent.exporter.TelemetryPipeline;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a folded repeat costs the application thread: {@link TelemetryPipeline#admitLog} for a WARN/ERROR log call
 * whose fingerprint already has an open window (fingerprint of logger, level, normalised template and the
 * exception's type and normalised message; one table lookup; one atomic increment). It is everything the agent does
 * for a repeat after the advice's level check; nothing is formatted, copied or queued.
 *
 * <p>For scale, the same call's own cost inside Logback, without any appender: building the {@code LoggingEvent}
 * (which captures the caller data lazily) and formatting its message, as every appender does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FoldedRepeatBenchmark {

  private static final String LOGGER = "com.example.storm.checkout";
  private static final String TEMPLATE = "payment declined for order {}";

  private TelemetryPipeline pipeline;
  private final IllegalStateException failure =
      new IllegalStateException("card issuer declined payment for order ord-1000042");
  private ch.qos.logback.classic.Logger logback;
  private final Object[] args = {"ord-1000042"};

  /** A pipeline whose exporter discards everything, with a window long enough that every repeat folds. */
  @Setup
  public void setUp() {
    LogRecordExporter discard = LogRecordExporter.composite(); // exports nowhere
    pipeline = TelemetryPipeline.start(PipelineSettings.builder()
        .serviceName("bench")
        .dedupeWindow(Duration.ofHours(1))
        .diagnostics(new Diagnostics(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            System::nanoTime, Duration.ofMinutes(1)))
        .build(), discard);
    Object ticket = pipeline.admitLog(EventSource.LOGBACK, 17, LOGGER, TEMPLATE, failure);
    pipeline.submit(CapturedEvent.builder(EventSource.LOGBACK).severity(17, "ERROR").loggerName(LOGGER)
        .template(TEMPLATE).formattedMessage("payment declined for order ord-1000042").throwable(failure).build(),
        ticket);
    if (pipeline.admitLog(EventSource.LOGBACK, 17, LOGGER, TEMPLATE, failure) != null) {
      throw new IllegalStateException("the repeat was not folded: the benchmark would measure something else");
    }
    logback = new LoggerContext().getLogger(LOGGER);
  }

  @TearDown
  public void tearDown() {
    pipeline.close();
    if (pipeline.stats().folded() == 0) {
      throw new IllegalStateException("nothing was folded");
    }
  }

  /** The agent's whole work for a folded repeat, one thread. */
  @Benchmark
  public Object foldedRepeat() {
    return pipeline.admitLog(EventSource.LOGBACK, 17, LOGGER, TEMPLATE, failure);
  }

  /**
   * A repeat whose exception message is a new String at every call, as when each failure builds its own message
   * ("... for order ord-1000042"): the same fingerprint (digits normalise away), so it folds, but no cache of the
   * message's hash can hit. The message is built by {@code getMessage()} itself (no stack trace per call), so the
   * figure is the agent's work plus the concatenation; {@link #freshMessageAlone} is the concatenation alone.
   */
  @Benchmark
  public Object foldedRepeatFreshMessage() {
    return pipeline.admitLog(EventSource.LOGBACK, 17, LOGGER, TEMPLATE, freshFailure);
  }

  /** What {@link #foldedRepeatFreshMessage} spends on building the message. */
  @Benchmark
  public String freshMessageAlone() {
    return freshFailure.getMessage();
  }

  private final FreshMessageFailure freshFailure = new FreshMessageFailure();

  /** An IllegalStateException whose message is built anew at every {@code getMessage()}. */
  static final class FreshMessageFailure extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private long order = 1_000_000;

    @Override
    public String getMessage() {
      return "card issuer declined payment for order ord-" + (order++);
    }
  }

  /** The same, two threads storming the same fingerprint (contended counters). */
  @Benchmark
  @Threads(2)
  public Object foldedRepeatTwoThreads() {
    return pipeline.admitLog(EventSource.LOGBACK, 17, LOGGER, TEMPLATE, failure);
  }

  /** Logback's own work for the same call before any appender writes: the event and its formatted message. */
  @Benchmark
  public String logbackEventAndFormatting() {
    LoggingEvent event = new LoggingEvent(LOGGER, logback, Level.ERROR, TEMPLATE, failure, args);
    return event.getFormattedMessage();
  }
}
