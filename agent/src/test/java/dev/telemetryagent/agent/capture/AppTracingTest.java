package dev.telemetryagent.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.exporter.StackTraceRenderer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trace correlation against the OpenTelemetry API on the test class path (unshaded here, standing for the
 * application's own): the active span's ids, and exceptions as span events.
 */
class AppTracingTest {

  private final List<SpanData> ended = new ArrayList<>();
  private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }).build();

  private final AppTracing tracing = new AppTracing(true, Redactor.IDENTITY, new StackTraceRenderer(1000, 100_000));

  @AfterEach
  void close() {
    provider.shutdown();
  }

  @Test
  void noActiveSpanMeansNoCorrelation() {
    assertThat(tracing.current(Thread.currentThread())).isNull();
  }

  @Test
  void aLoaderWithoutTheApiMeansNoCorrelation() throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    Span span = provider.get("test").spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent(); URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      t.setContextClassLoader(empty);
      assertThat(tracing.current(t)).isNull();
      assertThat(tracing.current(t)).as("absence is cached").isNull();
    } finally {
      t.setContextClassLoader(previous);
      span.end();
    }
  }

  @Test
  void theActiveSpanGetsTheExceptionAsAnEventAndErrorStatusOnce() {
    Span span = provider.get("test").spanBuilder("GET /orders").startSpan();
    IllegalStateException boom = new IllegalStateException("card declined", new java.net.SocketTimeoutException());
    try (Scope ignored = span.makeCurrent()) {
      AppTracing.Active active = tracing.current(Thread.currentThread());
      assertThat(active).isNotNull();
      assertThat(active.traceId).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(active.spanId).isEqualTo(span.getSpanContext().getSpanId());
      assertThat(active.traceFlags).isEqualTo((byte) 1);
      tracing.recordException(active, boom, true, "log");
      tracing.recordException(active, boom, true, "print_stack_trace");
    } finally {
      span.end();
    }
    SpanData data = ended.get(0);
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(data.getEvents()).hasSize(1);
    EventData event = data.getEvents().get(0);
    assertThat(event.getName()).isEqualTo("exception");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("card declined");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
        .startsWith("java.lang.IllegalStateException: card declined\n\tat ")
        .contains("Caused by: java.net.SocketTimeoutException");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.source"))).isEqualTo("log");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("telemetry.agent.error.category")))
        .isEqualTo("timeout");
  }

  @Test
  void spanEventsGoThroughTheScrubEngine() {
    AppTracing scrubbing = new AppTracing(true,
        new dev.telemetryagent.agent.scrub.EngineRedactor(dev.telemetryagent.scrub.ScrubEngine.builtIn()),
        new StackTraceRenderer(1000, 100_000));
    Span span = provider.get("test").spanBuilder("GET /orders").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      scrubbing.recordException(scrubbing.current(Thread.currentThread()),
          new IllegalStateException("receipt to alice.demo@example.com failed (secret "
              + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)"), true, "log");
    } finally {
      span.end();
    }
    EventData event = ended.get(0).getEvents().get(0);
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("receipt to <redacted:email-address> failed (secret <redacted:aws-secret-access-key-prose>)");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
        .doesNotContain("alice.demo@example.com").doesNotContain("wJalrXUtnFEMI");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void whenTheScrubEngineFailsThereIsNoSpanEvent() {
    AppTracing failing = new AppTracing(true,
        new dev.telemetryagent.agent.scrub.EngineRedactor(dev.telemetryagent.scrub.TestEngines.failingOn("BOOM")),
        new StackTraceRenderer(1000, 100_000));
    Span span = provider.get("test").spanBuilder("GET /orders").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      failing.recordException(failing.current(Thread.currentThread()), new IllegalStateException("BOOM secret"),
          true, "log");
    } finally {
      span.end();
    }
    assertThat(ended.get(0).getEvents()).as("fail closed: no half-scrubbed event").isEmpty();
  }

  @Test
  void aWarningAddsTheEventButLeavesTheStatus() {
    Span span = provider.get("test").spanBuilder("retrying").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      tracing.recordException(tracing.current(Thread.currentThread()), new RuntimeException("retry"), false, "log");
    } finally {
      span.end();
    }
    assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(ended.get(0).getEvents()).hasSize(1);
  }

  @Test
  void captureSinkCorrelatesLogRecords() {
    List<CapturedEvent> events = new ArrayList<>();
    CaptureSink sink = new CaptureSink(Collections.emptyMap(), Collections.emptyList(), events::add);
    sink.traceCorrelation(true, Redactor.IDENTITY, new StackTraceRenderer(1000, 100_000));
    Span span = provider.get("test").spanBuilder("request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      Object h = sink.beginLog(Dispatch.SOURCE_JUL, 1000, "SEVERE", "a.b", "failed", new IllegalStateException());
      sink.completeLog(h, null, null, null, 0);
    } finally {
      span.end();
    }
    Object h = sink.beginLog(Dispatch.SOURCE_JUL, 800, "INFO", "a.b", "after", null);
    sink.completeLog(h, null, null, null, 0);

    assertThat(events.get(0).traceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(events.get(0).spanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(events.get(1).traceId()).isNull();
    assertThat(ended.get(0).getEvents()).extracting(EventData::getName).containsExactly("exception");
    assertThat(ended.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }
}
