package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
  private TelemetryPipeline pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
      assertSettled(pipeline.stats());
    }
  }

  /** Marks every string it sees, so an unmarked string on a record is one that escaped scrubbing. */
  static final class MarkingRedactor implements Redactor {
    final Set<String> keys = ConcurrentHashMap.newKeySet();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Override
    public String redact(String text) {
      threads.add(Thread.currentThread().getName());
      keys.add("<body>");
      return "R(" + text + ")";
    }

    @Override
    public String redactAttribute(String key, String value) {
      threads.add(Thread.currentThread().getName());
      keys.add(key);
      return "A(" + value + ")";
    }
  }

  private static CapturedEvent fullEvent() {
    return event("charge failed for 4111-1111")
        .template("charge failed for {}")
        .addArgument("4111-1111")
        .putContext("user.email", "jane@example.com")
        .throwable(new IllegalStateException("card 4111-1111 declined"))
        .build();
  }

  private List<LogRecordData> run(Redactor redactor, CapturedEvent... events) {
    pipeline = TelemetryPipeline.start(settings().redactor(redactor)
        .putResourceAttribute("host.name", "db-01").build(), exporter);
    for (CapturedEvent e : events) {
      pipeline.submit(e);
    }
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertSettled(pipeline.stats());
    return exporter.getFinishedLogRecordItems();
  }

  @Test
  void everyStringOnTheRecordIsScrubbed() {
    MarkingRedactor redactor = new MarkingRedactor();
    LogRecordData r = run(redactor, fullEvent()).get(0);

    assertThat(r.getBodyValue().asString()).isEqualTo("R(charge failed for 4111-1111)");
    assertThat(r.getSeverityText()).isEqualTo("A(WARN)");
    assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("A(com.example.Orders)");
    r.getAttributes().forEach((key, value) -> {
      if (value instanceof String) {
        assertThat((String) value).as(key.getKey()).startsWith("A(");
      } else if (value instanceof List) {
        assertThat((List<?>) value).as(key.getKey()).isNotEmpty()
            .allSatisfy(element -> assertThat(element).asString().startsWith("A("));
      }
    });
    assertThat(r.getAttributes().get(AttributeKey.stringArrayKey("telemetry.agent.message.arguments")))
        .containsExactly("A(4111-1111)");
    r.getResource().getAttributes().forEach((key, value) ->
        assertThat((String) value).as("resource " + key.getKey()).startsWith("A("));
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.message")))
        .isEqualTo("A(card 4111-1111 declined)");
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")))
        .startsWith("A(java.lang.IllegalStateException: card 4111-1111 declined");
    assertThat(redactor.keys).contains("<body>", "user.email", "telemetry.agent.message.template",
        "telemetry.agent.message.arguments", "thread.name",
        "telemetry.agent.source", "exception.type", "exception.message", "exception.stacktrace", "exception.source",
        "service.name", "host.name", "telemetry.distro.name", "telemetry.distro.version",
        Redactor.SCOPE_NAME_KEY, Redactor.SEVERITY_TEXT_KEY);
  }

  @Test
  void redactionRunsOnTheWorkerThreadOnly() {
    MarkingRedactor redactor = new MarkingRedactor();
    run(redactor, fullEvent(), fullEvent());
    assertThat(redactor.threads).containsExactly(TelemetryPipeline.WORKER_THREAD_NAME);
  }

  @Test
  void nullFromTheRedactorRemovesTheValue() {
    Redactor removeEmails = new Redactor() {
      @Override
      public String redact(String text) {
        return text.contains("@") ? null : text;
      }

      @Override
      public String redactAttribute(String key, String value) {
        return key.equals("user.email") ? null : value;
      }
    };
    LogRecordData r = run(removeEmails, event("mail to jane@example.com").putContext("user.email", "jane@example.com")
        .putContext("tenant", "acme").build()).get(0);
    assertThat(r.getBodyValue()).isNull();
    assertThat(r.getAttributes().get(AttributeKey.stringKey("user.email"))).isNull();
    assertThat(r.getAttributes().get(AttributeKey.stringKey("tenant"))).isEqualTo("acme");
  }

  @Test
  void anArgumentTheRedactorRemovesRemovesTheWholeArgumentsAttribute() {
    Redactor removesEmails = onAttributes((key, value) -> value.contains("@") ? null : value);
    LogRecordData r = run(removesEmails, event("receipt for order 7 sent").template("receipt for order {} to {}")
        .addArgument("7").addArgument("jane@example.com").build()).get(0);
    assertThat(r.getAttributes().asMap())
        .doesNotContainKey(AttributeKey.stringArrayKey("telemetry.agent.message.arguments"));
    assertThat(r.getAttributes().get(AttributeKey.stringKey("telemetry.agent.message.template")))
        .isEqualTo("receipt for order {} to {}");
  }

  @Test
  void aRedactorThrowingOnAnyArgumentDropsTheWholeRecord() {
    Redactor failsOnSecrets = failingOn("SECRET");
    List<LogRecordData> exported = run(failsOnSecrets,
        event("token rotated").template("token {} rotated by {}").addArgument("bob").addArgument("SECRET-1").build(),
        event("fine").template("fine {}").addArgument("1").build());

    assertThat(exported).extracting(r -> r.getBodyValue().asString()).containsExactly("fine");
    assertThat(pipeline.stats().dropped(DropReason.SCRUB_ERROR)).isEqualTo(1);
    assertThat(pipeline.stats().lastError()).contains("telemetry.agent.message.arguments").doesNotContain("SECRET");
  }

  @Test
  void aThrowingRedactorDropsTheRecordAsScrubError() {
    Redactor failsOnSecrets = failingOn("SECRET");
    List<LogRecordData> exported = run(failsOnSecrets, event("fine").build(), event("token SECRET-1").build(),
        event("also fine").build());

    assertThat(exported).extracting(r -> r.getBodyValue().asString()).containsExactly("fine", "also fine");
    PipelineStats stats = pipeline.stats();
    assertThat(stats.dropped(DropReason.SCRUB_ERROR)).isEqualTo(1);
    assertThat(stats.exported()).isEqualTo(2);
    assertThat(stats.lastError()).contains("redactor failed for body").doesNotContain("SECRET");
  }

  @Test
  void aThrowingRedactorOnAnyAttributeDropsTheWholeRecord() {
    Redactor failsOnStackTraces = onAttributes((key, value) -> {
      if (key.equals("exception.stacktrace")) {
        throw new IllegalArgumentException("regex blew up");
      }
      return value;
    });
    List<LogRecordData> exported = run(failsOnStackTraces, fullEvent());
    assertThat(exported).isEmpty();
    assertThat(pipeline.stats().dropped(DropReason.SCRUB_ERROR)).isEqualTo(1);
    assertThat(pipeline.stats().lastError()).contains("exception.stacktrace");
  }

  @Test
  void aRedactorFailingOnTheResourceDropsRecordsUntilItRecovers() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Redactor flaky = onAttributes((key, value) -> {
      if (broken.get() && key.equals("host.name")) {
        throw new IllegalStateException("not yet");
      }
      return value;
    });
    run(flaky, event("one").build(), event("two").build());
    assertThat(exporter.getFinishedLogRecordItems()).isEmpty();
    assertThat(pipeline.stats().dropped(DropReason.SCRUB_ERROR)).isEqualTo(2);

    broken.set(false);
    pipeline.submit(event("three").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    assertThat(exporter.getFinishedLogRecordItems()).extracting(r -> r.getBodyValue().asString())
        .containsExactly("three");
    assertThat(exporter.getFinishedLogRecordItems().get(0).getResource()
        .getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("db-01");
    assertSettled(pipeline.stats());
  }

  @Test
  void scrubErrorsAreReportedWithoutTheRawText() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Diagnostics diagnostics = new Diagnostics(new PrintStream(err, true, StandardCharsets.UTF_8), System::nanoTime,
        Duration.ofSeconds(60));
    Redactor alwaysFails = text -> {
      throw new IllegalStateException("raw: " + text);
    };
    pipeline = TelemetryPipeline.start(settings().redactor(alwaysFails).diagnostics(diagnostics).build(), exporter);
    pipeline.submit(event("password=hunter2").build());
    assertThat(pipeline.flush(WAIT)).isTrue();
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("[telemetry-agent] ").contains("scrub").doesNotContain("hunter2");
    Map<String, Long> stats = pipeline.stats().asMap();
    assertThat(stats).containsEntry("dropped.scrub_error", 1L).containsEntry("exported", 0L);
  }

  /** Leaves texts (body, scope, severity) alone; attribute values go through {@code attribute(key, value)}. */
  private static Redactor onAttributes(BinaryOperator<String> attribute) {
    return new Redactor() {
      @Override
      public String redact(String text) {
        return text;
      }

      @Override
      public String redactAttribute(String key, String value) {
        return attribute.apply(key, value);
      }
    };
  }

  /** Throws on any string containing {@code marker} (with that string in the message, as a careless rule might). */
  private static Redactor failingOn(String marker) {
    return text -> {
      if (text.contains(marker)) {
        throw new IllegalStateException("cannot scrub " + text);
      }
      return text;
    };
  }
}
