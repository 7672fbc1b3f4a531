package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import dev.telemetryagent.receiver.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trace correlation with the application's own spans, in the two set-ups an application can have: it uses the
 * OpenTelemetry API with its own SDK, or it runs under the OpenTelemetry Java agent. Inside a traced request the
 * fixture ({@code TracedApp}) logs an error with JUL and prints another with {@code printStackTrace()}: both records
 * carry the request span's ids, both exceptions become {@code exception} events on that span, and its status is
 * ERROR. A record outside the request carries no ids.
 */
class TraceCorrelationTest {

  private static final String MAIN = "dev.telemetryagent.e2e.fixtures.TracedApp";
  private static final String SCOPE = "com.example.traced.Orders";
  private static final Pattern REQUEST = Pattern.compile("request trace=([0-9a-f]{32}) span=([0-9a-f]{16})");

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void appWithItsOwnSdk(Jdk jdk) throws IOException {
    Jdks.recordRun("TraceCorrelationTest", jdk);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess app = jvms.builder("own-sdk").jdk(jdk)
          .agent(E2e.requireAgentJar())
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "traced-app")
          .classpath(ConflictFixture.classpath(), MAIN)
          .args("own-sdk")
          .start()
          .assertExitsCleanly(E2e.APP_TIMEOUT);
      String[] ids = requestIds(app);

      // The application's own exporter printed its span: the agent added both exceptions and set the status.
      assertThat(app.stdoutLines()).as(app.describe()).contains("span GET /orders/{id} trace=" + ids[0]
          + " status=ERROR events=[exception:log:java.lang.IllegalStateException, "
          + "exception:print_stack_trace:java.lang.NumberFormatException]");
      assertCorrelatedRecords(receiver, app, ids);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void appUnderTheOpenTelemetryJavaAgent(Jdk jdk) throws IOException {
    Jdks.recordRun("TraceCorrelationTest", jdk);
    Path javaagent = Paths.get(System.getProperty("otel.javaagent.jar", "target/otel-javaagent/x.jar"));
    assertThat(javaagent).as("the OpenTelemetry Java agent (copied by maven-dependency-plugin)").exists();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess app = jvms.builder("otel-javaagent").jdk(jdk)
          .agent(E2e.requireAgentJar()) // ours first: see docs/errors.md
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .jvmArg("-javaagent:" + javaagent.toAbsolutePath())
          .systemProperty(E2e.ENDPOINT, receiver.endpoint()) // read by both agents
          .systemProperty(E2e.SERVICE_NAME, "traced-app")
          .systemProperty("otel.logs.exporter", "none") // the agent's log records are ours to export
          .systemProperty("otel.metrics.exporter", "none")
          .systemProperty("otel.javaagent.logging", "none")
          .systemProperty("otel.bsp.schedule.delay", "100")
          .classpath(ConflictFixture.classpath(), MAIN)
          .args("global")
          .start()
          .assertExitsCleanly(E2e.APP_TIMEOUT);
      String[] ids = requestIds(app);
      assertCorrelatedRecords(receiver, app, ids);

      await("the request span from the OpenTelemetry Java agent").atMost(Duration.ofSeconds(30))
          .until(() -> receiver.spans().stream().anyMatch(s -> ids[1].equals(s.spanId())));
      ReceivedSpan span = receiver.spans().stream().filter(s -> ids[1].equals(s.spanId())).findFirst().get();
      assertThat(span.name()).isEqualTo("GET /orders/{id}");
      assertThat(span.traceId()).isEqualTo(ids[0]);
      assertThat(span.statusCode()).isEqualTo("STATUS_CODE_ERROR");
      assertThat(span.events()).extracting(ReceivedSpan.Event::name).containsExactly("exception", "exception");
      assertThat(span.events().stream()
          .map(e -> e.attribute("exception.source") + " " + e.attribute("exception.type") + " "
              + e.attribute("telemetry.agent.error.category"))
          .collect(Collectors.toList()))
          .containsExactly("log java.lang.IllegalStateException illegal_state",
              "print_stack_trace java.lang.NumberFormatException parse");
      assertThat(span.events().get(0).attribute("exception.message")).isEqualTo("card declined for ord-42");
      assertThat(span.events().get(0).attribute("exception.stacktrace"))
          .startsWith("java.lang.IllegalStateException: card declined for ord-42\n\tat ");
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void sampleAppTracedRequest(Jdk jdk) throws IOException {
    Jdks.recordRun("TraceCorrelationTest", jdk);
    JvmProcess without = jvms.builder("sample-without-agent").jdk(jdk).jar(E2e.sampleAppJar())
        .args("--traced-request").start().assertExitsCleanly(E2e.APP_TIMEOUT);
    assertThat(without.stdoutLines()).as("without the agent the span has no event and no status")
        .contains("traced-request: span GET /orders/{id} status=UNSET events=[]");
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess app = jvms.builder("sample-app").jdk(jdk)
          .agent(E2e.requireAgentJar())
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "sample-app")
          .jar(E2e.sampleAppJar())
          .args("--traced-request")
          .start()
          .assertExitsCleanly(E2e.APP_TIMEOUT);
      Matcher m = Pattern.compile("traced-request: trace=([0-9a-f]{32}) span=([0-9a-f]{16})")
          .matcher(app.stdoutLines().stream().filter(l -> l.startsWith("traced-request: trace=")).findFirst()
              .orElseThrow(() -> new AssertionError(app.describe())));
      assertThat(m.matches()).isTrue();
      assertThat(app.stdoutLines()).as(app.describe()).contains(
          "traced-request: span GET /orders/{id} status=ERROR events=[exception:java.lang.IllegalStateException]");
      List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver,
          l -> "request failed for order ord-404".equals(l.body()), 1, Duration.ofSeconds(30), app::describe);
      assertThat(logs).singleElement().satisfies(l -> {
        assertThat(l.traceId()).isEqualTo(m.group(1));
        assertThat(l.spanId()).isEqualTo(m.group(2));
        assertThat(l.attribute("exception.source")).isEqualTo("log");
        assertThat(l.attribute("telemetry.agent.error.category")).isEqualTo("illegal_state");
      });
    }
  }

  private static String[] requestIds(JvmProcess app) {
    String line = app.stdoutLines().stream().filter(l -> l.startsWith("request ")).findFirst()
        .orElseThrow(() -> new AssertionError("no request line; " + app.describe()));
    Matcher m = REQUEST.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    return new String[] {m.group(1), m.group(2)};
  }

  private void assertCorrelatedRecords(OtlpReceiver receiver, JvmProcess app, String[] ids) throws IOException {
    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, 4, Duration.ofSeconds(30), app::describe);
    Files.createDirectories(jvms.dir());
    ReceiverAwait.dump(logs, jvms.dir().resolve("received.txt"));
    assertThat(logs.stream().map(l -> l.body() + " | " + l.traceId() + " | " + l.spanId())
        .collect(Collectors.toList())).containsExactlyInAnyOrder(
            "handling order 42 | " + ids[0] + " | " + ids[1],
            "charge failed for order 42 | " + ids[0] + " | " + ids[1],
            "java.lang.NumberFormatException: For input string: \"4x2\" | " + ids[0] + " | " + ids[1],
            "outside any request |  | ");
    assertThat(logs).filteredOn(l -> SCOPE.equals(l.scopeName())).hasSize(3);
    assertThat(logs).filteredOn(l -> "print_stack_trace".equals(l.attribute("exception.source"))).singleElement()
        .satisfies(l -> assertThat(l.eventName()).isEqualTo("exception"));
  }
}
