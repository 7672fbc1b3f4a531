package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpHttpExportTest {

  private FakeCollector collector;
  private TelemetryPipeline pipeline;

  @BeforeEach
  void startCollector() throws IOException {
    collector = new FakeCollector();
  }

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.shutdown(Duration.ofSeconds(2));
      assertSettled(pipeline.stats());
    }
    collector.close();
  }

  private PipelineSettings.Builder otlp() {
    return settings().otlpEndpoint(collector.baseUrl()).otlpRetry(false).otlpTimeout(Duration.ofSeconds(5));
  }

  @Test
  void exportsProtobufToTheLogsPath() {
    pipeline = TelemetryPipeline.start(otlp().serviceName("checkout").build());
    assertThat(pipeline.destination()).isEqualTo("otlp " + collector.baseUrl() + "/v1/logs");
    pipeline.submit(event("charge failed").template("charge {}").severity(17, "ERROR")
        .throwable(new IllegalStateException("declined")).putContext("tenant", "acme").build());
    assertThat(pipeline.flush(WAIT)).isTrue();

    assertThat(collector.requests).hasSize(1);
    FakeCollector.Request request = collector.requests.get(0);
    assertThat(request.path).isEqualTo("/v1/logs");
    assertThat(request.headers.get("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(request.headers.get("Content-Encoding")).isNull();
    ExportLogsServiceRequest body = request.body;
    ResourceLogs rl = body.getResourceLogs(0);
    assertThat(FakeCollector.attribute(rl.getResource().getAttributesList(), "service.name")).isEqualTo("checkout");
    assertThat(FakeCollector.attribute(rl.getResource().getAttributesList(), "telemetry.distro.name"))
        .isEqualTo("telemetry-agent");
    assertThat(rl.getScopeLogs(0).getScope().getName()).isEqualTo("com.example.Orders");
    LogRecord record = rl.getScopeLogs(0).getLogRecords(0);
    assertThat(record.getBody().getStringValue()).isEqualTo("charge failed");
    assertThat(record.getSeverityNumberValue()).isEqualTo(17);
    assertThat(record.getSeverityText()).isEqualTo("ERROR");
    assertThat(record.getTimeUnixNano()).isEqualTo(1_700_000_000_123_456_789L);
    assertThat(record.getObservedTimeUnixNano()).isPositive();
    assertThat(FakeCollector.attribute(record.getAttributesList(), "thread.name")).isEqualTo("worker-1");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "thread.id")).isEqualTo("42");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "tenant")).isEqualTo("acme");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "telemetry.agent.message.template"))
        .isEqualTo("charge {}");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "exception.type"))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "exception.message")).isEqualTo("declined");
    assertThat(FakeCollector.attribute(record.getAttributesList(), "exception.stacktrace"))
        .startsWith("java.lang.IllegalStateException: declined\n\tat ");
    assertThat(pipeline.stats().exported()).isEqualTo(1);
  }

  @Test
  void sendsTheConfiguredHeaders() {
    pipeline = TelemetryPipeline.start(otlp().putOtlpHeader("Authorization", "Bearer t0k3n")
        .putOtlpHeader("x-tenant", "acme").build());
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(collector.requests.get(0).headers)
        .containsEntry("Authorization", "Bearer t0k3n")
        .containsEntry("x-tenant", "acme");
  }

  @Test
  void gzipCompression() {
    pipeline = TelemetryPipeline.start(otlp().otlpCompression("gzip").build());
    pipeline.submit(event("compressed").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(collector.requests.get(0).headers.get("Content-Encoding")).isEqualTo("gzip");
    assertThat(collector.allRecords()).extracting(r -> r.getBody().getStringValue()).containsExactly("compressed");
  }

  @Test
  void aFullLogsUrlIsUsedAsIs() {
    pipeline = TelemetryPipeline.start(settings().otlpEndpoint(collector.baseUrl() + "/tenant-a/v1/logs").build());
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(collector.requests.get(0).path).isEqualTo("/tenant-a/v1/logs");
  }

  @Test
  void batchesBecomeRequests() {
    pipeline = TelemetryPipeline.start(otlp().batchSize(10).exportInterval(Duration.ofHours(1)).build());
    for (int i = 0; i < 25; i++) {
      pipeline.submit(event("m" + i).build());
    }
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(collector.requests).hasSize(3);
    assertThat(collector.allRecords()).hasSize(25);
    assertThat(pipeline.stats().exported()).isEqualTo(25);
  }

  @Test
  void aServerAnswering503CountsExportFailed() {
    collector.status = 503;
    pipeline = TelemetryPipeline.start(otlp().build());
    pipeline.submit(event("a").build());
    pipeline.submit(event("b").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(2);
    assertThat(stats.exported()).isZero();
    assertThat(stats.lastError()).startsWith("export failed: HTTP 503");
  }

  @Test
  void retriesOnTransientFailuresStayWithinTheTimeout() {
    collector.status = 503;
    pipeline = TelemetryPipeline.start(otlp().otlpRetry(true).otlpTimeout(Duration.ofMillis(1500)).build());
    pipeline.submit(event("a").build());
    long start = System.nanoTime();
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
    assertThat(collector.requests.size()).isGreaterThan(1);
    assertThat(assertSettled(pipeline.stats()).dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
  }

  @Test
  void refusedConnectionsCountExportFailed() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    pipeline = TelemetryPipeline.start(otlp().otlpEndpoint("http://127.0.0.1:" + closedPort).build());
    pipeline.submit(event("a").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
    assertThat(stats.lastError()).startsWith("export failed: java.net.ConnectException");
  }

  @Test
  void exportingRecoversWhenTheServerDoes() {
    collector.status = 503;
    pipeline = TelemetryPipeline.start(otlp().build());
    pipeline.submit(event("lost").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    collector.status = 200;
    pipeline.submit(event("kept").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(1);
    assertThat(stats.lastExportSuccessEpochMillis()).isPositive();
  }

  @Test
  void shutdownWithASlowServerReturnsWithinTheBoundedTime() {
    collector.delayMillis = 20_000;
    pipeline = TelemetryPipeline.start(otlp().otlpTimeout(Duration.ofSeconds(10)).exportInterval(Duration.ofMillis(10))
        .shutdownTimeout(Duration.ofMillis(800)).build());
    for (int i = 0; i < 10; i++) {
      pipeline.submit(event("m" + i).build());
    }
    long start = System.nanoTime();
    pipeline.close();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(took).isLessThan(3000);
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isZero();
    assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(10);
  }

  @Test
  void shutdownWithADeadServerAndRetriesReturnsWithinTheBoundedTime() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    pipeline = TelemetryPipeline.start(otlp().otlpEndpoint("http://127.0.0.1:" + closedPort).otlpRetry(true)
        .otlpTimeout(Duration.ofSeconds(10)).exportInterval(Duration.ofHours(1))
        .shutdownTimeout(Duration.ofMillis(800)).build());
    for (int i = 0; i < 10; i++) {
      pipeline.submit(event("m" + i).build());
    }
    long start = System.nanoTime();
    pipeline.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.exported()).isZero();
    assertThat(stats.dropped(DropReason.SHUTDOWN) + stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(10);
  }

  @Test
  void httpThreadsAreAgentOwnedDaemons() {
    pipeline = TelemetryPipeline.start(otlp().build());
    pipeline.submit(event("m").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith(TelemetryPipeline.HTTP_THREAD_NAME_PREFIX))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }
}
