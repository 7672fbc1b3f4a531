package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * (c) The agent is silent by default: the app's stdout and stderr with the agent equal those without it, once
 * the pid line is dropped, worker thread names normalised and lines sorted (the console has no timestamps).
 */
class OutputUnchangedTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void stdoutAndStderrAreTheSameWithAndWithoutTheAgent(Jdk jdk) throws IOException {
    Jdks.recordRun("OutputUnchangedTest", jdk);
    String[] args = {"--jobs", "40"};

    JvmProcess without = jvms.builder("without-agent").jdk(jdk).jar(E2e.sampleAppJar()).args(args).start();
    without.assertExitsCleanly(E2e.APP_TIMEOUT);
    assertThat(SampleAppConsole.parse(without.stdoutLines()).processedJobs()).isEqualTo(40);

    Path agent = E2e.requireAgentJar();
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess with = jvms.builder("with-agent")
          .jdk(jdk)
          .agent(agent)
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "sample-app")
          .jar(E2e.sampleAppJar())
          .args(args)
          .start();
      with.assertExitsCleanly(E2e.APP_TIMEOUT);

      List<String> expectedOut = Outputs.normalizedSorted(without.stdoutLines());
      List<String> actualOut = Outputs.normalizedSorted(with.stdoutLines());
      assertThat(actualOut)
          .as("stdout with the agent vs without; only with: %s; only without: %s; output in %s",
              Outputs.missingFrom(actualOut, expectedOut, 20), Outputs.missingFrom(expectedOut, actualOut, 20),
              jvms.dir())
          .isEqualTo(expectedOut);
      List<String> expectedErr = Outputs.normalizedSorted(without.stderrLines());
      List<String> actualErr = Outputs.normalizedSorted(with.stderrLines());
      assertThat(actualErr)
          .as("stderr with the agent vs without; only with: %s; only without: %s",
              Outputs.missingFrom(actualErr, expectedErr, 20), Outputs.missingFrom(expectedErr, actualErr, 20))
          .isEqualTo(expectedErr);

      // And the agent was really at work while staying silent.
      ReceiverAwait.awaitLogs(receiver, l -> true, 1, Duration.ofSeconds(30), with::describe);
    }
  }
}
