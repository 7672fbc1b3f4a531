package dev.telemetryagent.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

  private static final byte[] TRACE_ID = bytes("0af7651916cd43dd8448eb211c80319c");
  private static final byte[] SPAN_ID = bytes("b7ad6b7169203331");

  private OtlpReceiver receiver;
  private HttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    receiver = OtlpReceiver.start();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  @Test
  void bindsLoopbackEphemeralPort() {
    assertThat(receiver.port()).isPositive();
    assertThat(receiver.endpoint()).isEqualTo("http://127.0.0.1:" + receiver.port());
    assertThat(receiver.isRunning()).isTrue();
  }

  @Test
  void decodesProtobufLogs() throws Exception {
    HttpResponse<byte[]> response = post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), false);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(ExportLogsServiceResponse.parseFrom(response.body()))
        .isEqualTo(ExportLogsServiceResponse.getDefaultInstance());
    assertSampleLogsReceived();
    assertThat(receiver.lastRequestHeader("content-type")).isEqualTo("application/x-protobuf");
    assertThat(receiver.lastRequestHeader("X-Test")).isEqualTo("yes");
    assertThat(receiver.lastRequestPath()).isEqualTo("/v1/logs");
    assertThat(receiver.requestCount()).isEqualTo(1);
    assertThat(receiver.acceptedRequestCount()).isEqualTo(1);
    assertThat(receiver.logRequests()).containsExactly(sampleLogs());
  }

  @Test
  void decodesGzippedProtobufLogs() throws Exception {
    HttpResponse<byte[]> response = post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertSampleLogsReceived();
    assertThat(receiver.lastRequestHeader("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void decodesOtlpJsonLogsWithHexIds() throws Exception {
    // OTLP/JSON: ids in hex, enums as numbers, lowerCamelCase keys.
    String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"orders\"}}]},\"scopeLogs\":[{\"scope\":{\"name\":\"dev.example.billing\"},"
        + "\"logRecords\":[{\"timeUnixNano\":\"1700000000000000000\",\"severityNumber\":17,"
        + "\"severityText\":\"ERROR\",\"body\":{\"stringValue\":\"charge failed\"},"
        + "\"attributes\":[{\"key\":\"thread.id\",\"value\":{\"intValue\":\"42\"}}],"
        + "\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\"}]}]}]}";

    HttpResponse<byte[]> response = post("/v1/logs", "application/json; charset=utf-8",
        json.getBytes(StandardCharsets.UTF_8), false);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\n}");
    assertThat(receiver.logs()).singleElement().satisfies(log -> {
      assertThat(log.resourceAttribute("service.name")).isEqualTo("orders");
      assertThat(log.scopeName()).isEqualTo("dev.example.billing");
      assertThat(log.severityNumber()).isEqualTo(17);
      assertThat(log.severityText()).isEqualTo("ERROR");
      assertThat(log.body()).isEqualTo("charge failed");
      assertThat(log.attribute("thread.id")).isEqualTo("42");
      assertThat(log.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(log.spanId()).isEqualTo("b7ad6b7169203331");
      assertThat(log.timeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    });
  }

  @Test
  void decodesGzippedJsonProducedByJsonFormat() throws Exception {
    // Canonical protobuf JSON (base64 ids) of a message without ids round-trips too.
    ExportLogsServiceRequest noIds = sampleLogs().toBuilder()
        .setResourceLogs(0, sampleLogs().getResourceLogs(0).toBuilder()
            .setScopeLogs(0, sampleLogs().getResourceLogs(0).getScopeLogs(0).toBuilder()
                .setLogRecords(0, sampleLogs().getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
                    .clearTraceId().clearSpanId())))
        .build();
    String json = JsonFormat.printer().print(noIds);

    HttpResponse<byte[]> response = post("/v1/logs", "application/json", json.getBytes(StandardCharsets.UTF_8), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(receiver.logRequests()).containsExactly(noIds);
    assertThat(receiver.logs()).singleElement().satisfies(log -> {
      assertThat(log.traceId()).isEmpty();
      assertThat(log.spanId()).isEmpty();
      assertThat(log.body()).isEqualTo("reserved 3 units of sku-7");
    });
  }

  @Test
  void decodesSpansWithStatusAndEvents() throws Exception {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("orders"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("tracer-a"))
                .addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(TRACE_ID))
                    .setSpanId(ByteString.copyFrom(SPAN_ID))
                    .setName("GET /orders")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                    .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(500).build()))
                    .addEvents(Span.Event.newBuilder().setName("exception")
                        .addAttributes(kv("exception.type", str("java.lang.IllegalStateException")))))))
        .build();

    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", request.toByteArray(), true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()))
        .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
    assertThat(receiver.traceRequests()).containsExactly(request);
    assertThat(receiver.spans()).singleElement().satisfies(span -> {
      assertThat(span.name()).isEqualTo("GET /orders");
      assertThat(span.kind()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(span.statusCode()).isEqualTo("STATUS_CODE_ERROR");
      assertThat(span.statusMessage()).isEqualTo("boom");
      assertThat(span.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(span.attribute("http.response.status_code")).isEqualTo("500");
      assertThat(span.scopeName()).isEqualTo("tracer-a");
      assertThat(span.resourceAttributes()).containsEntry("service.name", "orders");
      assertThat(span.events()).singleElement().satisfies(e -> {
        assertThat(e.name()).isEqualTo("exception");
        assertThat(e.attribute("exception.type")).isEqualTo("java.lang.IllegalStateException");
      });
    });
    assertThat(receiver.logs()).isEmpty();
  }

  @Test
  void storesMetricsRequests() throws Exception {
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("queue.depth")
                    .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(7))))))
        .build();

    assertThat(post("/v1/metrics", "application/x-protobuf", request.toByteArray(), false).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/metrics", "application/json",
        JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8), false).statusCode()).isEqualTo(200);

    assertThat(receiver.metricsRequests()).containsExactly(request, request);
  }

  @Test
  void failNextAnswersWithTheInjectedStatusThenRecovers() throws Exception {
    receiver.failNext(2, 503);
    byte[] body = sampleLogs().toByteArray();

    assertThat(post("/v1/logs", "application/x-protobuf", body, false).statusCode()).isEqualTo(503);
    assertThat(post("/v1/logs", "application/x-protobuf", body, false).statusCode()).isEqualTo(503);
    assertThat(receiver.logs()).isEmpty();
    assertThat(receiver.failedLogs()).as("the refused records, once per attempt").hasSize(2)
        .containsOnly(ReceivedLog.flatten(sampleLogs()).get(0));
    assertThat(post("/v1/logs", "application/x-protobuf", body, false).statusCode()).isEqualTo(200);

    assertThat(receiver.requestCount()).isEqualTo(3);
    assertThat(receiver.failedRequestCount()).isEqualTo(2);
    assertThat(receiver.acceptedRequestCount()).isEqualTo(1);
    assertThat(receiver.logs()).hasSize(1);

    receiver.failNext(1, 429);
    assertThat(post("/v1/logs", "application/x-protobuf", body, false).statusCode()).isEqualTo(429);
    assertThatThrownBy(() -> receiver.failNext(1, 42)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void delaysResponses() throws Exception {
    receiver.setDelay(Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThat(post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), false).statusCode())
        .isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    receiver.setDelay(Duration.ZERO);
    start = System.nanoTime();
    post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), false);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
  }

  @Test
  void stopsAndRestartsOnTheSamePortKeepingData() throws Exception {
    int port = receiver.port();
    byte[] body = sampleLogs().toByteArray();
    assertThat(post("/v1/logs", "application/x-protobuf", body, false).statusCode()).isEqualTo(200);

    receiver.stop();
    assertThat(receiver.isRunning()).isFalse();
    HttpClient fresh = HttpClient.newHttpClient();
    assertThatThrownBy(() -> fresh.send(request("/v1/logs", "application/x-protobuf", body, false),
        HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(ConnectException.class);

    receiver.restart();
    assertThat(receiver.port()).isEqualTo(port);
    assertThat(HttpClient.newHttpClient()
        .send(request("/v1/logs", "application/x-protobuf", body, false), HttpResponse.BodyHandlers.ofByteArray())
        .statusCode()).isEqualTo(200);
    assertThat(receiver.logs()).hasSize(2);
  }

  @Test
  void restartOnAFixedPort() throws Exception {
    int port = receiver.port();
    receiver.close();
    try (OtlpReceiver fixed = OtlpReceiver.start(port)) {
      assertThat(fixed.port()).isEqualTo(port);
      assertThat(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(fixed.endpoint() + "/v1/logs"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(sampleLogs().toByteArray())).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(fixed.logs()).hasSize(1);
    }
  }

  @Test
  void rejectsWhatIsNotOtlp() throws Exception {
    byte[] body = sampleLogs().toByteArray();
    assertThat(post("/v1/logs", "text/plain", body, false).statusCode()).isEqualTo(415);
    assertThat(post("/v1/nothing", "application/x-protobuf", body, false).statusCode()).isEqualTo(404);
    assertThat(post("/v1/logs", "application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02}, false).statusCode())
        .isEqualTo(400);
    assertThat(post("/v1/logs", "application/json", "{\"nope\":1}".getBytes(StandardCharsets.UTF_8), false)
        .statusCode()).isEqualTo(400);
    HttpResponse<Void> get = client.send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/logs")).GET()
        .build(), HttpResponse.BodyHandlers.discarding());
    assertThat(get.statusCode()).isEqualTo(405);

    assertThat(receiver.logs()).isEmpty();
    assertThat(receiver.errors()).hasSize(5);
    assertThat(receiver.requestCount()).isEqualTo(5);
    assertThat(receiver.acceptedRequestCount()).isZero();
  }

  @Test
  void storesConcurrentRequestsSafely() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean gzip = i % 2 == 0;
        calls.add(() -> post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), gzip).statusCode());
      }
      for (Future<Integer> f : pool.invokeAll(calls)) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(receiver.logs()).hasSize(200);
    assertThat(receiver.logRequests()).hasSize(200);
    assertThat(receiver.requestCount()).isEqualTo(200);
  }

  @Test
  void listenersSeeEveryRecordAndClearForgets() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    receiver.onLog(log -> lines.add(log.toLine()));
    post("/v1/logs", "application/x-protobuf", sampleLogs().toByteArray(), false);

    assertThat(lines).singleElement().asString()
        .contains("WARN(13)", "dev.example.inventory", "reserved 3 units of sku-7", "service.name=orders",
            "thread.name=worker-1");
    receiver.clear();
    assertThat(receiver.logs()).isEmpty();
    assertThat(receiver.requestCount()).isZero();
    assertThat(receiver.lastRequestHeaders()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void assertSampleLogsReceived() {
    assertThat(receiver.logs()).singleElement().satisfies(log -> {
      assertThat(log.resourceAttributes())
          .containsEntry("service.name", "orders")
          .containsEntry("telemetry.distro.name", "telemetry-agent");
      assertThat(log.scopeName()).isEqualTo("dev.example.inventory");
      assertThat(log.scopeVersion()).isEqualTo("1.0");
      assertThat(log.severityNumber()).isEqualTo(13);
      assertThat(log.severityText()).isEqualTo("WARN");
      assertThat(log.body()).isEqualTo("reserved 3 units of sku-7");
      assertThat(log.attributes())
          .containsEntry("thread.name", "worker-1")
          .containsEntry("thread.id", "17")
          .containsEntry("retry", "true")
          .containsEntry("ratio", "0.5")
          .containsEntry("tags", "[a, 2]");
      assertThat(log.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(log.spanId()).isEqualTo("b7ad6b7169203331");
      assertThat(log.timeUnixNano()).isEqualTo(1_700_000_000_123_000_000L);
      assertThat(log.observedTimeUnixNano()).isEqualTo(1_700_000_000_124_000_000L);
      assertThat(log.raw().getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    });
  }

  private static ExportLogsServiceRequest sampleLogs() {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", str("orders")))
                .addAttributes(kv("telemetry.distro.name", str("telemetry-agent"))))
            .addScopeLogs(ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("dev.example.inventory").setVersion("1.0"))
                .addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(1_700_000_000_123_000_000L)
                    .setObservedTimeUnixNano(1_700_000_000_124_000_000L)
                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                    .setSeverityText("WARN")
                    .setBody(str("reserved 3 units of sku-7"))
                    .addAttributes(kv("thread.name", str("worker-1")))
                    .addAttributes(kv("thread.id", AnyValue.newBuilder().setIntValue(17).build()))
                    .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true).build()))
                    .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build()))
                    .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(str("a")).addValues(AnyValue.newBuilder().setIntValue(2))).build()))
                    .setTraceId(ByteString.copyFrom(TRACE_ID))
                    .setSpanId(ByteString.copyFrom(SPAN_ID)))))
        .build();
  }

  private HttpResponse<byte[]> post(String path, String contentType, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    return client.send(request(path, contentType, body, gzip), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest request(String path, String contentType, byte[] body, boolean gzip) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .header("X-Test", "yes");
    if (gzip) {
      b.header("Content-Encoding", "gzip");
      body = gzip(body);
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(body);
    }
    return bytes.toByteArray();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static byte[] bytes(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
