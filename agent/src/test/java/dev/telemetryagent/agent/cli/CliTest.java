package dev.telemetryagent.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int run(String... args) {
    return Cli.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(errBytes, true,
            StandardCharsets.UTF_8));
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noArgumentsIsAUsageErrorOnStderr() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("usage:").contains("attach").contains("status").contains("list").contains("scrub");
    assertThat(out()).isEmpty();
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'frobnicate'");
  }

  @Test
  void everyCommandHasHelpOnStdoutWithExitCodes() {
    for (String command : List.of("list", "attach", "status", "capture", "scrub")) {
      outBytes.reset();
      assertThat(run(command, "--help")).as(command).isZero();
      if (command.equals("scrub")) {
        // The scrub engine's own help (ScrubCommand handles --help).
        assertThat(out()).as(command).containsIgnoringCase("usage").contains("scrub").contains("--explain");
        continue;
      }
      assertThat(out()).as(command).contains("usage: java -jar telemetry-agent.jar " + command)
          .contains("exit codes: 0 success");
      outBytes.reset();
      assertThat(run("help", command)).as(command).isZero();
      assertThat(out()).as(command).contains("usage: java -jar telemetry-agent.jar " + command);
    }
    outBytes.reset();
    assertThat(run("attach", "--help")).isZero();
    assertThat(out()).contains("-XX:+EnableDynamicAgentLoading");
  }

  @Test
  void attachNeedsExactlyOneTarget() {
    assertThat(run("attach")).isEqualTo(2);
    assertThat(err()).contains("expected one target").contains("usage: java -jar telemetry-agent.jar attach");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("status", "1", "--jsn")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--jsn'");
  }

  @Test
  void settingsBecomeTheAgentArgumentStringAndAreValidatedFirst() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("otel.service.name", "billing");
    settings.put("telemetry.agent.capture.level", "WARN");
    assertThat(Cli.agentArguments(settings)).isEqualTo("otel.service.name=billing;telemetry.agent.capture.level=WARN");

    assertThat(run("attach", "1", "-Dtelemetry.agent.capture.levle=WARN")).isEqualTo(2);
    assertThat(err()).contains("unknown setting telemetry.agent.capture.levle");
    errBytes.reset();
    assertThat(run("attach", "1", "-Dtelemetry.agent.capture.level=LOUD")).isEqualTo(2);
    assertThat(err()).contains("invalid value for telemetry.agent.capture.level: expected");
    errBytes.reset();
    assertThat(run("attach", "1", "-Dotel.resource.attributes=a=1;b=2")).isEqualTo(2);
    assertThat(err()).contains("may not contain ';'");
  }

  @Test
  void attachToAPidThatDoesNotExist() {
    long pid = deadPid();
    assertThat(run("attach", Long.toString(pid))).isEqualTo(1);
    assertThat(err()).contains("no process with pid " + pid).contains("list");
    errBytes.reset();
    assertThat(run("status", Long.toString(pid))).isEqualTo(1);
    assertThat(err()).contains("no process with pid " + pid);
  }

  @Test
  void attachToAProcessThatIsNotAJvmSendsItNothing() throws Exception {
    child = new ProcessBuilder("sleep", "60").start();
    Thread.sleep(200);
    assertThat(run("attach", Long.toString(child.pid()))).isEqualTo(1);
    assertThat(err()).contains("pid " + child.pid()).contains("is not a Java virtual machine");
    assertThat(child.isAlive()).as("the process was not signalled").isTrue();
  }

  @Test
  void textThatMatchesNoJvmSaysSo() {
    assertThat(run("attach", "NoSuchMainClassAnywhere")).isEqualTo(1);
    assertThat(err()).contains("no JVM of user").contains("NoSuchMainClassAnywhere");
  }

  @Test
  void statusOfAJvmWithoutTheAgentExitsThree() throws Exception {
    child = startIdleJvm();
    int code = run("status", Long.toString(child.pid()), "--timeout", "20");
    assertThat(code).as("stderr: %s", err()).isEqualTo(3);
    assertThat(err()).contains("telemetry-agent is not running in pid " + child.pid())
        .contains("attach " + child.pid());
  }

  @Test
  void attachToAJvmThatRefusesDynamicAgentsSaysHowToFixIt() throws Exception {
    child = startIdleJvm("-XX:-EnableDynamicAgentLoading");
    assertThat(run("attach", Long.toString(child.pid()))).isEqualTo(1);
    assertThat(err()).contains("-XX:-EnableDynamicAgentLoading").contains("-javaagent");
  }

  @Test
  void listShowsAnIdleJvm() throws Exception {
    child = startIdleJvm();
    Thread.sleep(1000); // its perf data file appears shortly after start
    assertThat(run("list", "--json")).as("stderr: %s", err()).isZero();
    assertThat(out()).contains("\"pid\": " + child.pid()).contains(IdleMain.class.getName());
  }

  @Test
  void markerParsing() {
    Cli.Marker m = Cli.Marker.parse("1.2.3;attach");
    assertThat(m.version).isEqualTo("1.2.3");
    assertThat(m.how).isEqualTo("attach");
    assertThat(m.disabled).isFalse();
    assertThat(Cli.Marker.parse("1.2.3;start-up;disabled").disabled).isTrue();
  }

  /** {@code scrub} runs the scrub-rules engine's command on standard input. */
  @Test
  void scrubRunsTheEngineOnStandardInput() {
    String input = "login ok for bob password=hunter2-very-secret\n";
    int code = Cli.run(new String[] {"scrub"}, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(errBytes, true,
            StandardCharsets.UTF_8));
    assertThat(code).as("stderr: %s", err()).isZero();
    assertThat(out()).contains("login ok for bob").doesNotContain("hunter2-very-secret");
  }

  private int scrub(Properties props, Map<String, String> env, String input, String... args) {
    return Cli.scrub(List.of(args), props, env, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(errBytes, true,
            StandardCharsets.UTF_8));
  }

  /** {@code scrub} honours the agent's telemetry.agent.scrub.* settings, from -D and from the environment. */
  @Test
  void scrubUsesTheRulesTheAgentWouldUse(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.json");
    Files.writeString(rules, "{\"formatVersion\": 1, \"rules\": [{\"id\": \"order-id\", \"description\": "
        + "\"order ids\", \"pattern\": \"ord-[0-9]+\"}], \"disable\": [\"email-address\"]}");
    Properties props = new Properties();
    props.setProperty("telemetry.agent.scrub.rules.file", rules.toString());
    int code = scrub(props, Map.of(), "order ord-10001 for alice@example.com\n");
    assertThat(code).as("stderr: %s", err()).isZero();
    assertThat(out()).isEqualTo("order <redacted:order-id> for alice@example.com\n");

    outBytes.reset();
    code = scrub(new Properties(), Map.of("TELEMETRY_AGENT_SCRUB_RULES_FILE", rules.toString()),
        "order ord-10002\n");
    assertThat(code).as("stderr: %s", err()).isZero();
    assertThat(out()).isEqualTo("order <redacted:order-id>\n");
  }

  @Test
  void scrubReportsABadConfiguredRuleFileLikeTheAgentAndUsesTheBuiltInRules(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("bad.json");
    Files.writeString(rules, "{\"formatVersion\": 1, \"rules\": [{\"id\": \"x\"}]}");
    Properties props = new Properties();
    props.setProperty("telemetry.agent.scrub.rules.file", rules.toString());
    int code = scrub(props, Map.of(), "key AKIAIOSFODNN7EXAMPLE\n");
    assertThat(code).isZero();
    assertThat(out()).isEqualTo("key <redacted:aws-access-key-id>\n");
    assertThat(err().trim()).startsWith("[telemetry-agent] scrub rules rejected").contains(rules.toString())
        .doesNotContain("\n");
  }

  @Test
  void ownJarRefusesAClassesDirectory() {
    assertThatThrownBy(Cli::ownJar).isInstanceOf(CliException.class).hasMessageContaining("telemetry-agent.jar");
  }

  /** A JVM running {@link IdleMain} from the test class path, until killed. */
  static Process startIdleJvm(String... jvmArgs) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx32m");
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(Paths.get(IdleMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    cmd.add(IdleMain.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // Wait for its first line: the JVM is up.
    int c = p.getInputStream().read();
    assertThat(c).as("idle JVM started").isNotNegative();
    return p;
  }

  private static long deadPid() {
    long pid = 999_999;
    while (ProcessHandle.of(pid).isPresent()) {
      pid--;
    }
    return pid;
  }
}
