package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * (a) The packaged sample app with the packaged agent exports every INFO-or-above log call of all three frameworks
 * to a real OTLP/HTTP endpoint, one record per call, with the contract's severity, body, scope, thread, exception
 * and resource attributes; and nothing of the agent's own.
 */
class LogsReachOtlpReceiverTest {

  private static final int JOBS = 60;

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void everyInfoOrAboveLogCallArrivesAsOneOtlpRecord(Jdk jdk) {
    Jdks.recordRun("LogsReachOtlpReceiverTest", jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .jar(E2e.sampleAppJar())
        .args("--jobs", String.valueOf(JOBS))
        .start();
    app.assertExitsCleanly(E2e.APP_TIMEOUT);

    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(console.processedJobs()).as("summary line; %s", app.describe()).isEqualTo(JOBS);
    assertThat(console.strayLines()).as("unexpected stdout lines with the agent attached").isEmpty();
    List<SampleAppConsole.Event> expected = console.atOrAbove(Severities.INFO);

    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(30),
        () -> "expected per framework/level " + SampleAppConsole.countByFrameworkAndLevel(expected)
            + ", received " + AgentContract.countBy(receiver.logs(),
                l -> l.attribute("telemetry.agent.source") + " " + l.severityText())
            + "; " + app.describe());
    ReceiverAwait.dump(logs, jvms.dir().resolve("received.txt"));

    AgentContract.assertNothingFromTheAgentItself(logs);
    AgentContract.assertWellFormed(logs, Severities.INFO);
    AgentContract.assertResource(logs, "sample-app");
    AgentContract.assertMatchesConsole(expected, logs);
    AgentContract.assertExceptionAttributes(logs, "dev.telemetryagent.sample.");

    // Spot checks of the contract on known records.
    assertThat(logs).as("no DEBUG/TRACE/FINE/CONFIG at the default capture level INFO")
        .allMatch(l -> l.severityNumber() >= Severities.INFO);
    assertThat(logs).as("bodies are formatted: no template placeholders left")
        .noneMatch(l -> l.body().contains("{}") || l.body().matches(".*\\{\\d}.*"));
    assertThat(logs).filteredOn(l -> "com.example.worker.billing".equals(l.scopeName())
            && l.body().startsWith("charged order ord-10001: "))
        .singleElement().satisfies(l -> {
          assertThat(l.severityText()).isEqualTo("INFO");
          assertThat(l.severityNumber()).isEqualTo(9);
          assertThat(l.attribute("telemetry.agent.source")).isEqualTo("logback");
          assertThat(l.attribute("thread.name")).startsWith("worker-");
        });
    assertThat(logs).filteredOn(l -> "com.example.worker.shipping".equals(l.scopeName())
            && l.body().startsWith("label ") && l.body().contains(" printed for order ord-10001 via "))
        .singleElement().satisfies(l -> {
          assertThat(l.severityText()).isEqualTo("INFO");
          assertThat(l.attribute("telemetry.agent.source")).isEqualTo("jul");
        });
    assertThat(logs).filteredOn(l -> "com.example.worker.inventory".equals(l.scopeName())
            && "FATAL".equals(l.severityText()))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l.severityNumber()).isEqualTo(21));
    Map<String, String> exceptionTypes = Map.of(
        "logback", "java.lang.IllegalStateException",
        "log4j", "java.lang.RuntimeException",
        "jul", "java.lang.IllegalArgumentException");
    exceptionTypes.forEach((source, type) -> assertThat(logs)
        .as("%s records with a throwable", source)
        .filteredOn(l -> source.equals(l.attribute("telemetry.agent.source")) && l.attribute("exception.type") != null)
        .isNotEmpty()
        .allSatisfy(l -> {
          assertThat(l.severityNumber()).isEqualTo(17);
          assertThat(l.attribute("exception.type")).isEqualTo(type);
          assertThat(l.attribute("exception.stacktrace")).contains("Caused by:");
        }));

    long withRawSecret = logs.stream().filter(l -> SampleAppConsole.FAKE_SECRETS.stream().anyMatch(s ->
        String.valueOf(l.body()).contains(s) || l.attributes().values().stream()
            .anyMatch(v -> v != null && v.contains(s)))).count();
    System.out.println("[e2e] " + jdk + ": " + logs.size() + " records received "
        + AgentContract.countBy(logs, l -> l.attribute("telemetry.agent.source"))
        + "; records still holding a fake credential verbatim: " + withRawSecret);
  }
}
