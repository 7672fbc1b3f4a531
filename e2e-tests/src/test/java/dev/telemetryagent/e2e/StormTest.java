package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An error storm with the agent's default processor (dedupe on, a 2 s window): hundreds of thousands of log calls
 * arrive as a handful of records, first occurrences plus one rollup per fingerprint and window, and the counts add up
 * exactly to what the application logged. {@code status} shows the folding while the storm runs.
 */
class StormTest {

  private static final int STORM_SECONDS = 8;

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void aStormBecomesAHandfulOfRecordsWhoseCountsAddUp(Jdk jdk) {
    Jdks.recordRun("StormTest", jdk);
    JvmProcess app = jvms.builder("sample-app-storm")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty("telemetry.agent.dedupe.window", "2s")
        .systemProperty("telemetry.agent.debug", "true")
        .jar(E2e.sampleAppJar())
        .args("--storm", String.valueOf(STORM_SECONDS))
        .start();

    // While it storms: status shows folded repeats and the storm's fingerprint on top.
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("pid="));
    AgentCli cli = new AgentCli(jvms, jdk);
    AgentCli.Result[] live = new AgentCli.Result[1];
    await().atMost(Duration.ofSeconds(STORM_SECONDS)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      AgentCli.Result s = cli.run("status", String.valueOf(app.pid()), "--json");
      assertThat(s.exitCode).as("%s", s).isZero();
      assertThat(s.number("folded")).as("%s", s).isGreaterThan(1000);
      live[0] = s;
    });
    assertThat(live[0].stdout).as("top fingerprints").contains("java.lang.IllegalStateException");

    app.assertExitsCleanly(Duration.ofSeconds(60));
    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    Map<String, String> storm = console.storm();
    assertThat(storm).as("the storm's summary line; %s", app.describe()).isNotNull();
    long total = Long.parseLong(storm.get("total"));
    long repeatedLogback = Long.parseLong(storm.get("repeated.logback"));
    assertThat(total).as("a storm worth the name").isGreaterThan(50_000);

    ExitSummary summary = ExitSummary.of(app);
    summary.assertConsistent();
    assertThat(summary.submitted).as("every storm call was captured; %s", summary.line).isEqualTo(total);
    assertThat(summary.dropped).as(summary.line).isEmpty();
    assertThat(summary.pending).as(summary.line).isZero();
    assertThat(summary.folded).as(summary.line).isGreaterThan(total / 2);

    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, 1, Duration.ofSeconds(10), app::describe);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.logs().stream()
        .filter(l -> l.attribute("telemetry.agent.rollup.count") == null).count() >= summary.exported);
    logs = receiver.logs();
    ReceiverAwait.dump(logs, jvms.dir().resolve("received.txt"));
    assertThat(logs).as("nothing but the storm").allSatisfy(l ->
        assertThat(l.scopeName()).startsWith("com.example.storm."));
    List<ReceivedLog> rollups = logs.stream().filter(l -> l.attribute("telemetry.agent.rollup.count") != null)
        .collect(Collectors.toList());
    List<ReceivedLog> firsts = logs.stream().filter(l -> l.attribute("telemetry.agent.rollup.count") == null)
        .collect(Collectors.toList());
    long foldedReceived = rollups.stream().mapToLong(l -> Long.parseLong(l.attribute("telemetry.agent.rollup.count")))
        .sum();

    assertThat(logs.size()).as("a handful of records for %s log calls", total).isLessThan(400);
    assertThat(firsts).as("first occurrences = exported").hasSize((int) summary.exported);
    assertThat(foldedReceived).as("rollup counts = folded").isEqualTo(summary.folded);
    assertThat(firsts.size() + foldedReceived).as("records + folded = what the app logged").isEqualTo(total);

    // The repeated failure through SLF4J/Logback: one fingerprint, one record and one rollup per window.
    List<ReceivedLog> checkout = logs.stream().filter(l -> "com.example.storm.checkout".equals(l.scopeName()))
        .collect(Collectors.toList());
    long checkoutCount = checkout.stream().mapToLong(l -> l.attribute("telemetry.agent.rollup.count") == null ? 1
        : Long.parseLong(l.attribute("telemetry.agent.rollup.count"))).sum();
    assertThat(checkoutCount).as("the Logback share adds up").isEqualTo(repeatedLogback);
    List<ReceivedLog> checkoutRollups = checkout.stream()
        .filter(l -> l.attribute("telemetry.agent.rollup.count") != null).collect(Collectors.toList());
    assertThat(checkoutRollups.stream().map(l -> l.attribute("telemetry.agent.fingerprint")).distinct())
        .as("one fingerprint").hasSize(1);
    Set<Long> seqs = checkoutRollups.stream().map(l -> Long.parseLong(l.attribute("telemetry.agent.rollup.window_seq")))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(seqs).as("a continuing storm reports every window").hasSizeGreaterThanOrEqualTo(3)
        .hasSize(checkoutRollups.size()).first().isEqualTo(1L);
    assertThat(checkoutRollups.stream().map(l -> l.attribute("telemetry.agent.rollup.reason")))
        .contains("window_end").allMatch(r -> r.equals("window_end") || r.equals("shutdown"));
    assertThat(rollups).allSatisfy(r -> {
      assertThat(r.attribute("telemetry.agent.fingerprint")).matches("[0-9a-f]{16}");
      assertThat(Instant.parse(r.attribute("telemetry.agent.rollup.first_seen")))
          .isBeforeOrEqualTo(Instant.parse(r.attribute("telemetry.agent.rollup.last_seen")));
      assertThat(r.severityText()).isIn("ERROR", "SEVERE");
      assertThat(r.attribute("exception.type")).isNotBlank();
    });
    assertThat(checkoutRollups).allSatisfy(r -> {
      assertThat(r.body()).startsWith("payment declined for order ord-");
      assertThat(r.attribute("exception.type")).isEqualTo("java.lang.IllegalStateException");
    });
    // The distinct errors are never folded into each other.
    assertThat(firsts.stream().filter(l -> "com.example.storm.misc".equals(l.scopeName()))
        .map(l -> l.attribute("exception.type")).distinct().count()).isEqualTo(20);
    System.out.println("[e2e] " + jdk + ": storm of " + total + " calls -> " + firsts.size() + " records + "
        + rollups.size() + " rollups; " + summary.line);
  }
}
