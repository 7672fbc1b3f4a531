package dev.telemetryagent.benchmarks.jvm;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A local OTLP/HTTP logs endpoint for benchmarks: decodes each request with the official protobuf messages and
 * counts the log records, keeping nothing else (a run delivers millions of records).
 */
final class CountingOtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  CountingOtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      try (InputStream raw = exchange.getRequestBody()) {
        InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? new GZIPInputStream(raw) : raw;
        if (exchange.getRequestURI().getPath().endsWith("/v1/logs")) {
          ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(in);
          long n = 0;
          for (ResourceLogs rl : request.getResourceLogsList()) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
              n += sl.getLogRecordsCount();
            }
          }
          records.addAndGet(n);
        } else {
          in.transferTo(OutputStream.nullOutputStream());
        }
        requests.incrementAndGet();
        byte[] body = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (IOException | RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
        exchange.close();
      }
    });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long records() {
    return records.get();
  }

  long requests() {
    return requests.get();
  }

  void reset() {
    records.set(0);
    requests.set(0);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
