package dev.telemetryagent.exporter;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/** Builds the OTLP/HTTP (protobuf) log exporter on the JDK HTTP client. */
final class OtlpHttpExporterFactory {

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Resolves the HTTP sender to the JDK one directly instead of through {@code ServiceLoader}, so the exporter
   * works even if a shaded jar loses or mangles {@code META-INF/services}; other lookups use our class loader.
   */
  private static final ComponentLoader JDK_SENDER_ONLY = new ComponentLoader() {
    @Override
    public <T> Iterable<T> load(Class<T> spiClass) {
      if (spiClass == HttpSenderProvider.class) {
        return Collections.singletonList(spiClass.cast(new JdkHttpSenderProvider()));
      }
      return ComponentLoader.forClassLoader(OtlpHttpExporterFactory.class.getClassLoader()).load(spiClass);
    }
  };

  private OtlpHttpExporterFactory() {}

  /**
   * A one-line description of an export failure: {@code HTTP 503 Service Unavailable} for a response, the cause
   * (e.g. {@code java.net.ConnectException}) otherwise. Never throws.
   */
  static String describeFailure(Throwable failure) {
    try {
      if (failure instanceof FailedExportException.HttpExportException) {
        FailedExportException.HttpExportException http = (FailedExportException.HttpExportException) failure;
        HttpResponse response = http.getResponse();
        if (response != null) {
          String message = response.getStatusMessage();
          return "HTTP " + response.getStatusCode() + (message == null || message.isEmpty() ? "" : " " + message);
        }
        if (http.getCause() != null) {
          return StackTraceRenderer.safeToString(unwrap(http.getCause()));
        }
      }
      return StackTraceRenderer.safeToString(unwrap(failure));
    } catch (Throwable t) {
      return StackTraceRenderer.safeToString(failure);
    }
  }

  /** Strips the CompletionException / ExecutionException / UncheckedIOException wrappers the sender adds. */
  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    for (int i = 0; i < 8 && current.getCause() != null
        && (current instanceof CompletionException || current instanceof ExecutionException
            || current instanceof UncheckedIOException); i++) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * @param executor runs the blocking HTTP calls; its threads must be agent-marked daemon threads
   */
  static LogRecordExporter create(PipelineSettings settings, ExecutorService executor) {
    Duration timeout = settings.otlpTimeout();
    OtlpHttpLogRecordExporterBuilder builder = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(settings.otlpLogsEndpoint())
        .setTimeout(timeout)
        .setConnectTimeout(timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT)
        .setCompression(settings.otlpCompression())
        .setMeterProvider(MeterProvider::noop)
        .setExecutorService(executor)
        .setComponentLoader(JDK_SENDER_ONLY);
    if (!settings.otlpRetry()) {
      builder.setRetryPolicy(null);
    }
    for (Map.Entry<String, String> header : settings.otlpHeaders().entrySet()) {
      builder.addHeader(header.getKey(), header.getValue());
    }
    return builder.build();
  }
}
