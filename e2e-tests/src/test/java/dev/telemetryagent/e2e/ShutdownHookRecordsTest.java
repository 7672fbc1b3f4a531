package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A service stopped with SIGTERM, as an orchestrator stops it: the JVM runs the application's shutdown hooks and
 * ours at the same time. What the application logs while it shuts down (from its hook, and the workers finishing
 * their last jobs) must still be exported, and the agent's account must close with nothing pending.
 */
class ShutdownHookRecordsTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void recordsLoggedByShutdownHooksStillGetOut(Jdk jdk) {
    Jdks.recordRun("ShutdownHookRecordsTest", jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty("telemetry.agent.debug", "true")
        .jar(E2e.sampleAppJar())
        .args("--interval-ms", "20")
        .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("order ord-10020"));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(30))).as("exit code after SIGTERM; %s", app.describe())
        .isEqualTo(143);

    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(console.processedJobs()).as("the app finished its queued jobs; %s", app.describe()).isNotNull();
    List<SampleAppConsole.Event> expected = console.atOrAbove(Severities.INFO);
    assertThat(expected).as("the hook's own line").anySatisfy(e ->
        assertThat(e.message).startsWith("shutdown requested after "));

    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(10),
        app::describe);
    // Every record the application printed arrived. The receiver may hold a few more java.util.logging records:
    // JUL's own shutdown hook closes its handlers, so a JUL call made after that prints nothing, but it was
    // still made (after the level check) and the agent captures it, as it captures every call whether or not a
    // handler prints it.
    Map<String, Long> printed = SampleAppConsole.countByFrameworkAndLevel(expected);
    Map<String, Long> received = AgentContract.countBy(logs,
        l -> l.attribute("telemetry.agent.source") + " " + l.severityText());
    printed.forEach((key, n) -> assertThat(received.getOrDefault(key, 0L))
        .as("%s records received (printed %d); received %s", key, n, received).isGreaterThanOrEqualTo(n));
    received.forEach((key, n) -> {
      if (n > printed.getOrDefault(key, 0L)) {
        assertThat(key).as("more received than printed: only JUL (handlers closed by its own hook); received %s, "
            + "printed %s", received, printed).startsWith("jul ");
      }
    });
    assertThat(logs).as("logged from the application's shutdown hook")
        .anySatisfy(l -> assertThat(l.body()).startsWith("shutdown requested after "));
    assertThat(app.stderrLines()).as("the agent's account at exit: nothing dropped, nothing pending")
        .anySatisfy(l -> assertThat(l).startsWith("[telemetry-agent] at exit:").contains("dropped={}")
            .contains("pending=0"));
  }
}
