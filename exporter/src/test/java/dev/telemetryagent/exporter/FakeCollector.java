package dev.telemetryagent.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** A tiny OTLP/HTTP logs receiver on 127.0.0.1 with a programmable status code and delay. */
final class FakeCollector implements AutoCloseable {

  static final class Request {
    final String path;
    final Map<String, String> headers;
    final ExportLogsServiceRequest body;

    Request(String path, Map<String, String> headers, ExportLogsServiceRequest body) {
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    List<LogRecord> records() {
      List<LogRecord> out = new ArrayList<>();
      body.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList())));
      return out;
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile long delayMillis;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  FakeCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      InputStream in = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(headers.get("Content-Encoding"))) {
        in = new GZIPInputStream(in);
      }
      byte[] bytes = in.readAllBytes();
      requests.add(new Request(exchange.getRequestURI().getPath(), headers, ExportLogsServiceRequest.parseFrom(bytes)));
      long delay = delayMillis;
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(status, -1);
    } finally {
      exchange.close();
    }
  }

  List<LogRecord> allRecords() {
    List<LogRecord> out = new ArrayList<>();
    for (Request r : requests) {
      out.addAll(r.records());
    }
    return out;
  }

  static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue() ? String.valueOf(kv.getValue().getIntValue()) : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
