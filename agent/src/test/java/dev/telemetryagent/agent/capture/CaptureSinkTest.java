package dev.telemetryagent.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.EventGate;
import dev.telemetryagent.exporter.EventSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CaptureSinkTest {

  private final List<CapturedEvent> events = new ArrayList<>();

  private static Map<EventSource, Integer> thresholds(int threshold) {
    Map<EventSource, Integer> thresholds = new EnumMap<>(EventSource.class);
    for (EventSource s : EventSource.values()) {
      thresholds.put(s, threshold);
    }
    return thresholds;
  }

  private CaptureSink sink(int threshold, String... contextKeys) {
    return new CaptureSink(thresholds(threshold), Arrays.asList(contextKeys), events::add);
  }

  /** A sink at INFO with {@code telemetry.agent.capture.arguments=true}. */
  private CaptureSink sinkCapturingArguments() {
    return new CaptureSink(thresholds(Severity.INFO), Collections.emptyList(), true,
        EventGate.passThrough(events::add));
  }

  /** An argument that counts how often the agent renders it. */
  private static final class CountingArgument {
    final AtomicInteger toStringCalls = new AtomicInteger();

    @Override
    public String toString() {
      toStringCalls.incrementAndGet();
      return "counted";
    }
  }

  @Test
  void belowThresholdIsRejectedBeforeAnythingIsBuilt() {
    CaptureSink sink = sink(Severity.INFO);

    Object handle = sink.beginLog(Dispatch.SOURCE_LOGBACK, 10000, "DEBUG", "a.b", "x {}", null);

    assertThat(handle).isNull();
  }

  @Test
  void capturedEventCarriesWhatAdviceHandedOver() {
    CaptureSink sink = sink(Severity.INFO);
    IllegalStateException boom = new IllegalStateException("boom");

    Object handle = sink.beginLog(Dispatch.SOURCE_LOG4J, 200, "ERROR", "billing", "charge {} failed", boom);
    sink.completeLog(handle, "charge 42 failed", new Object[] {42}, null, 1_700_000_000_123L);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo(EventSource.LOG4J);
      assertThat(e.severityNumber()).isEqualTo(17);
      assertThat(e.severityText()).isEqualTo("ERROR");
      assertThat(e.loggerName()).isEqualTo("billing");
      assertThat(e.template()).isEqualTo("charge {} failed");
      assertThat(e.formattedMessage()).isEqualTo("charge 42 failed");
      assertThat(e.arguments()).as("not captured by default").isEmpty();
      assertThat(e.throwable()).isSameAs(boom);
      assertThat(e.threadName()).isEqualTo(Thread.currentThread().getName());
      assertThat(e.epochNanos()).isEqualTo(1_700_000_000_123_000_000L);
    });
    assertThat(sink.captured(EventSource.LOG4J)).isEqualTo(1);
  }

  @Test
  void julMessagesAreFormattedLikeJulFormatters() {
    CaptureSink sink = sink(Severity.INFO);

    Object handle = sink.beginLog(Dispatch.SOURCE_JUL, 800, "INFO", "shipping", "shipped {0} to {1}", null);
    sink.completeLog(handle, null, new Object[] {"parcel-7", "Lyon"}, null, 0);

    assertThat(events).singleElement().extracting(CapturedEvent::formattedMessage)
        .isEqualTo("shipped parcel-7 to Lyon");
  }

  @Test
  void julMessagesWithoutPlaceholdersAreLeftAsIs() {
    assertThat(CaptureSink.formatJul("100% done {x}", new Object[] {1})).isEqualTo("100% done {x}");
    assertThat(CaptureSink.formatJul("broken {0", new Object[] {1})).isEqualTo("broken {0");
  }

  @Test
  void onlyAllowListedContextKeysAreKept() {
    CaptureSink sink = sink(Severity.INFO, "jobId");
    Map<String, String> mdc = new HashMap<>();
    mdc.put("jobId", "j-1");
    mdc.put("password", "hunter2");

    Object handle = sink.beginLog(Dispatch.SOURCE_LOGBACK, 20000, "INFO", "a", "m", null);
    sink.completeLog(handle, "m", null, mdc, 0);

    assertThat(events).singleElement().extracting(CapturedEvent::context)
        .isEqualTo(Collections.singletonMap("jobId", "j-1"));
  }

  @Test
  void noContextIsAskedForWhenNoKeyIsAllowed() {
    assertThat(sink(Severity.INFO).wantsContext()).isFalse();
    assertThat(sink(Severity.INFO, "tenant").wantsContext()).isTrue();
  }

  @Test
  void theAgentsOwnRelocatedLoggersAreNeverCaptured() {
    CaptureSink sink = sink(Severity.TRACE);

    Object handle = sink.beginLog(Dispatch.SOURCE_JUL, 1000, "SEVERE",
        "dev.telemetryagent.shaded.io.opentelemetry.exporter.internal.http.HttpExporter", "Failed to export", null);

    assertThat(handle).isNull();
  }

  @Test
  void argumentsAreNeitherRenderedNorKeptByDefault() {
    CaptureSink sink = sink(Severity.INFO);
    CountingArgument argument = new CountingArgument();

    Object handle = sink.beginLog(Dispatch.SOURCE_LOGBACK, 20000, "INFO", "a", "v={}", null);
    sink.completeLog(handle, "v=counted", new Object[] {argument}, null, 0);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.formattedMessage()).isEqualTo("v=counted");
      assertThat(e.arguments()).isEmpty();
    });
    assertThat(argument.toStringCalls).as("toString() calls on the application's argument").hasValue(0);
  }

  @Test
  void argumentsAreRenderedOnceWhenCaptureIsOn() {
    CaptureSink sink = sinkCapturingArguments();
    CountingArgument argument = new CountingArgument();

    Object handle = sink.beginLog(Dispatch.SOURCE_LOG4J, 200, "ERROR", "billing", "charge {} failed: {} {}", null);
    sink.completeLog(handle, "charge 42 failed: counted null", new Object[] {42, argument, null}, null, 0);

    assertThat(events).singleElement().extracting(CapturedEvent::arguments).asList()
        .containsExactly("42", "counted", "null");
    assertThat(argument.toStringCalls).hasValue(1);
  }

  @Test
  void aTrailingArgumentThatIsTheCallsThrowableIsNotAnArgument() {
    CaptureSink sink = sinkCapturingArguments();
    IllegalStateException boom = new IllegalStateException("boom");

    // Log4j hands over the parameters with the unused trailing Throwable still in them; Logback trims it.
    Object handle = sink.beginLog(Dispatch.SOURCE_LOG4J, 200, "ERROR", "inventory", "failed for {}", boom);
    sink.completeLog(handle, "failed for ord-1", new Object[] {"ord-1", boom}, null, 0);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.arguments()).containsExactly("ord-1");
      assertThat(e.throwable()).isSameAs(boom);
    });
  }

  @Test
  void capturedArgumentsAreBoundedInNumberAndLength() {
    CaptureSink sink = sinkCapturingArguments();
    Object[] args = new Object[40];
    Arrays.fill(args, "x");
    args[0] = "y".repeat(5000);

    Object handle = sink.beginLog(Dispatch.SOURCE_LOGBACK, 20000, "INFO", "a", "many", null);
    sink.completeLog(handle, "many", args, null, 0);

    List<String> captured = events.get(0).arguments();
    assertThat(captured).hasSize(32);
    assertThat(captured.get(0)).isEqualTo("y".repeat(1024));
    assertThat(captured.subList(1, 32)).containsOnly("x");
  }

  @Test
  void argumentsWhoseToStringThrowsOrReturnsNullDoNotBreakCapture() {
    CaptureSink sink = sinkCapturingArguments();
    Object hostile = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no");
      }
    };

    Object nullString = new Object() {
      @Override
      public String toString() {
        return null;
      }
    };

    Object handle = sink.beginLog(Dispatch.SOURCE_LOGBACK, 20000, "INFO", "a", "v={} w={}", null);
    sink.completeLog(handle, "v=? w=?", new Object[] {hostile, nullString}, null, 0);

    assertThat(events).singleElement().extracting(CapturedEvent::arguments).asList()
        .satisfiesExactly(
            first -> assertThat(first).asString().endsWith("(toString failed)"),
            second -> assertThat(second).isEqualTo("null"));
  }
}
