package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.bootstrap.Dispatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SdkLoggingTest {

  /** Records what reaches a handler, and on which thread. */
  static final class Recorder extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<Boolean> agentMarked = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      records.add(record);
      threads.add(Thread.currentThread().getName());
      agentMarked.add(Dispatch.isAgentThread());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private final Logger root = Logger.getLogger("");
  private final Recorder applicationHandler = new Recorder();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Diagnostics diagnostics = new Diagnostics(new PrintStream(err, true, StandardCharsets.UTF_8),
      System::nanoTime, Duration.ofSeconds(60));
  private FakeCollector collector;
  private TelemetryPipeline pipeline;

  @BeforeEach
  void setUp() throws IOException {
    root.addHandler(applicationHandler);
    collector = new FakeCollector();
    collector.status = 503;
  }

  @AfterEach
  void tearDown() {
    root.removeHandler(applicationHandler);
    if (pipeline != null) {
      pipeline.close();
      assertSettled(pipeline.stats());
    }
    collector.close();
  }

  private void startAndFail(int exports) {
    pipeline = TelemetryPipeline.start(settings().otlpEndpoint(collector.baseUrl()).otlpRetry(false)
        .diagnostics(diagnostics).build());
    for (int i = 0; i < exports; i++) {
      pipeline.submit(event("m" + i).build());
      assertThat(pipeline.flush(WAIT)).isTrue();
    }
    assertThat(pipeline.stats().dropped(DropReason.EXPORT_FAILED)).isEqualTo(exports);
  }

  @Test
  void sdkWarningsNeverReachTheApplicationsHandlers() {
    startAndFail(3);
    assertThat(applicationHandler.records).noneMatch(r -> r.getLoggerName() != null
        && r.getLoggerName().startsWith("io.opentelemetry"));
  }

  @Test
  void sdkWarningsGoToDiagnosticsThrottled() {
    startAndFail(5);
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(output).startsWith("[telemetry-agent] OpenTelemetry SDK WARNING [HttpExporter]: Failed to export logs");
    assertThat(output.split("Failed to export logs", -1)).hasSize(2);
  }

  @Test
  void sdkLoggerIsDetachedFromParentHandlersAndStronglyHeld() {
    startAndFail(0);
    Logger sdk = SdkLogging.sdkLogger();
    assertThat(sdk.getName()).isEqualTo("io.opentelemetry");
    assertThat(sdk).isSameAs(Logger.getLogger("io.opentelemetry"));
    assertThat(sdk.getUseParentHandlers()).isFalse();
    assertThat(sdk.getHandlers()).hasAtLeastOneElementOfType(SdkLogging.Forwarder.class);
  }

  @Test
  void theSdkLogsOnlyFromAgentMarkedThreads() {
    Recorder sdkSide = new Recorder();
    SdkLogging.sdkLogger().addHandler(sdkSide);
    try {
      startAndFail(2);
    } finally {
      SdkLogging.sdkLogger().removeHandler(sdkSide);
    }
    assertThat(sdkSide.records).isNotEmpty();
    assertThat(sdkSide.agentMarked).containsOnly(true);
    assertThat(sdkSide.threads).allMatch(n -> n.startsWith(TelemetryPipeline.HTTP_THREAD_NAME_PREFIX)
        || n.equals(TelemetryPipeline.WORKER_THREAD_NAME));
  }

  @Test
  void configurationIsRepairedAfterTheApplicationResetsLogging() {
    SdkLogging.install(diagnostics);
    Logger sdk = SdkLogging.sdkLogger();
    // What LogManager.reset() does to it: handlers removed, level cleared.
    for (Handler h : sdk.getHandlers()) {
      sdk.removeHandler(h);
    }
    sdk.setLevel(null);
    sdk.setUseParentHandlers(true);

    SdkLogging.ensureInstalled();

    assertThat(sdk.getUseParentHandlers()).isFalse();
    assertThat(sdk.getLevel()).isEqualTo(Level.WARNING);
    assertThat(sdk.getHandlers()).hasSize(1).hasOnlyElementsOfType(SdkLogging.Forwarder.class);
  }
}
