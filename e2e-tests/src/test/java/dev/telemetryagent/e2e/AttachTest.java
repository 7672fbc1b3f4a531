package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample app started without the agent; {@code attach} by pid; its logs and errors reach a real OTLP receiver
 * (from logger classes loaded before the attach too); a second {@code attach} is a no-op; {@code status} matches
 * what the receiver got; the kill switch stops and resumes export.
 */
class AttachTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  private java.util.Set<String> metricNames() {
    return receiver.metricsRequests().stream()
        .flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .map(m -> m.getName())
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void attachStatusAndKillSwitch(Jdk jdk) {
    Jdks.recordRun("AttachTest", jdk);
    AgentCli cli = new AgentCli(jvms, jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .jar(E2e.sampleAppJar())
        .args("--interval-ms", "40")
        .start();
    // The three frameworks' logger classes are loaded and in use before the agent arrives.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      String out = app.stdout();
      return out.contains("pid=") && out.contains("\nlogback ") && out.contains("\nlog4j ")
          && out.contains("\njul ");
    });
    String pid = Long.toString(app.pid());

    long attachStart = System.nanoTime();
    AgentCli.Result attach = cli.run("attach", pid,
        "-D" + E2e.ENDPOINT + "=" + receiver.endpoint(),
        "-D" + E2e.SERVICE_NAME + "=sample-app",
        "-Dtelemetry.agent.export.interval=200ms",
        "-D" + E2e.DEDUPE_ENABLED + "=false",
        "-Dtelemetry.agent.metrics.enabled=true",
        "-Dtelemetry.agent.metrics.interval=1s");
    assertThat(attach.exitCode).as("%s%n%s", attach, app.describe()).isZero();
    assertThat(attach.stdout).contains("attached to pid " + pid);

    // Within 30 s of the attach: records from all three frameworks, and errors with their exceptions.
    await().atMost(Duration.ofSeconds(30).minusNanos(System.nanoTime() - attachStart))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          List<ReceivedLog> logs = receiver.logs();
          assertThat(logs.stream().map(l -> l.attribute("telemetry.agent.source")).collect(Collectors.toSet()))
              .as("sources received; %s", app.describe())
              .contains("jul", "log4j", "logback");
          assertThat(logs).as("errors with exceptions")
              .anyMatch(l -> l.severityNumber() >= 17 && l.attribute("exception.type") != null);
        });
    // Self-metrics arrive as OTLP metrics (decoded by the receiver with the official protobuf JSON mapping).
    await().atMost(Duration.ofSeconds(15)).until(() -> metricNames().contains("telemetry.agent.events.exported"));
    assertThat(metricNames()).contains("telemetry.agent.events.captured", "telemetry.agent.events.dropped",
        "telemetry.agent.events.pending", "telemetry.agent.queue.size", "telemetry.agent.capture.enabled");
    AgentContract.assertNothingFromTheAgentItself(receiver.logs());
    AgentContract.assertResource(receiver.logs(), "sample-app");

    // A second attach loads nothing and says so.
    AgentCli.Result again = cli.run("attach", pid, "-D" + E2e.ENDPOINT + "=" + receiver.endpoint());
    assertThat(again.exitCode).as("%s", again).isZero();
    assertThat(again.stdout).contains("already running in pid " + pid).contains("nothing loaded")
        .contains("installed by attach");

    // Text matching the main class finds the same JVM.
    AgentCli.Result byName = cli.run("attach", "dev.telemetryagent.sample.WorkerService");
    assertThat(byName.exitCode).as("%s", byName).isZero();
    assertThat(byName.stdout).contains("already running in pid " + pid);

    AgentCli.Result listed = cli.run("list", "--json");
    assertThat(listed.exitCode).as("%s", listed).isZero();
    assertThat(listed.stdout).contains("\"pid\": " + pid);

    // Kill switch off: once what was queued is exported, nothing more arrives although the app keeps logging.
    AgentCli.Result off = cli.run("capture", pid, "off");
    assertThat(off.exitCode).as("%s", off).isZero();
    AgentCli.Result[] settled = new AgentCli.Result[1];
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      AgentCli.Result s = cli.run("status", pid, "--json");
      assertThat(s.exitCode).as("%s", s).isZero();
      assertThat(s.number("pending")).as("%s", s).isZero();
      assertThat(s.number("exported")).as("exported vs received; %s", s).isEqualTo(receiver.logs().size());
      settled[0] = s;
    });
    AgentCli.Result status = settled[0];
    assertThat(status.string("state")).isEqualTo("capture-off");
    assertThat(status.string("installed_by")).isEqualTo("attach");
    assertThat(status.number("captured_total")).isEqualTo(status.number("submitted"));
    assertThat(status.number("submitted"))
        .isEqualTo(status.number("exported") + status.number("folded") + status.number("dropped_total"));
    assertThat(status.number("dropped_total")).isZero();
    assertThat(status.stdout).contains("\"top_fingerprints\": {}")
        .contains("\"folded\": 0").contains("\"last_error\": null");
    // Scrubbing is on by default: the sample app's fake credentials were redacted, and nothing failed.
    assertThat(status.number("scrub_errors")).isZero();
    if (receiver.logs().stream().anyMatch(l -> String.valueOf(l.body()).contains("<redacted:"))) {
      assertThat(status.stdout).doesNotContain("\"redactions_by_rule\": {}");
    }
    long frozen = receiver.logs().size();
    int consoleBefore = app.stdoutLines().size();
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
        .until(() -> app.stdoutLines().size() > consoleBefore + 20);
    assertThat(receiver.logs()).as("nothing exported while capture is off").hasSize((int) frozen);

    // On again: export resumes.
    AgentCli.Result on = cli.run("capture", pid, "on");
    assertThat(on.exitCode).as("%s", on).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.logs().size() > frozen);

    // Never twice: no record arrived more than once (the second attach did not add a second capture).
    Map<String, Long> keys = receiver.logs().stream().collect(Collectors.groupingBy(
        l -> l.timeUnixNano() + "|" + l.attribute("thread.name") + "|" + l.scopeName() + "|" + l.body(),
        Collectors.counting()));
    assertThat(keys.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .collect(Collectors.toList())).as("records received more than once").isEmpty();

    AgentCli.Result text = cli.run("status", pid);
    assertThat(text.exitCode).as("%s", text).isZero();
    assertThat(text.stdout).contains("running (installed by attach").contains("otel.service.name = sample-app")
        .contains("destination:         otlp " + receiver.endpoint());

    app.close();
    assertThat(E2e.agentErrorLines(app.stderrLines())).as("agent errors on the app's stderr").isEmpty();
    if (jdk.feature() >= 21) {
      assertThat(app.stderr()).as("JDK 21+ warns about dynamically loaded agents (documented)")
          .contains("A Java agent has been loaded dynamically");
    }
    System.out.println("[e2e] " + jdk + ": attach took " + attach.stdout.trim().replaceAll("(?s).* in (\\d+) ms.*",
        "$1") + " ms (CLI side); received " + receiver.logs().size() + " records by source "
        + AgentContract.countBy(receiver.logs(), l -> l.attribute("telemetry.agent.source")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void anAgentFromStartUpIsReportedAndNotLoadedAgain(Jdk jdk) {
    Jdks.recordRun("AttachTest.startUp", jdk);
    AgentCli cli = new AgentCli(jvms, jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty("otel.exporter.otlp.headers", "x-api-key=do-not-show")
        .jar(E2e.sampleAppJar())
        .args("--interval-ms", "50")
        .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> app.stdout().contains("pid="));
    String pid = Long.toString(app.pid());

    AgentCli.Result again = cli.run("attach", pid);
    assertThat(again.exitCode).as("%s", again).isZero();
    assertThat(again.stdout).contains("already running in pid " + pid).contains("at start-up (-javaagent)")
        .contains("nothing loaded");

    // The MXBean is registered a moment after start-up.
    AgentCli.Result[] last = new AgentCli.Result[1];
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      last[0] = cli.run("status", pid, "--json");
      assertThat(last[0].exitCode).as("%s", last[0]).isZero();
      assertThat(last[0].number("exported")).isPositive();
    });
    assertThat(last[0].string("installed_by")).isEqualTo("start-up");
    assertThat(last[0].string("otel.exporter.otlp.headers")).isEqualTo("****");
    assertThat(last[0].stdout).doesNotContain("do-not-show");
    app.close();
    assertThat(app.stderr()).doesNotContain("loaded dynamically");
  }
}
