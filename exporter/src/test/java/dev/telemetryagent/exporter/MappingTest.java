package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MappingTest {

  private final InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
  private TelemetryPipeline pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      assertSettled(pipeline.stats());
      pipeline.close();
      assertSettled(pipeline.stats());
    }
  }

  private LogRecordData export(CapturedEvent e) {
    return export(settings().build(), e);
  }

  private LogRecordData export(PipelineSettings s, CapturedEvent e) {
    pipeline = TelemetryPipeline.start(s, exporter);
    pipeline.submit(e);
    assertThat(pipeline.flush(WAIT)).isTrue();
    List<LogRecordData> items = exporter.getFinishedLogRecordItems();
    assertThat(items).hasSize(1);
    assertThat(pipeline.stats().exported()).isEqualTo(1);
    return items.get(0);
  }

  private static String attr(LogRecordData r, String key) {
    return r.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void severityNumberAndText() {
    LogRecordData r = export(event("m").severity(17, "SEVERE").build());
    assertThat(r.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(r.getSeverity().getSeverityNumber()).isEqualTo(17);
    assertThat(r.getSeverityText()).isEqualTo("SEVERE");
  }

  @Test
  void outOfRangeSeverityIsUndefined() {
    LogRecordData r = export(event("m").severity(99, "WEIRD").build());
    assertThat(r.getSeverity()).isEqualTo(Severity.UNDEFINED_SEVERITY_NUMBER);
    assertThat(r.getSeverityText()).isEqualTo("WEIRD");
  }

  @Test
  void bodyIsTheFormattedMessageAndTheTemplateIsKeptWhenItDiffers() {
    LogRecordData r = export(event("charge failed for order 7").template("charge failed for order {}").build());
    assertThat(r.getBodyValue().asString()).isEqualTo("charge failed for order 7");
    assertThat(attr(r, "telemetry.agent.message.template")).isEqualTo("charge failed for order {}");
  }

  @Test
  void templateIsOmittedWhenItEqualsTheBody() {
    LogRecordData r = export(event("plain message").template("plain message").build());
    assertThat(r.getBodyValue().asString()).isEqualTo("plain message");
    assertThat(attr(r, "telemetry.agent.message.template")).isNull();
  }

  @Test
  void bodyFallsBackToTheTemplate() {
    LogRecordData r = export(event(null).template("only a template {}").build());
    assertThat(r.getBodyValue().asString()).isEqualTo("only a template {}");
    assertThat(attr(r, "telemetry.agent.message.template")).isNull();
  }

  @Test
  void bodyFallsBackToTheExceptionsToString() {
    LogRecordData r = export(CapturedEvent.builder(EventSource.UNCAUGHT).severity(21, "FATAL")
        .throwable(new IllegalStateException("worker died")).thread("pool-1", 9).build());
    assertThat(r.getBodyValue().asString()).isEqualTo("java.lang.IllegalStateException: worker died");
  }

  @Test
  void noMessageAtAllMeansNoBody() {
    LogRecordData r = export(event(null).build());
    assertThat(r.getBodyValue()).isNull();
  }

  @Test
  void scopeIsTheLoggerName() {
    LogRecordData r = export(event("m").loggerName("com.example.Payments").build());
    assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("com.example.Payments");
  }

  @Test
  void scopeDefaultsToTelemetryAgentWithoutALogger() {
    LogRecordData r = export(CapturedEvent.builder(EventSource.PRINT_STACK_TRACE).severity(17, "ERROR")
        .throwable(new RuntimeException("x")).build());
    assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("telemetry-agent");
  }

  @Test
  void threadAndSourceAttributes() {
    LogRecordData r = export(event("m").thread("http-nio-8080-exec-3", 77).build());
    assertThat(attr(r, "thread.name")).isEqualTo("http-nio-8080-exec-3");
    assertThat(r.getAttributes().get(AttributeKey.longKey("thread.id"))).isEqualTo(77L);
    assertThat(attr(r, "telemetry.agent.source")).isEqualTo("logback");
  }

  @Test
  void sourceNamesFollowTheEventSource() {
    LogRecordData r = export(CapturedEvent.builder(EventSource.JUL).formattedMessage("m").build());
    assertThat(attr(r, "telemetry.agent.source")).isEqualTo("jul");
  }

  @Test
  void argumentsBecomeAStringArrayAttributeWithEveryElementScrubbed() {
    Redactor masksCards = text -> text.replace("4111-1111-1111-1111", "<card>");
    LogRecordData r = export(settings().redactor(masksCards).build(),
        event("charge <card> for order 7").template("charge {} for order {}")
            .addArgument("4111-1111-1111-1111").addArgument("7").build());
    assertThat(r.getAttributes().get(AttributeKey.stringArrayKey("telemetry.agent.message.arguments")))
        .containsExactly("<card>", "7");
    assertThat(r.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("4111"));
  }

  @Test
  void noArgumentsMeansNoArgumentsAttribute() {
    LogRecordData r = export(event("charge failed for order 7").template("charge failed for order {}").build());
    assertThat(r.getAttributes().asMap())
        .doesNotContainKey(AttributeKey.stringArrayKey("telemetry.agent.message.arguments"));
  }

  @Test
  void contextEntriesBecomeAttributesWithTheirOwnKeys() {
    LogRecordData r = export(event("m").putContext("request.id", "r-1").putContext("tenant", "acme").build());
    assertThat(attr(r, "request.id")).isEqualTo("r-1");
    assertThat(attr(r, "tenant")).isEqualTo("acme");
  }

  @Test
  void contextCannotOverrideTheAgentsOwnAttributes() {
    LogRecordData r = export(event("m").putContext("thread.name", "spoofed").build());
    assertThat(attr(r, "thread.name")).isEqualTo("worker-1");
  }

  @Test
  void exceptionAttributes() {
    IllegalStateException cause = new IllegalStateException("gateway down");
    cause.setStackTrace(new StackTraceElement[] {new StackTraceElement("com.example.Gateway", "call", "Gateway.java", 9)});
    RuntimeException ex = new RuntimeException("card declined", cause);
    ex.setStackTrace(new StackTraceElement[] {new StackTraceElement("com.example.Orders", "charge", "Orders.java", 3)});
    LogRecordData r = export(event("charge failed").throwable(ex).build());
    assertThat(attr(r, "exception.type")).isEqualTo("java.lang.RuntimeException");
    assertThat(attr(r, "exception.message")).isEqualTo("card declined");
    assertThat(attr(r, "exception.source")).isEqualTo("log");
    assertThat(attr(r, "exception.stacktrace"))
        .isEqualTo(new StackTraceRenderer(64, 16384).render(ex))
        .startsWith("java.lang.RuntimeException: card declined\n\tat ")
        .contains("Caused by: java.lang.IllegalStateException: gateway down");
    assertThat(r.getBodyValue().asString()).isEqualTo("charge failed");
  }

  @Test
  void exceptionSourceFollowsTheEventSource() {
    LogRecordData r = export(CapturedEvent.builder(EventSource.EXECUTOR).severity(17, "ERROR")
        .throwable(new RuntimeException("task failed")).build());
    assertThat(attr(r, "exception.source")).isEqualTo("executor");
    assertThat(attr(r, "telemetry.agent.source")).isEqualTo("executor");
  }

  @Test
  void exceptionWithoutMessageHasNoMessageAttribute() {
    LogRecordData r = export(event("m").throwable(new NullPointerException()).build());
    assertThat(attr(r, "exception.type")).isEqualTo("java.lang.NullPointerException");
    assertThat(r.getAttributes().asMap()).doesNotContainKey(AttributeKey.stringKey("exception.message"));
  }

  @Test
  void stackTraceHonoursTheConfiguredLimits() {
    LogRecordData r = export(settings().stackTraceMaxFrames(1).build(), event("m").throwable(new RuntimeException("x")).build());
    assertThat(attr(r, "exception.stacktrace").split("\n")).hasSize(3);
    assertThat(attr(r, "exception.stacktrace")).endsWith(StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void noExceptionMeansNoExceptionAttributes() {
    LogRecordData r = export(event("m").build());
    assertThat(r.getAttributes().asMap().keySet()).noneMatch(k -> k.getKey().startsWith("exception."));
  }

  @Test
  void resource() {
    PipelineSettings s = settings().serviceName("checkout").distroVersion("1.2.3")
        .putResourceAttribute("deployment.environment.name", "prod")
        .putResourceAttribute("service.name", "ignored: serviceName wins")
        .build();
    LogRecordData r = export(s, event("m").build());
    assertThat(r.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("checkout");
    assertThat(r.getResource().getAttribute(AttributeKey.stringKey("telemetry.distro.name"))).isEqualTo("telemetry-agent");
    assertThat(r.getResource().getAttribute(AttributeKey.stringKey("telemetry.distro.version"))).isEqualTo("1.2.3");
    assertThat(r.getResource().getAttribute(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("prod");
    assertThat(r.getResource().getAttribute(AttributeKey.stringKey("telemetry.sdk.language"))).isEqualTo("java");
    assertThat(r.getResource().getAttributes().asMap().keySet())
        .noneMatch(k -> k.getKey().startsWith("process."));
  }

  @Test
  void timestampIsTheEventsAndObservedIsNow() {
    long before = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - TimeUnit.SECONDS.toNanos(1);
    LogRecordData r = export(event("m").epochNanos(1_600_000_000_000_000_001L).build());
    long after = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) + TimeUnit.SECONDS.toNanos(1);
    assertThat(r.getTimestampEpochNanos()).isEqualTo(1_600_000_000_000_000_001L);
    assertThat(r.getObservedTimestampEpochNanos()).isBetween(before, after);
  }

  @Test
  void missingTimestampUsesNow() {
    LogRecordData r = export(event("m").epochNanos(0).build());
    assertThat(r.getTimestampEpochNanos()).isEqualTo(r.getObservedTimestampEpochNanos());
  }

  @Test
  void noSpanContextFromTheWorkerThread() {
    LogRecordData r = export(event("m").build());
    assertThat(r.getSpanContext().isValid()).isFalse();
  }
  @Test
  void errorPathRecordsAreExceptionEventsWithCategory() {
    Throwable thrown = new IllegalStateException("boom", new java.net.SocketTimeoutException("slow"));
    LogRecordData r = export(CapturedEvent.builder(EventSource.UNCAUGHT).severity(21, "FATAL").throwable(thrown)
        .thread("main", 1).build());
    assertThat(r.getEventName()).isEqualTo("exception");
    assertThat(r.getSeverity()).isEqualTo(Severity.FATAL);
    assertThat(r.getBodyValue().asString()).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(attr(r, "exception.source")).isEqualTo("uncaught");
    assertThat(attr(r, "exception.type")).isEqualTo("java.lang.IllegalStateException");
    assertThat(attr(r, "exception.message")).isEqualTo("boom");
    assertThat(attr(r, "exception.stacktrace")).startsWith("java.lang.IllegalStateException: boom\n\tat ");
    assertThat(attr(r, "telemetry.agent.error.category")).isEqualTo("timeout");
    assertThat(r.getAttributes().get(AttributeKey.booleanKey("telemetry.agent.error.recoverable"))).isTrue();
  }

  @Test
  void logRecordsWithAThrowableGetTheCategoryButNoEventName() {
    LogRecordData r = export(event("failed").severity(17, "ERROR").throwable(new OutOfMemoryError("heap")).build());
    assertThat(r.getEventName()).isNull();
    assertThat(attr(r, "exception.source")).isEqualTo("log");
    assertThat(attr(r, "telemetry.agent.error.category")).isEqualTo("oom");
    assertThat(r.getAttributes().get(AttributeKey.booleanKey("telemetry.agent.error.recoverable"))).isFalse();
  }
}
