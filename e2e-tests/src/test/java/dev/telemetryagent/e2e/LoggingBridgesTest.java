package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A record that crosses frameworks (Log4j API to Logback through log4j-to-slf4j, JUL to Logback through
 * jul-to-slf4j, SLF4J to Log4j core through log4j-slf4j2-impl, JUL to Log4j core through log4j-jul) is exported
 * exactly once, by the capture point the call entered first.
 */
class LoggingBridgesTest {

  private static final String MAIN = "dev.telemetryagent.e2e.bridges.BridgesApp";

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void everythingRoutedToLogbackIsExportedOnce(Jdk jdk) throws Exception {
    Jdks.recordRun("LoggingBridgesTest", jdk);
    Map<String, String> bySource = run(jdk, "logback", List.of());

    assertThat(bySource).containsExactly(
        Map.entry("failure via log4j-api", "logback"),
        Map.entry("hello via jul", "jul"),
        Map.entry("hello via log4j-api", "logback"),
        Map.entry("hello via slf4j", "logback"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void everythingRoutedToLog4jCoreIsExportedOnce(Jdk jdk) throws Exception {
    Jdks.recordRun("LoggingBridgesTest", jdk);
    Map<String, String> bySource = run(jdk, "log4j", List.of(
        "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager",
        "-Dorg.apache.logging.log4j.level=INFO"));

    assertThat(bySource).containsExactly(
        Map.entry("failure via log4j-api", "log4j"),
        Map.entry("hello via jul", "log4j"),
        Map.entry("hello via log4j-api", "log4j"),
        Map.entry("hello via slf4j", "log4j"));
  }

  /** Runs the fixture on one back-end's class path; returns body → telemetry.agent.source, failing on repeats. */
  private Map<String, String> run(Jdk jdk, String backend, List<String> jvmArgs) throws Exception {
    Path libsDir = Paths.get(System.getProperty("bridge.libs.dir", "target/bridge-libs")).resolve(backend);
    List<Path> libs = FixtureApp.jars(libsDir);
    Path classes = FixtureApp.compile("bridges-app-" + backend,
        Paths.get(System.getProperty("bridge.fixture.src", "src/fixture-bridges/java")), libs);
    List<Path> classpath = new ArrayList<>();
    classpath.add(classes);
    classpath.addAll(libs);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess.Builder b = jvms.builder(backend).jdk(jdk)
          .agent(E2e.requireAgentJar())
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "bridges-app")
          .systemProperty("telemetry.agent.debug", "true")
          .classpath(classpath, MAIN);
      jvmArgs.forEach(b::jvmArg);
      JvmProcess app = b.start().assertExitsCleanly(E2e.APP_TIMEOUT);
      assertThat(app.stdoutLines()).contains("done");
      assertThat(app.stderrLines()).as("the agent's own account at exit (debug)")
          .anySatisfy(l -> assertThat(l).startsWith("[telemetry-agent] at exit:")
              .contains("advice_failures=0 sink_failures=0"));

      ReceiverAwait.awaitLogs(receiver, l -> "failure via log4j-api".equals(l.body()), 1, Duration.ofSeconds(30),
          app::describe);
      List<ReceivedLog> all = receiver.logs();
      ReceiverAwait.dump(all, jvms.dir().resolve("received-" + backend + ".txt"));
      assertThat(all.stream().map(ReceivedLog::body).collect(Collectors.toList()))
          .as("each call exported exactly once").doesNotHaveDuplicates();
      assertThat(all).filteredOn(l -> "failure via log4j-api".equals(l.body())).singleElement()
          .satisfies(l -> assertThat(l.attribute("exception.type")).isEqualTo("java.lang.IllegalStateException"));
      AgentContract.assertNothingFromTheAgentItself(all);
      Map<String, String> bySource = new TreeMap<>();
      for (ReceivedLog l : all) {
        bySource.put(String.valueOf(l.body()), l.attribute("telemetry.agent.source"));
      }
      return bySource;
    }
  }
}
