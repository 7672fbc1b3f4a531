package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MDC (Logback) and ThreadContext (Log4j) entries become attributes only for allow-listed keys: the sample app puts
 * {@code jobId} and {@code tenant} in both; only {@code jobId} is allowed here, and by default nothing is. The same
 * two runs cover the other opt-in capture, message arguments ({@code telemetry.agent.capture.arguments}): scrubbed
 * when asked for, absent by default.
 */
class ContextKeysTest {

  private static final String ARGUMENTS = "telemetry.agent.message.arguments";

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void onlyAllowListedContextKeysAndAskedForArgumentsAreExported(Jdk jdk) throws Exception {
    Jdks.recordRun("ContextKeysTest", jdk);
    List<ReceivedLog> logs = run(jdk, "allow-jobId", "jobId", true);

    List<ReceivedLog> fromWorkers = logs.stream()
        .filter(l -> String.valueOf(l.attribute("thread.name")).startsWith("worker-"))
        .filter(l -> !"jul".equals(l.attribute("telemetry.agent.source")))
        .collect(Collectors.toList());
    assertThat(fromWorkers).as("Logback and Log4j records from job threads").isNotEmpty()
        .allSatisfy(l -> assertThat(l.attribute("jobId")).as("jobId of %s", l.body()).isNotBlank());
    assertThat(logs).noneMatch(l -> l.attributes().containsKey("tenant"));

    // With telemetry.agent.capture.arguments=true: Billing (Logback) logs job 4's receipt with the fake e-mail
    // address as its second argument; the argument arrives scrubbed like the body.
    assertThat(logs).as("the receipt record of job 4")
        .filteredOn(l -> "sending receipt for order ord-10004 to <redacted:email-address>".equals(l.body()))
        .singleElement()
        .satisfies(l -> assertThat(arguments(l)).containsExactly("ord-10004", "<redacted:email-address>"));
    // Inventory (Log4j) fails job 5 with an exception, which Log4j hands over as a trailing parameter: it is
    // exported as exception.*, not as an argument.
    assertThat(logs).as("the failed reservation of job 5")
        .filteredOn(l -> "reservation failed for order ord-10005".equals(l.body()))
        .singleElement()
        .satisfies(l -> assertThat(arguments(l)).containsExactly("ord-10005"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void noContextAndNoArgumentsAreExportedByDefault(Jdk jdk) throws Exception {
    Jdks.recordRun("ContextKeysTest", jdk);
    List<ReceivedLog> logs = run(jdk, "default", null, false);

    assertThat(logs).isNotEmpty()
        .noneMatch(l -> l.attributes().containsKey("jobId") || l.attributes().containsKey("tenant"))
        .as("no message arguments by default").noneMatch(l -> l.attributes().containsKey(ARGUMENTS));
  }

  /** The string-array attribute of the message arguments, element by element; null when the record has none. */
  private static List<String> arguments(ReceivedLog log) {
    return log.raw().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(ARGUMENTS))
        .map(KeyValue::getValue)
        .map(v -> v.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue)
            .collect(Collectors.toList()))
        .findFirst().orElse(null);
  }

  private List<ReceivedLog> run(Jdk jdk, String name, String contextKeys, boolean captureArguments)
      throws Exception {
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
      if (captureArguments) {
        b.systemProperty("telemetry.agent.capture.arguments", "true");
      }
      JvmProcess app = b.start().assertExitsCleanly(E2e.APP_TIMEOUT);
      List<String> expected = SampleAppConsole.parse(app.stdoutLines()).atOrAbove(Severities.INFO).stream()
          .map(e -> e.toString()).collect(Collectors.toList());
      List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(30),
          app::describe);
      ReceiverAwait.dump(logs, jvms.dir().resolve("received-" + name + ".txt"));
      return logs;
    }
  }
}
