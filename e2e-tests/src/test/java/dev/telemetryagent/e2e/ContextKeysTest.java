package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MDC (Logback) and ThreadContext (Log4j) entries become attributes only for allow-listed keys: the sample app puts
 * {@code jobId} and {@code tenant} in both; only {@code jobId} is allowed here, and by default nothing is.
 */
class ContextKeysTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void onlyAllowListedContextKeysAreExported(Jdk jdk) throws Exception {
    Jdks.recordRun("ContextKeysTest", jdk);
    List<ReceivedLog> logs = run(jdk, "allow-jobId", "jobId");

    List<ReceivedLog> fromWorkers = logs.stream()
        .filter(l -> String.valueOf(l.attribute("thread.name")).startsWith("worker-"))
        .filter(l -> !"jul".equals(l.attribute("telemetry.agent.source")))
        .collect(java.util.stream.Collectors.toList());
    assertThat(fromWorkers).as("Logback and Log4j records from job threads").isNotEmpty()
        .allSatisfy(l -> assertThat(l.attribute("jobId")).as("jobId of %s", l.body()).isNotBlank());
    assertThat(logs).noneMatch(l -> l.attributes().containsKey("tenant"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void noContextIsExportedByDefault(Jdk jdk) throws Exception {
    Jdks.recordRun("ContextKeysTest", jdk);
    List<ReceivedLog> logs = run(jdk, "default", null);

    assertThat(logs).isNotEmpty()
        .noneMatch(l -> l.attributes().containsKey("jobId") || l.attributes().containsKey("tenant"));
  }

  private List<ReceivedLog> run(Jdk jdk, String name, String contextKeys) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess.Builder b = jvms.builder(name).jdk(jdk)
          .agent(E2e.requireAgentJar())
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "sample-app")
          .jar(E2e.sampleAppJar())
          .args("--jobs", "12");
      if (contextKeys != null) {
        b.systemProperty("telemetry.agent.capture.context-keys", contextKeys);
      }
      JvmProcess app = b.start().assertExitsCleanly(E2e.APP_TIMEOUT);
      List<String> expected = SampleAppConsole.parse(app.stdoutLines()).atOrAbove(Severities.INFO).stream()
          .map(e -> e.toString()).collect(java.util.stream.Collectors.toList());
      List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(30),
          app::describe);
      ReceiverAwait.dump(logs, jvms.dir().resolve("received-" + name + ".txt"));
      return logs;
    }
  }
}
