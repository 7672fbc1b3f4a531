package dev.telemetryagent.sample;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --traced-request}: the service traces its requests with the OpenTelemetry API and its own SDK, and one
 * request fails: the error is logged (SLF4J / Logback) inside the request's span. The service's own span exporter
 * prints each finished span on stdout:
 *
 * <pre>
 * traced-request: trace=&lt;traceId&gt; span=&lt;spanId&gt;
 * traced-request: span GET /orders/{id} status=&lt;code&gt; events=[&lt;name&gt;:&lt;exception.type&gt;, ...]
 * </pre>
 */
final class TracedRequest {

  private static final Logger LOG = LoggerFactory.getLogger("com.example.worker.api");
  private static final AttributeKey<String> TYPE = AttributeKey.stringKey("exception.type");

  private TracedRequest() {}

  static void run() {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(new PrintingExporter())).build();
    Tracer tracer = provider.get("com.example.worker");
    Span span = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      System.out.println("traced-request: trace=" + span.getSpanContext().getTraceId() + " span="
          + span.getSpanContext().getSpanId());
      try {
        lookUp("ord-404");
      } catch (IllegalStateException e) {
        LOG.error("request failed for order {}", "ord-404", e);
      }
    } finally {
      span.end();
    }
    provider.shutdown();
  }

  private static void lookUp(String order) {
    throw new IllegalStateException("order store unavailable for " + order);
  }

  private static final class PrintingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      for (SpanData s : spans) {
        StringBuilder events = new StringBuilder();
        for (EventData e : s.getEvents()) {
          events.append(events.length() == 0 ? "" : ", ").append(e.getName()).append(':')
              .append(e.getAttributes().get(TYPE));
        }
        System.out.println("traced-request: span " + s.getName() + " status=" + s.getStatus().getStatusCode()
            + " events=[" + events + "]");
      }
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
