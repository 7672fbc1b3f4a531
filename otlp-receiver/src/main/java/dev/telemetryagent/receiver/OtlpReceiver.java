package dev.telemetryagent.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A small OTLP/HTTP receiver on {@code 127.0.0.1}, built on the JDK's {@link HttpServer}. It accepts POSTs to
 * {@code /v1/logs}, {@code /v1/traces} and {@code /v1/metrics} with {@code application/x-protobuf} or
 * {@code application/json} bodies (optionally {@code Content-Encoding: gzip}), decodes them into the official
 * OTLP protobuf messages, stores them and answers 200 with an empty {@code Export*ServiceResponse}.
 *
 * <p>All accessors are thread-safe and return snapshots. For tests it can inject faults ({@link #failNext},
 * {@link #setDelay}) and be stopped and restarted on the same port ({@link #stop}, {@link #restart}).
 *
 * <p>Run it stand-alone with {@code java -jar telemetry-agent-otlp-receiver.jar --port 4318 --print} (with its
 * dependencies on the class path) to print every received log record as one line.
 */
public final class OtlpReceiver implements AutoCloseable {

  public static final String LOGS_PATH = "/v1/logs";
  public static final String TRACES_PATH = "/v1/traces";
  public static final String METRICS_PATH = "/v1/metrics";

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  private final Object lock = new Object();
  private final List<ExportLogsServiceRequest> logRequests = new ArrayList<>();
  private final List<ReceivedLog> logs = new ArrayList<>();
  private final List<ReceivedLog> failedLogs = new ArrayList<>();
  private final List<ExportTraceServiceRequest> traceRequests = new ArrayList<>();
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ExportMetricsServiceRequest> metricsRequests = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private Map<String, List<String>> lastRequestHeaders = Collections.emptyMap();
  private String lastRequestPath;

  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger acceptedCount = new AtomicInteger();
  private final AtomicInteger failedCount = new AtomicInteger();
  private final AtomicInteger failRemaining = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile Duration delay = Duration.ZERO;
  private final List<Consumer<ReceivedLog>> logListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ReceivedSpan>> spanListeners = new CopyOnWriteArrayList<>();

  private final int port;
  private HttpServer server;
  private ExecutorService executor;
  private boolean closed;

  /** Binds {@code 127.0.0.1:port} (0 for an ephemeral port) and starts serving. */
  public OtlpReceiver(int port) throws IOException {
    HttpServer s = bind(port);
    this.port = s.getAddress().getPort();
    startServing(s);
  }

  /** Starts a receiver on an ephemeral port of {@code 127.0.0.1}. */
  public static OtlpReceiver start() throws IOException {
    return new OtlpReceiver(0);
  }

  /** Starts a receiver on the given port of {@code 127.0.0.1} (0 for an ephemeral port). */
  public static OtlpReceiver start(int port) throws IOException {
    return new OtlpReceiver(port);
  }

  /** The bound port; stays the same across {@link #stop()} and {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The base endpoint, {@code http://127.0.0.1:PORT}, as {@code otel.exporter.otlp.endpoint} expects it. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Whether the server is currently accepting connections. */
  public boolean isRunning() {
    synchronized (lock) {
      return server != null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /** Stops accepting connections (the port is freed); stored data is kept. Idempotent. */
  public void stop() {
    HttpServer s;
    ExecutorService e;
    synchronized (lock) {
      s = server;
      e = executor;
      server = null;
      executor = null;
    }
    if (s != null) {
      s.stop(0);
    }
    if (e != null) {
      e.shutdownNow();
    }
  }

  /** Starts serving again on the same port after {@link #stop()}; a no-op when running. */
  public void restart() throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("receiver is closed");
      }
      if (server != null) {
        return;
      }
    }
    IOException last = null;
    // The port was ours a moment ago; binding again can race with the kernel releasing it, so try a few times.
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        startServing(bind(port));
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw last;
  }

  /** Stops for good. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    stop();
  }

  private static HttpServer bind(int port) throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
  }

  private void startServing(HttpServer s) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "otlp-receiver-" + port + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService e = Executors.newCachedThreadPool(tf);
    s.setExecutor(e);
    s.createContext("/", this::handle);
    s.start();
    synchronized (lock) {
      server = s;
      executor = e;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fault injection

  /** The next {@code n} export requests are answered with {@code httpStatus} (and not stored). */
  public void failNext(int n, int httpStatus) {
    if (httpStatus < 100 || httpStatus > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + httpStatus);
    }
    failStatus = httpStatus;
    failRemaining.set(Math.max(0, n));
  }

  /** Every request is answered only after this delay (zero to turn off). */
  public void setDelay(Duration delay) {
    this.delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Accessors

  /** Every log record received so far, in arrival order, flattened. */
  public List<ReceivedLog> logs() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(logs));
    }
  }

  /**
   * The log records carried by requests answered with an injected failure ({@link #failNext}), in arrival order; a
   * record the exporter sent again (a retry) appears once per attempt. Records that could not be decoded are
   * left out.
   */
  public List<ReceivedLog> failedLogs() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(failedLogs));
    }
  }

  /** Every accepted logs export request, as decoded. */
  public List<ExportLogsServiceRequest> logRequests() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(logRequests));
    }
  }

  /** Every span received so far, in arrival order, flattened. */
  public List<ReceivedSpan> spans() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(spans));
    }
  }

  /** Every accepted traces export request, as decoded. */
  public List<ExportTraceServiceRequest> traceRequests() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(traceRequests));
    }
  }

  /** Every accepted metrics export request, as decoded. */
  public List<ExportMetricsServiceRequest> metricsRequests() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(metricsRequests));
    }
  }

  /** All HTTP requests seen (accepted, failed on purpose, or rejected as malformed). */
  public int requestCount() {
    return requestCount.get();
  }

  /** Requests decoded, stored and answered 200. */
  public int acceptedRequestCount() {
    return acceptedCount.get();
  }

  /** Requests answered with an injected failure status. */
  public int failedRequestCount() {
    return failedCount.get();
  }

  /** Headers of the most recent request (keys case-insensitive); empty before the first request. */
  public Map<String, List<String>> lastRequestHeaders() {
    synchronized (lock) {
      return lastRequestHeaders;
    }
  }

  /** The first value of a header of the most recent request, or null. */
  public String lastRequestHeader(String name) {
    List<String> values = lastRequestHeaders().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The path of the most recent request, or null. */
  public String lastRequestPath() {
    synchronized (lock) {
      return lastRequestPath;
    }
  }

  /** Why requests were rejected (400/404/405/415), oldest first. */
  public List<String> errors() {
    synchronized (lock) {
      return Collections.unmodifiableList(new ArrayList<>(errors));
    }
  }

  /** Forgets everything received (not the fault injection settings). */
  public void clear() {
    synchronized (lock) {
      logRequests.clear();
      logs.clear();
      failedLogs.clear();
      traceRequests.clear();
      spans.clear();
      metricsRequests.clear();
      errors.clear();
      lastRequestHeaders = Collections.emptyMap();
      lastRequestPath = null;
    }
    requestCount.set(0);
    acceptedCount.set(0);
    failedCount.set(0);
  }

  /** Calls {@code listener} for every log record received from now on, on the receiving thread. */
  public void onLog(Consumer<ReceivedLog> listener) {
    logListeners.add(listener);
  }

  /** Calls {@code listener} for every span received from now on, on the receiving thread. */
  public void onSpan(Consumer<ReceivedSpan> listener) {
    spanListeners.add(listener);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      requestCount.incrementAndGet();
      synchronized (lock) {
        lastRequestHeaders = Collections.unmodifiableMap(headers);
        lastRequestPath = path;
      }

      Duration d = delay;
      if (!d.isZero()) {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }

      if (!"POST".equals(exchange.getRequestMethod())) {
        reject(exchange, 405, exchange.getRequestMethod() + " " + path);
        return;
      }
      if (!LOGS_PATH.equals(path) && !TRACES_PATH.equals(path) && !METRICS_PATH.equals(path)) {
        reject(exchange, 404, "no such path: " + path);
        return;
      }
      if (failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        if (LOGS_PATH.equals(path)) {
          List<ReceivedLog> refused = tryDecodeLogs(exchange, raw);
          synchronized (lock) {
            failedLogs.addAll(refused);
          }
        }
        failedCount.incrementAndGet();
        respond(exchange, failStatus, "text/plain", ("injected failure " + failStatus).getBytes(StandardCharsets.UTF_8));
        return;
      }

      String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      boolean json;
      if (PROTOBUF.equals(contentType) || "application/protobuf".equals(contentType)) {
        json = false;
      } else if (JSON.equals(contentType)) {
        json = true;
      } else {
        reject(exchange, 415, "unsupported content type: " + contentType);
        return;
      }

      byte[] body;
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      try {
        body = encoding != null && encoding.trim().equalsIgnoreCase("gzip") ? gunzip(raw) : raw;
      } catch (IOException e) {
        reject(exchange, 400, "bad gzip body: " + e);
        return;
      }
      if (encoding != null && !encoding.trim().equalsIgnoreCase("gzip")
          && !encoding.trim().equalsIgnoreCase("identity")) {
        reject(exchange, 415, "unsupported content encoding: " + encoding);
        return;
      }

      Message response;
      try {
        response = decodeAndStore(path, body, json);
      } catch (InvalidProtocolBufferException e) {
        reject(exchange, 400, "cannot decode " + (json ? "JSON" : "protobuf") + " " + path + ": " + e.getMessage());
        return;
      }
      acceptedCount.incrementAndGet();
      if (json) {
        respond(exchange, 200, JSON, JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8));
      } else {
        respond(exchange, 200, PROTOBUF, response.toByteArray());
      }
    } catch (RuntimeException e) {
      synchronized (lock) {
        errors.add("internal error: " + e);
      }
      throw e;
    } finally {
      exchange.close();
    }
  }

  /** The records of a logs request, for the record only: empty when it cannot be decoded. Never throws. */
  private static List<ReceivedLog> tryDecodeLogs(HttpExchange exchange, byte[] raw) {
    try {
      String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      byte[] body = encoding != null && encoding.trim().equalsIgnoreCase("gzip") ? gunzip(raw) : raw;
      if (JSON.equals(contentType)) {
        return ReceivedLog.flatten(OtlpJson.parseLogs(new String(body, StandardCharsets.UTF_8)));
      }
      return ReceivedLog.flatten(ExportLogsServiceRequest.parseFrom(body));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private Message decodeAndStore(String path, byte[] body, boolean json) throws InvalidProtocolBufferException {
    String text = json ? new String(body, StandardCharsets.UTF_8) : null;
    switch (path) {
      case LOGS_PATH: {
        ExportLogsServiceRequest req = json ? OtlpJson.parseLogs(text) : ExportLogsServiceRequest.parseFrom(body);
        List<ReceivedLog> flat = ReceivedLog.flatten(req);
        synchronized (lock) {
          logRequests.add(req);
          logs.addAll(flat);
        }
        for (ReceivedLog log : flat) {
          for (Consumer<ReceivedLog> l : logListeners) {
            l.accept(log);
          }
        }
        return ExportLogsServiceResponse.getDefaultInstance();
      }
      case TRACES_PATH: {
        ExportTraceServiceRequest req = json ? OtlpJson.parseTraces(text) : ExportTraceServiceRequest.parseFrom(body);
        List<ReceivedSpan> flat = new ArrayList<>();
        for (ResourceSpans rs : req.getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span span : ss.getSpansList()) {
              flat.add(ReceivedSpan.of(rs.getResource(), ss.getScope(), span));
            }
          }
        }
        synchronized (lock) {
          traceRequests.add(req);
          spans.addAll(flat);
        }
        for (ReceivedSpan span : flat) {
          for (Consumer<ReceivedSpan> l : spanListeners) {
            l.accept(span);
          }
        }
        return ExportTraceServiceResponse.getDefaultInstance();
      }
      default: {
        ExportMetricsServiceRequest req =
            json ? OtlpJson.parseMetrics(text) : ExportMetricsServiceRequest.parseFrom(body);
        synchronized (lock) {
          metricsRequests.add(req);
        }
        return ExportMetricsServiceResponse.getDefaultInstance();
      }
    }
  }

  private void reject(HttpExchange exchange, int status, String why) throws IOException {
    synchronized (lock) {
      errors.add(status + " " + why);
    }
    respond(exchange, status, "text/plain", why.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] gunzip(byte[] raw) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Stand-alone use

  /**
   * {@code OtlpReceiver [--port 4318] [--print]}: serves until killed; with {@code --print} every log record
   * (and span) is printed to stdout as one line.
   */
  public static void main(String[] args) throws Exception {
    int port = 4318;
    boolean print = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port":
          if (i + 1 >= args.length) {
            usage("--port needs a value");
          }
          port = Integer.parseInt(args[++i]);
          break;
        case "--print":
          print = true;
          break;
        case "-h":
        case "--help":
          usage(null);
          break;
        default:
          usage("unknown argument: " + args[i]);
      }
    }
    PrintStream out = System.out;
    OtlpReceiver receiver = new OtlpReceiver(port);
    if (print) {
      receiver.onLog(log -> {
        synchronized (out) {
          out.println(log.toLine());
        }
      });
      receiver.onSpan(span -> {
        synchronized (out) {
          out.println(span.toLine());
        }
      });
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      receiver.close();
      stopped.countDown();
    }, "otlp-receiver-shutdown"));
    out.println("OTLP receiver listening on " + receiver.endpoint() + " (POST /v1/logs, /v1/traces, /v1/metrics)");
    out.flush();
    stopped.await();
  }

  private static void usage(String error) {
    if (error != null) {
      System.err.println(error);
    }
    System.err.println("usage: OtlpReceiver [--port 4318] [--print]");
    System.exit(error == null ? 0 : 2);
  }
}
