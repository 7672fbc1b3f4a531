package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code attach} failures end with exit code 1 and a message a person can act on, and harm nothing. */
class AttachFailureMessagesTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aProcessThatIsNotAJvm(Jdk jdk) throws IOException, InterruptedException {
    Jdks.recordRun("AttachFailureMessagesTest.notAJvm", jdk);
    Process sleep = new ProcessBuilder("sleep", "120").start();
    try {
      AgentCli.Result r = new AgentCli(jvms, jdk).run("attach", Long.toString(sleep.pid()));
      assertThat(r.exitCode).as("%s", r).isEqualTo(1);
      assertThat(r.stderr).contains("pid " + sleep.pid()).contains("is not a Java virtual machine")
          .contains("nothing was attached");
      assertThat(r.stdout).isEmpty();
      assertThat(sleep.isAlive()).as("the process was sent nothing (SIGQUIT would have killed it)").isTrue();
    } finally {
      sleep.destroyForcibly();
      sleep.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aJvmStartedWithDynamicAgentLoadingDisabled(Jdk jdk) {
    Jdks.recordRun("AttachFailureMessagesTest.dynamicLoadingDisabled", jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .jvmArg("-XX:-EnableDynamicAgentLoading")
        .jar(E2e.sampleAppJar())
        .args("--interval-ms", "100")
        .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("pid="));
    AgentCli.Result r = new AgentCli(jvms, jdk).run("attach", Long.toString(app.pid()));
    assertThat(r.exitCode).as("%s", r).isEqualTo(1);
    assertThat(r.stderr).contains("pid " + app.pid()).contains("-XX:-EnableDynamicAgentLoading")
        .contains("Restart it with -javaagent");
    assertThat(app.isAlive()).isTrue();
    assertThat(app.stderr()).doesNotContain("[telemetry-agent]");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aPidThatDoesNotExist(Jdk jdk) {
    Jdks.recordRun("AttachFailureMessagesTest.noSuchPid", jdk);
    long pid = 4_000_000; // above Linux's pid_max limit (2^22)
    while (ProcessHandle.of(pid).isPresent()) {
      pid++;
    }
    AgentCli.Result r = new AgentCli(jvms, jdk).run("attach", Long.toString(pid));
    assertThat(r.exitCode).as("%s", r).isEqualTo(1);
    assertThat(r.stderr).contains("no process with pid " + pid).contains("list");

    AgentCli.Result status = new AgentCli(jvms, jdk).run("status", Long.toString(pid), "--json");
    assertThat(status.exitCode).as("%s", status).isEqualTo(1);
    assertThat(status.stderr).contains("no process with pid " + pid);
    assertThat(status.stdout).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void statusOfAJvmWithoutTheAgent(Jdk jdk) {
    Jdks.recordRun("AttachFailureMessagesTest.statusWithoutAgent", jdk);
    JvmProcess app = jvms.builder("sample-app").jdk(jdk).jar(E2e.sampleAppJar()).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("pid="));
    AgentCli.Result r = new AgentCli(jvms, jdk).run("status", Long.toString(app.pid()));
    assertThat(r.exitCode).as("%s", r).isEqualTo(3);
    assertThat(r.stderr).contains("telemetry-agent is not running in pid " + app.pid())
        .contains("attach " + app.pid());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aJvmThatDoesNotAnswer(Jdk jdk) throws Exception {
    Jdks.recordRun("AttachFailureMessagesTest.notAnswering", jdk);
    JvmProcess app = jvms.builder("sample-app").jdk(jdk).jar(E2e.sampleAppJar()).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("pid="));
    String pid = Long.toString(app.pid());
    assertThat(new ProcessBuilder("kill", "-STOP", pid).start().waitFor()).isZero();
    try {
      long start = System.nanoTime();
      AgentCli.Result r = new AgentCli(jvms, jdk).run("attach", pid, "--timeout", "5");
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(r.exitCode).as("%s", r).isEqualTo(1);
      assertThat(r.stderr).contains("pid " + pid).contains("did not answer").contains("stopped");
      assertThat(seconds).as("bounded by --timeout (plus the CLI's own start)").isLessThan(30);
    } finally {
      new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aRuntimeWithoutTheAttachModule(Jdk jdk) throws Exception {
    Jdks.recordRun("AttachFailureMessagesTest.noAttachModule", jdk);
    java.nio.file.Path jre = jvms.dir().resolve("jre");
    Process jlink = new ProcessBuilder(jdk.home().resolve("bin").resolve("jlink").toString(),
        "--add-modules", "java.base,java.instrument,java.management,java.logging", "--output", jre.toString())
        .redirectErrorStream(true).start();
    String jlinkOutput = new String(jlink.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assumptions.assumeTrue(jlink.waitFor() == 0,
        () -> "jlink cannot build a runtime from " + jdk + ": " + jlinkOutput);
    AgentCli.Result r = new AgentCli(jvms, new Jdk(jre)).run("attach", "1");
    assertThat(r.exitCode).as("%s", r).isEqualTo(1);
    assertThat(r.stderr).contains("has no jdk.attach module").contains(jre.toString()).contains("full JDK");
    AgentCli.Result list = new AgentCli(jvms, new Jdk(jre)).run("list");
    assertThat(list.exitCode).as("%s", list).isEqualTo(1);
    assertThat(list.stderr).contains("has no jdk.attach module");
  }
}
