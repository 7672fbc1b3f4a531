package dev.telemetryagent.agent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.DropReason;
import dev.telemetryagent.exporter.EventSource;
import dev.telemetryagent.exporter.ExceptionSpans;
import dev.telemetryagent.exporter.PipelineSettings;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.exporter.TelemetryPipeline;
import dev.telemetryagent.scrub.ScrubEngine;
import dev.telemetryagent.scrub.TestEngines;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineRedactorTest {

  static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String EMAIL = "alice.demo@example.com";

  private final EngineRedactor redactor = new EngineRedactor(ScrubEngine.builtIn());

  @Test
  void bodiesGetTheTextRules() {
    String out = redactor.redact("payment gateway rejected access key " + AWS_KEY_ID + " (secret " + AWS_SECRET
        + ") for order ord-10001; receipt to " + EMAIL);
    assertThat(out).doesNotContain(AWS_KEY_ID).doesNotContain(AWS_SECRET).doesNotContain(EMAIL)
        .contains("<redacted:aws-access-key-id>").contains("<redacted:aws-secret-access-key-prose>")
        .contains("for order ord-10001");
    String clean = "charged order ord-10001: 42.00 EUR";
    assertThat(redactor.redact(clean)).isSameAs(clean);
  }

  @Test
  void applicationKeysGetTheDenyList() {
    assertThat(redactor.redactAttribute("db.password", "hunter2")).isEqualTo("<redacted:key:password>");
    assertThat(redactor.redactAttribute("x-api-key", "abc")).isEqualTo("<redacted:key:key>");
    assertThat(redactor.redactAttribute("sessionId", "42")).isEqualTo("<redacted:key:session_id>");
    assertThat(redactor.redactAttribute("user.name", "bob")).isEqualTo("bob");
    assertThat(redactor.redactAttribute("user.email", EMAIL)).doesNotContain(EMAIL);
  }

  @Test
  void theAgentsOwnKeysAreNotWipedByTheDenyListButTheirTextIsScrubbed() {
    for (String key : List.of("telemetry.agent.fingerprint", "telemetry.agent.rollup.count",
        "telemetry.agent.message.template", "telemetry.agent.message.arguments", "telemetry.agent.source",
        "telemetry.agent.error.category",
        "telemetry.agent.dedupe.key", "telemetry.agent.secret.rotation", "exception.stacktrace", "exception.type",
        "exception.message", "exception.source", "thread.name", "service.name", "telemetry.distro.version",
        "process.command_line", Redactor.SCOPE_NAME_KEY, Redactor.SEVERITY_TEXT_KEY)) {
      assertThat(EngineRedactor.isAgentKey(key)).as(key).isTrue();
      assertThat(redactor.redactAttribute(key, "f3a9c2 value")).as(key).isEqualTo("f3a9c2 value");
      assertThat(redactor.redactAttribute(key, "to " + EMAIL)).as(key).isEqualTo("to <redacted:email-address>");
    }
    // Proof that the exemption matters: as application keys, some of these would be wiped.
    assertThat(ScrubEngine.builtIn().scrubAttribute("telemetry.agent.dedupe.key", "f3a9c2"))
        .isEqualTo("<redacted:key:key>");
    assertThat(EngineRedactor.isAgentKey("db.password")).isFalse();
    assertThat(EngineRedactor.isAgentKey("telemetry.agentx")).isFalse();
  }

  @Test
  void anEngineFailureThrowsWithoutTheText() {
    EngineRedactor failing = new EngineRedactor(TestEngines.failingOn("BOOM"));
    assertThatThrownBy(() -> failing.redact("BOOM " + AWS_SECRET))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class)
        .satisfies(t -> assertThat(String.valueOf(t.getMessage()) + t.getCause()).doesNotContain(AWS_SECRET)
            .doesNotContain("BOOM"));
    assertThatThrownBy(() -> failing.redactAttribute("user.note", "BOOM"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThatThrownBy(() -> failing.redactAttribute("exception.message", "BOOM"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThat(failing.redact("fine")).isEqualTo("fine");
    assertThat(failing.engine().stats().scrubErrors()).isEqualTo(3);
  }

  @Test
  void textThatReadsLikeTheMarkerIsNotAFailure() {
    assertThat(redactor.redact(ScrubEngine.ERROR_MARKER)).isEqualTo(ScrubEngine.ERROR_MARKER);
    String copy = new String(ScrubEngine.ERROR_MARKER.toCharArray());
    assertThat(redactor.redact(copy)).isEqualTo(ScrubEngine.ERROR_MARKER);
  }

  @Test
  void aRecordTheEngineFailsOnIsDroppedAsScrubErrorAndNothingRawIsExported(@TempDir Path dir) {
    Capturing exporter = new Capturing();
    TelemetryPipeline pipeline = TelemetryPipeline.start(PipelineSettings.builder()
        .localDirectory(dir)
        .redactor(new EngineRedactor(TestEngines.failingOn("BOOM")))
        .build(), exporter);
    try {
      // The engine fails on the stack trace only: the whole record goes, not just the attribute.
      pipeline.submit(event("charge failed for " + EMAIL)
          .throwable(new IllegalStateException("BOOM secret " + AWS_SECRET)).build());
      pipeline.submit(event("BOOM in the body, secret " + AWS_SECRET).build());
      pipeline.submit(event("receipt sent to " + EMAIL).putContext("db.password", "hunter2").build());
      assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(pipeline.stats().dropped(DropReason.SCRUB_ERROR)).isEqualTo(2);
      assertThat(pipeline.stats().exported()).isEqualTo(1);
    } finally {
      pipeline.close();
    }
    assertThat(exporter.records).hasSize(1);
    LogRecordData r = exporter.records.get(0);
    String everything = r.getBodyValue().asString() + r.getAttributes() + r.getResource()
        + r.getInstrumentationScopeInfo();
    assertThat(everything).doesNotContain(EMAIL).doesNotContain(AWS_SECRET).doesNotContain("hunter2")
        .doesNotContain("BOOM").contains("<redacted:email-address>").contains("<redacted:key:password>");
  }

  @Test
  void exceptionSpansAreScrubbedAndDroppedWhenScrubbingFails(@TempDir Path dir) {
    CapturingSpans exporter = new CapturingSpans();
    ExceptionSpans spans = ExceptionSpans.start(PipelineSettings.builder().localDirectory(dir)
        .redactor(new EngineRedactor(TestEngines.failingOn("BOOM"))).build(), exporter);
    // Spans of our own get their ids at capture (the log record carries them too).
    spans.submit(CapturedEvent.builder(EventSource.EXECUTOR).severity(17, "ERROR").thread("mailer-1", 9)
        .spanContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", (byte) 1)
        .throwable(new IllegalStateException("smtp refused " + EMAIL + " (secret " + AWS_SECRET + ")"))
        .epochNanos(System.currentTimeMillis() * 1_000_000L).build());
    spans.submit(CapturedEvent.builder(EventSource.UNCAUGHT).severity(17, "ERROR").thread("reaper-1", 10)
        .spanContext("5bf92f3577b34da6a3ce929d0e0e4736", "10f067aa0ba902b7", (byte) 1)
        .throwable(new IllegalStateException("BOOM " + AWS_SECRET))
        .epochNanos(System.currentTimeMillis() * 1_000_000L).build());
    spans.shutdown(Duration.ofSeconds(10));
    assertThat(spans.dropped()).as("the span the engine failed on").isEqualTo(1);
    assertThat(exporter.spans).hasSize(1);
    String everything = exporter.spans.get(0).toString();
    assertThat(everything).doesNotContain(EMAIL).doesNotContain(AWS_SECRET).doesNotContain("BOOM")
        .contains("<redacted:email-address>").contains("<redacted:aws-secret-access-key-prose>");
  }

  static final class CapturingSpans implements SpanExporter {
    final List<SpanData> spans = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
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

  static CapturedEvent.Builder event(String message) {
    return CapturedEvent.builder(EventSource.LOGBACK)
        .severity(17, "ERROR")
        .loggerName("com.example.worker.billing")
        .formattedMessage(message)
        .thread("worker-1", 7)
        .epochNanos(System.currentTimeMillis() * 1_000_000L);
  }

  static final class Capturing implements LogRecordExporter {
    final List<LogRecordData> records = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      records.addAll(logs);
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
