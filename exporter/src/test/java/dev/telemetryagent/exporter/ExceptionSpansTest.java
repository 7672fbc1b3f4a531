package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.CopyOnWriteArrayList;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionSpansTest {

  /** Keeps what it got after shutdown (the SDK's in-memory exporter clears itself on shutdown). */
  private final Recording exporter = new Recording();

  static final class Recording implements SpanExporter {
    private final List<SpanData> spans = new CopyOnWriteArrayList<>();
    volatile int exports;
    volatile boolean shutdown;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      exports++;
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdown = true;
      return CompletableResultCode.ofSuccess();
    }

    List<SpanData> getFinishedSpanItems() {
      return spans;
    }
  }

  @Test
  void aFailureBecomesAShortErrorSpanWithItsExceptionEventAndTheGivenIds() {
    ExceptionSpans spans = ExceptionSpans.start(settings().build(), exporter);
    String traceId = ExceptionSpans.newTraceId();
    String spanId = ExceptionSpans.newSpanId();
    spans.submit(CapturedEvent.builder(EventSource.EXECUTOR).severity(17, "ERROR")
        .throwable(new IllegalStateException("smtp down", new java.net.ConnectException("refused")))
        .thread("mailer-1", 7).putContext("telemetry.agent.executor.task", "future")
        .epochNanos(1_700_000_000_000_000_000L).spanContext(traceId, spanId, (byte) 1).build());
    spans.submit(CapturedEvent.builder(EventSource.UNCAUGHT).throwable(new OutOfMemoryError("heap"))
        .thread("main", 1).spanContext(ExceptionSpans.newTraceId(), ExceptionSpans.newSpanId(), (byte) 1).build());
    spans.submit(CapturedEvent.builder(EventSource.EXECUTOR).throwable(new RuntimeException()).build());
    spans.shutdown(Duration.ofSeconds(10));

    List<SpanData> exported = exporter.getFinishedSpanItems();
    assertThat(exported).hasSize(2);
    assertThat(spans.submitted()).as("the event without ids is ignored").isEqualTo(2);
    assertThat(spans.exported()).isEqualTo(2);
    assertThat(spans.dropped()).isZero();

    SpanData task = exported.get(0);
    assertThat(task.getName()).isEqualTo("task failed");
    assertThat(task.getTraceId()).isEqualTo(traceId);
    assertThat(task.getSpanId()).isEqualTo(spanId);
    assertThat(task.getParentSpanContext().isValid()).isFalse();
    assertThat(task.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(task.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(task.getStatus().getDescription()).isEqualTo("java.lang.IllegalStateException");
    assertThat(task.getStartEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(task.getEndEpochNanos()).isEqualTo(task.getStartEpochNanos());
    assertThat(task.getAttributes().get(AttributeKey.stringKey("thread.name"))).isEqualTo("mailer-1");
    assertThat(task.getAttributes().get(AttributeKey.stringKey("telemetry.agent.executor.task")))
        .isEqualTo("future");
    assertThat(task.getResource().getAttributes().get(AttributeKey.stringKey("service.name"))).isEqualTo("orders");
    assertThat(task.getInstrumentationScopeInfo().getName()).isEqualTo("telemetry-agent");
    EventData event = task.getEvents().get(0);
    assertThat(task.getEvents()).hasSize(1);
    assertThat(event.getName()).isEqualTo("exception");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("smtp down");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
        .startsWith("java.lang.IllegalStateException: smtp down\n\tat ");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.source"))).isEqualTo("executor");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("telemetry.agent.error.category")))
        .isEqualTo("connection");

    SpanData uncaught = exported.get(1);
    assertThat(uncaught.getName()).isEqualTo("uncaught exception");
    assertThat(uncaught.getEvents().get(0).getAttributes()
        .get(AttributeKey.booleanKey("telemetry.agent.error.recoverable"))).isFalse();
  }

  @Test
  void everyStringIsScrubbed() {
    Redactor marking = new Redactor() {
      @Override
      public String redact(String text) {
        return "R(" + text + ")";
      }

      @Override
      public String redactAttribute(String key, String value) {
        return "A(" + value + ")";
      }
    };
    ExceptionSpans spans = ExceptionSpans.start(settings().redactor(marking).build(), exporter);
    spans.submit(CapturedEvent.builder(EventSource.UNCAUGHT).throwable(new IllegalStateException("secret"))
        .thread("t", 1).spanContext(ExceptionSpans.newTraceId(), ExceptionSpans.newSpanId(), (byte) 1).build());
    spans.shutdown(Duration.ofSeconds(10));

    SpanData span = exporter.getFinishedSpanItems().get(0);
    EventData event = span.getEvents().get(0);
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("A(secret)");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))).startsWith("A(");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("thread.name"))).isEqualTo("A(t)");
    assertThat(span.getResource().getAttributes().get(AttributeKey.stringKey("service.name"))).isEqualTo("A(orders)");
  }

  @Test
  void idsAndEndpoint() {
    assertThat(ExceptionSpans.newTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(ExceptionSpans.newSpanId()).matches("[0-9a-f]{16}");
    assertThat(ExceptionSpans.tracesEndpoint("http://c:4318/v1/logs")).isEqualTo("http://c:4318/v1/traces");
    assertThat(ExceptionSpans.start(settings().sdkDisabled(true).build())).isNull();
  }
}
