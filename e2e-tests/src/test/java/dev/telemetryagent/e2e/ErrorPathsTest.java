package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import dev.telemetryagent.receiver.ReceivedSpan;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Error paths no appender sees: the sample app's {@code --error-paths --die-in-main} jobs, with the packaged agent,
 * exporting to a real OTLP receiver. One record per failure, with the exact exception shape; exceptions reported on
 * several paths (execute() then uncaught then printed; uncaught then printed) exported once; the application's own
 * uncaught handler still sees the same exception; stdout, stderr and the exit code are the same as without the
 * agent; and each switch turns its path off.
 */
class ErrorPathsTest {

  private static final String[] ARGS = {"--error-paths", "--die-in-main"};
  private static final String FRAME = "\tat dev.telemetryagent.sample.ErrorJobs.";

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** One expected record: who failed, how, and what the agent must say about it. */
  private static final class Expected {
    final String source;
    final String thread;
    final String type;
    final String message;
    final int severity;
    final String category;
    final String detailKey;
    final String detail;

    Expected(String source, String thread, String type, String message, int severity, String category,
        String detailKey, String detail) {
      this.source = source;
      this.thread = thread;
      this.type = type;
      this.message = message;
      this.severity = severity;
      this.category = category;
      this.detailKey = detailKey;
      this.detail = detail;
    }
  }

  private static final String TASK = "telemetry.agent.executor.task";
  private static final String TARGET = "telemetry.agent.print.target";

  private static final List<Expected> ALL = List.of(
      new Expected("uncaught", "reaper-1", "java.lang.IllegalStateException", "reaper lost its lease",
          Severities.ERROR, "illegal_state", null, null),
      new Expected("uncaught", "importer-1", "java.lang.IllegalArgumentException", "unknown region: mars-1",
          Severities.ERROR, "illegal_argument", null, null),
      new Expected("print_stack_trace", "main", "java.io.FileNotFoundException",
          "/etc/sample-app/tariffs.csv (No such file or directory)", Severities.ERROR, "not_found", TARGET,
          "stderr"),
      new Expected("print_stack_trace", "main", "java.nio.file.AccessDeniedException",
          "/var/lib/sample-app/rates.json", Severities.ERROR, "permission", TARGET, "stderr"),
      new Expected("executor", "mailer-1", "java.lang.IllegalStateException", "smtp relay refused the newsletter",
          Severities.ERROR, "illegal_state", TASK, "future"),
      new Expected("executor", "heartbeat-1", "java.lang.IllegalStateException", "heartbeat target rejected beat 3",
          Severities.ERROR, "illegal_state", TASK, "periodic"),
      new Expected("executor", "indexer-1", "java.lang.UnsupportedOperationException",
          "index format v0 is not supported", Severities.ERROR, "other", TASK, "execute"),
      new Expected("executor", "pricing-1", "java.lang.ArithmeticException", "price scale overflow",
          Severities.ERROR, "other", TASK, "completable_future"),
      new Expected("uncaught", "main", "java.lang.IllegalStateException",
          "main gave up: configuration store unreachable", Severities.FATAL, "timeout", null, null));

  /** Thrown on a virtual thread, on JDKs that have them. */
  private static final Expected VIRTUAL = new Expected("uncaught", "virtual-1", "java.lang.IllegalStateException",
      "virtual worker gave up", Severities.ERROR, "illegal_state", null, null);

  private static List<Expected> expected(JvmProcess run) {
    List<Expected> all = new java.util.ArrayList<>(ALL);
    if (run.stdoutLines().contains("error-paths: virtual-1 died")) {
      all.add(VIRTUAL);
    }
    return all;
  }

  private JvmProcess withoutAgent(Jdk jdk) {
    JvmProcess without = jvms.builder("without-agent").jdk(jdk).jar(E2e.sampleAppJar()).args(ARGS).start();
    assertThat(without.waitFor(E2e.APP_TIMEOUT)).as("main dies: exit code 1; %s", without.describe()).isEqualTo(1);
    return without;
  }

  private JvmProcess withAgent(Jdk jdk, String name, OtlpReceiver receiver, String... properties) {
    JvmProcess.Builder b = jvms.builder(name).jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app");
    for (int i = 0; i < properties.length; i += 2) {
      b.systemProperty(properties[i], properties[i + 1]);
    }
    JvmProcess with = b.jar(E2e.sampleAppJar()).args(ARGS).start();
    assertThat(with.waitFor(E2e.APP_TIMEOUT)).as("exit code; %s", with.describe()).isEqualTo(1);
    assertThat(E2e.agentErrorLines(with.stderrLines())).as("agent error lines; %s", with.describe()).isEmpty();
    return with;
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void everyErrorPathIsExportedOnceWithTheExceptionShape(Jdk jdk) throws IOException {
    Jdks.recordRun("ErrorPathsTest", jdk);
    JvmProcess without = withoutAgent(jdk);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess with = withAgent(jdk, "with-agent", receiver);

      // The application cannot tell: same stdout (its own uncaught handler saw the very same exception), stderr.
      assertThat(with.stdoutLines()).as("the app's uncaught handler ran with the same exception")
          .contains("error-paths: handler saw java.lang.IllegalStateException: reaper lost its lease on reaper-1 "
              + "(same instance: true)", "error-paths: heartbeat stopped after 3 runs", "error-paths: done");
      assertThat(Outputs.normalizedSorted(with.stdoutLines())).as("stdout")
          .isEqualTo(Outputs.normalizedSorted(without.stdoutLines()));
      assertThat(Outputs.normalizedSorted(with.stderrLines())).as("stderr")
          .isEqualTo(Outputs.normalizedSorted(without.stderrLines()));

      List<Expected> expected = expected(with);
      assertThat(expected.contains(VIRTUAL)).as("a virtual thread died (JDK 21+): %s", jdk)
          .isEqualTo(jdk.feature() >= 21);

      // The process has exited: everything the agent exported has arrived.
      List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(10),
          with::describe);
      ReceiverAwait.dump(logs, jvms.dir().resolve("received.txt"));
      assertThat(logs.stream().map(l -> l.attribute("exception.message")).collect(Collectors.toList()))
          .as("one record per failure, doubly reported exceptions once")
          .containsExactlyInAnyOrderElementsOf(expected.stream().map(e -> e.message).collect(Collectors.toList()));
      AgentContract.assertNothingFromTheAgentItself(logs);
      AgentContract.assertResource(logs, "sample-app");

      for (Expected e : expected) {
        assertThat(logs).filteredOn(l -> e.message.equals(l.attribute("exception.message"))).singleElement()
            .as(e.message)
            .satisfies(l -> {
              assertThat(l.eventName()).isEqualTo("exception");
              assertThat(l.severityNumber()).isEqualTo(e.severity);
              assertThat(l.severityText()).isEqualTo(e.severity == Severities.FATAL ? "FATAL" : "ERROR");
              assertThat(l.body()).isEqualTo(e.type + ": " + e.message);
              assertThat(l.scopeName()).isEqualTo("telemetry-agent");
              assertThat(l.attribute("exception.source")).isEqualTo(e.source);
              assertThat(l.attribute("telemetry.agent.source")).isEqualTo(e.source);
              assertThat(l.attribute("exception.type")).isEqualTo(e.type);
              assertThat(l.attribute("exception.stacktrace"))
                  .startsWith(e.type + ": " + e.message + "\n" + FRAME);
              assertThat(l.attribute("thread.name")).isEqualTo(e.thread);
              assertThat(l.attribute("thread.id")).isNotBlank();
              assertThat(l.attribute("telemetry.agent.error.category")).isEqualTo(e.category);
              assertThat(l.attribute("telemetry.agent.error.recoverable")).isEqualTo("true");
              if (e.detailKey != null) {
                assertThat(l.attribute(e.detailKey)).isEqualTo(e.detail);
              }
              assertThat(l.attribute(TASK.equals(e.detailKey) ? TARGET : TASK)).isNull();
            });
      }
      // Outside any application span, executor and uncaught failures get short spans of their own; the record
      // carries the span's ids. printStackTrace does not (the application handled the exception).
      int ownSpans = expected.size() - 2; // all but the two printStackTrace
      await("exception spans").atMost(Duration.ofSeconds(10)).until(() -> receiver.spans().size() >= ownSpans);
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).hasSize(ownSpans).allSatisfy(span -> {
        assertThat(span.kind()).isEqualTo("SPAN_KIND_INTERNAL");
        assertThat(span.statusCode()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(span.parentSpanId()).isEmpty();
        assertThat(span.scopeName()).isEqualTo("telemetry-agent");
        assertThat(span.resourceAttributes()).containsEntry("service.name", "sample-app");
        assertThat(span.events()).singleElement().satisfies(ev -> {
          assertThat(ev.name()).isEqualTo("exception");
          assertThat(ev.attribute("exception.type")).isNotBlank();
          assertThat(ev.attribute("exception.stacktrace")).startsWith(ev.attribute("exception.type") + ": ");
        });
        ReceivedLog record = logs.stream().filter(l -> span.spanId().equals(l.spanId())).findFirst()
            .orElseThrow(() -> new AssertionError("no record with the span's id: " + span.toLine()));
        assertThat(record.traceId()).isEqualTo(span.traceId());
        assertThat(span.name()).isEqualTo("executor".equals(record.attribute("exception.source"))
            ? "task failed" : "uncaught exception");
        assertThat(span.attribute("thread.name")).isEqualTo(record.attribute("thread.name"));
        assertThat(span.events().get(0).attribute("exception.message"))
            .isEqualTo(record.attribute("exception.message"));
        assertThat(span.events().get(0).attribute("exception.source"))
            .isEqualTo(record.attribute("exception.source"));
      });
      assertThat(logs).filteredOn(l -> "print_stack_trace".equals(l.attribute("exception.source")))
          .hasSize(2).allSatisfy(l -> assertThat(l.traceId()).isEmpty());
      assertThat(with.stdoutLines()).as("a trace printed into a StringWriter is the app's business")
          .contains("error-paths: rates not loaded; kept java.lang.IllegalStateException: kept in a string");

      assertThat(logs).filteredOn(l -> "reaper lost its lease".equals(l.attribute("exception.message")))
          .singleElement().satisfies(l -> assertThat(l.attribute("exception.stacktrace"))
              .contains("Caused by: java.io.UncheckedIOException: java.io.IOException: lease file vanished")
              .contains("Caused by: java.io.IOException: lease file vanished")
              .contains("\t... 2 more"));
      assertThat(logs).filteredOn(l -> "main".equals(l.attribute("thread.name"))
              && "uncaught".equals(l.attribute("exception.source")))
          .singleElement().satisfies(l -> assertThat(l.attribute("exception.stacktrace"))
              .contains("Caused by: java.net.SocketTimeoutException: connect timed out after 3000 ms"));
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void eachPathCanBeSwitchedOff(Jdk jdk) throws IOException {
    Jdks.recordRun("ErrorPathsTest", jdk);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      // Uncaught and executor capture off: only what is printed to the console remains, including the traces the
      // JVM's default handler prints for threads without a handler of their own.
      JvmProcess printOnly = withAgent(jdk, "print-only", receiver,
          "telemetry.agent.capture.uncaught", "false",
          "telemetry.agent.capture.executor-failures", "false");
      boolean virtual = printOnly.stdoutLines().contains("error-paths: virtual-1 died");
      List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, virtual ? 6 : 5, Duration.ofSeconds(10),
          printOnly::describe);
      assertThat(logs).allSatisfy(l -> {
        assertThat(l.attribute("exception.source")).isEqualTo("print_stack_trace");
        assertThat(l.severityNumber()).isEqualTo(Severities.ERROR);
      });
      List<String> printed = new java.util.ArrayList<>(List.of(
          "importer-1 java.lang.IllegalArgumentException",
          "main java.io.FileNotFoundException",
          "main java.nio.file.AccessDeniedException",
          "indexer-1 java.lang.UnsupportedOperationException",
          "main java.lang.IllegalStateException"));
      if (virtual) {
        printed.add("virtual-1 java.lang.IllegalStateException");
      }
      assertThat(logs.stream().map(l -> l.attribute("thread.name") + " " + l.attribute("exception.type"))
          .collect(Collectors.toList())).containsExactlyInAnyOrderElementsOf(printed);

      // Spans of our own off: every record still comes, none carries span ids, no span is exported.
      receiver.clear();
      JvmProcess noSpans = withAgent(jdk, "spans-off", receiver, "telemetry.agent.exceptions.spans", "false");
      List<ReceivedLog> all = ReceiverAwait.awaitLogs(receiver, l -> true, expected(noSpans).size(),
          Duration.ofSeconds(10), noSpans::describe);
      assertThat(all).hasSize(expected(noSpans).size()).allSatisfy(l -> assertThat(l.traceId()).isEmpty());
      assertThat(receiver.spans()).as("telemetry.agent.exceptions.spans=false").isEmpty();

      receiver.clear();
      JvmProcess none = withAgent(jdk, "exceptions-off", receiver,
          "telemetry.agent.capture.exceptions", "false");
      assertThat(none.stdoutLines()).contains("error-paths: done");
      assertThat(receiver.logs()).as("telemetry.agent.capture.exceptions=false: nothing from error paths")
          .isEmpty();
      assertThat(receiver.spans()).as("nor any span").isEmpty();
    }
  }
}
