package dev.telemetryagent.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.CapturedEvent;
import dev.telemetryagent.exporter.EventSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorPathsTest {

  private final List<CapturedEvent> events = new ArrayList<>();

  private CaptureSink sink(boolean uncaught, boolean print, boolean executor) {
    CaptureSink sink = new CaptureSink(Collections.emptyMap(), Collections.emptyList(), events::add);
    sink.errorPaths(uncaught, print, executor);
    return sink;
  }

  @Test
  void nothingIsCapturedUntilThePathsAreSwitchedOn() {
    CaptureSink sink = new CaptureSink(Collections.emptyMap(), Collections.emptyList(), events::add);
    sink.onThrowable(Dispatch.SOURCE_UNCAUGHT, new IllegalStateException(), Thread.currentThread(), null);
    assertThat(events).isEmpty();
  }

  @Test
  void eachPathBecomesAnErrorEventWithItsSourceAndThread() {
    CaptureSink sink = sink(true, true, true);
    Thread worker = new Thread(() -> { }, "worker-7");
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b");
    RuntimeException c = new RuntimeException("c");

    sink.onThrowable(Dispatch.SOURCE_UNCAUGHT, a, worker, null);
    sink.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, b, worker, "stderr");
    sink.onThrowable(Dispatch.SOURCE_EXECUTOR, c, worker, "periodic");

    assertThat(events).extracting(CapturedEvent::source)
        .containsExactly(EventSource.UNCAUGHT, EventSource.PRINT_STACK_TRACE, EventSource.EXECUTOR);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.severityNumber()).isEqualTo(Severity.ERROR);
      assertThat(e.severityText()).isEqualTo("ERROR");
      assertThat(e.threadName()).isEqualTo("worker-7");
      assertThat(e.epochNanos()).isPositive();
      assertThat(e.loggerName()).isNull();
    });
    assertThat(events.get(0).throwable()).isSameAs(a);
    assertThat(events.get(1).context()).containsEntry(ErrorPaths.PRINT_TARGET, "stderr");
    assertThat(events.get(2).context()).containsEntry(ErrorPaths.EXECUTOR_TASK_KIND, "periodic");
    assertThat(sink.captured(EventSource.UNCAUGHT)).isEqualTo(1);
  }

  @Test
  void theSameExceptionIsExportedOnceAcrossPaths() {
    CaptureSink sink = sink(true, true, true);
    RuntimeException boom = new RuntimeException("boom");

    sink.onThrowable(Dispatch.SOURCE_EXECUTOR, boom, Thread.currentThread(), "execute");
    sink.onThrowable(Dispatch.SOURCE_UNCAUGHT, boom, Thread.currentThread(), null);
    sink.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, boom, Thread.currentThread(), "stderr");
    sink.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, new RuntimeException("boom"), Thread.currentThread(),
        "stderr");

    assertThat(events).extracting(CapturedEvent::source)
        .containsExactly(EventSource.EXECUTOR, EventSource.PRINT_STACK_TRACE);
  }

  @Test
  void aSwitchedOffPathLeavesTheExceptionToTheNextOne() {
    CaptureSink sink = sink(false, true, true);
    RuntimeException boom = new RuntimeException("boom");

    sink.onThrowable(Dispatch.SOURCE_UNCAUGHT, boom, Thread.currentThread(), null);
    sink.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, boom, Thread.currentThread(), "stderr");

    assertThat(events).extracting(CapturedEvent::source).containsExactly(EventSource.PRINT_STACK_TRACE);
  }

  @Test
  void uncaughtOnMainIsFatal() throws Exception {
    CaptureSink sink = sink(true, true, true);
    Thread main = new Thread(() -> { }, "main"); // a non-daemon thread named main in the main group
    sink.onThrowable(Dispatch.SOURCE_UNCAUGHT, new IllegalStateException(), main, null);
    sink.onThrowable(Dispatch.SOURCE_PRINT_STACK_TRACE, new IllegalStateException(), main, "stderr");

    assertThat(events.get(0).severityNumber()).isEqualTo(Severity.FATAL);
    assertThat(events.get(0).severityText()).isEqualTo("FATAL");
    assertThat(events.get(1).severityNumber()).as("only uncaught is fatal").isEqualTo(Severity.ERROR);
  }

  @Test
  void logSourcesAreIgnoredOnTheErrorPath() {
    CaptureSink sink = sink(true, true, true);
    sink.onThrowable(Dispatch.SOURCE_JUL, new RuntimeException(), Thread.currentThread(), null);
    sink.onThrowable(99, new RuntimeException(), Thread.currentThread(), null);
    assertThat(events).isEmpty();
  }

  @Test
  void theMemoryIsBoundedAndHoldsNothingStrongly() {
    ReportedThrowables memory = new ReportedThrowables(4);
    RuntimeException first = new RuntimeException();
    assertThat(memory.firstReport(first)).isTrue();
    assertThat(memory.firstReport(first)).isFalse();
    for (int i = 0; i < 4; i++) {
      assertThat(memory.firstReport(new RuntimeException())).isTrue();
    }
    assertThat(memory.seen(first)).as("pushed out of the ring").isFalse();
    assertThat(memory.firstReport(first)).isTrue();
  }
}
