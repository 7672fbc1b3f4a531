package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged agent against a backend that misbehaves: answers 503 for a while, is slow, is down and comes back,
 * or is down for the whole run. In every case the at-exit accounting ({@code telemetry.agent.debug=true}) adds up
 * ({@code submitted == exported + folded + dropped + pending}, nothing pending at exit), every drop has a named
 * reason, the receiver holds what the agent counted as exported, the application exits within the shutdown timeout
 * (plus slack) of finishing its work, the agent's stderr stays short (the SDK's own failure logging is throttled)
 * and none of the SDK's logging comes back as a captured record.
 *
 * <p>No assertion depends on how fast the machine is beyond generous bounds: phases are driven by what the test
 * observes (requests refused, lines printed), not by sleeps.
 */
class BackendFaultsTest {

  /** JUL calls that may still be made (one per worker thread's last job) after JUL closed its handlers. */
  private static final int JUL_AFTER_RESET = 6;

  private static final String DEBUG = "telemetry.agent.debug";
  private static final String OTLP_TIMEOUT = "otel.exporter.otlp.timeout";
  private static final String SHUTDOWN_TIMEOUT = "telemetry.agent.shutdown.timeout";
  private static final String EXPORT_INTERVAL = "telemetry.agent.export.interval";
  private static final String QUEUE_SIZE = "telemetry.agent.queue.size";
  private static final String BATCH_SIZE = "telemetry.agent.export.batch-size";
  private static final String ROLLUP_COUNT = "telemetry.agent.rollup.count";

  /** How long the tests let shutdown take (telemetry.agent.shutdown.timeout). */
  private static final Duration SHUTDOWN = Duration.ofSeconds(2);
  /** Allowance on top of SHUTDOWN for the JVM's own exit and for polling: generous, for a loaded machine. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(4);
  /** At most this many [telemetry-agent] lines on stderr in a run (about 10 are start-up lines with debug). */
  private static final int MAX_AGENT_STDERR_LINES = 20;
  /** SIGTERM's exit status. */
  private static final int TERMINATED = 143;

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * The receiver answers 503 to the first requests, more than the SDK's retries (5 attempts per batch) can absorb,
   * then recovers. The records the agent gave up on are exactly the ones counted as {@code export_failed}: the
   * receiver saw them in refused requests and never accepted them.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void recoversAfter503s(Jdk jdk) {
    Jdks.recordRun("BackendFaultsTest.recoversAfter503s", jdk);
    int refusals = 6;
    receiver.failNext(refusals, 503);
    JvmProcess app = app(jdk, "sample-app").args("--threads", "2", "--interval-ms", "50").start();

    awaitWhileRunning(app, "the first " + refusals + " requests answered 503",
        () -> receiver.failedRequestCount() >= refusals, Duration.ofSeconds(60));
    int recoveredAt = app.stdoutLines().size();
    awaitWhileRunning(app, "records accepted and 150 more lines printed after the recovery",
        () -> !receiver.logs().isEmpty() && app.stdoutLines().size() >= recoveredAt + 150, Duration.ofSeconds(60));
    int stoppedAt = app.stdoutLines().size();
    app.terminate();
    assertThat(app.waitFor(E2e.APP_TIMEOUT)).as("exit status after SIGTERM; %s", app.describe())
        .isEqualTo(TERMINATED);

    ExitSummary summary = ExitSummary.of(app).assertConsistent();
    List<ReceivedLog> received = settledLogs();
    ReceiverAwait.dump(received, jvms.dir().resolve("received.txt"));
    ReceiverAwait.dump(receiver.failedLogs(), jvms.dir().resolve("refused.txt"));
    describe(jdk, "503", summary, received);

    assertPendingAfterSigterm(summary);
    assertThat(summary.dropped("export_failed")).as("batches given up after 503s: %s", summary).isPositive();
    assertThat(summary.dropped("queue_full")).as("queue_full at this rate: %s", summary).isZero();
    assertReceivedIsExported(summary, received);
    assertThat(received).as("no record delivered twice").doesNotHaveDuplicates();

    // What was lost on the wire: records the receiver refused and never accepted later. Exactly export_failed.
    Set<ReceivedLog> lost = new HashSet<>(receiver.failedLogs());
    lost.removeAll(received);
    assertThat((long) lost.size()).as("records refused and never accepted == export_failed; %s", summary)
        .isEqualTo(summary.dropped("export_failed"));

    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    long logged = console.atOrAbove(Severities.INFO).size();
    long loggedBeforeStop = SampleAppConsole.parse(app.stdoutLines().subList(0, stoppedAt))
        .atOrAbove(Severities.INFO).size();
    // At most all that was printed, plus the few JUL calls the workers make after JUL's own shutdown hook closed
    // its handlers: those print nothing but are still captured (ShutdownHookRecordsTest).
    assertThat(summary.submitted).as("captured: every INFO+ record printed before SIGTERM, at most all; %s", summary)
        .isBetween(loggedBeforeStop, logged + JUL_AFTER_RESET);
    assertLoggedAfterArrived(app, recoveredAt + 30, stoppedAt, received, "the recovery");
    assertQuietAndNotRecaptured(app, received);
  }

  /**
   * The receiver takes 2 s per request (within the 5 s OTLP timeout: exports succeed, slowly) and the queue is
   * small: the application is never held up (it finishes its jobs and exits within the shutdown timeout of its last
   * line), events that do not fit are dropped as {@code queue_full}, and what is left at exit as {@code shutdown}.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void slowBackendNeitherHoldsUpTheAppNorItsExit(Jdk jdk) {
    Jdks.recordRun("BackendFaultsTest.slowBackendNeitherHoldsUpTheAppNorItsExit", jdk);
    receiver.setDelay(Duration.ofSeconds(2));
    int jobs = 200;
    JvmProcess app = app(jdk, "sample-app")
        .systemProperty(QUEUE_SIZE, 256)
        .systemProperty(BATCH_SIZE, 64)
        .systemProperty(OTLP_TIMEOUT, "5s")
        .args("--jobs", String.valueOf(jobs))
        .start();

    Duration exitAfterDone = exitDelayAfter(app, "processed " + jobs + " jobs");
    assertThat(app.waitFor(E2e.APP_TIMEOUT)).as("exit code; %s", app.describe()).isZero();
    assertThat(exitAfterDone).as("exit after the last line, shutdown timeout %s; %s", SHUTDOWN, app.describe())
        .isLessThan(SHUTDOWN.plus(EXIT_SLACK));

    ExitSummary summary = ExitSummary.of(app).assertConsistent();
    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(console.processedJobs()).isEqualTo(jobs);
    assertThat(summary.submitted).as("every INFO+ record printed was captured; %s", summary)
        .isEqualTo(console.atOrAbove(Severities.INFO).size());
    assertThat(summary.pending).as("pending at exit: %s", summary).isZero();
    assertThat(summary.dropped("queue_full")).as("a 256-event queue behind a 2 s backend: %s", summary).isPositive();
    assertThat(summary.dropped("shutdown")).as("left at exit after 2 s: %s", summary).isPositive();

    // A request the agent gave up on at exit may still be stored by the (sleeping) receiver afterwards: the receiver
    // holds at least what was exported, and at most that plus what was given up on.
    List<ReceivedLog> received = settledLogs();
    describe(jdk, "slow", summary, received);
    long firsts = received.stream().filter(l -> l.attribute(ROLLUP_COUNT) == null).count();
    assertThat(firsts + rollups(received)).as("received vs %s", summary).isGreaterThanOrEqualTo(summary.exported);
    assertThat(firsts).as("received vs %s", summary)
        .isLessThanOrEqualTo(summary.exported + summary.dropped("shutdown") + summary.dropped("export_failed"));
    assertQuietAndNotRecaptured(app, received);
  }

  /**
   * The receiver is down when the application starts and comes back (same port) while it runs: export resumes,
   * every record logged after the restart arrives, and what was exported while it was down is counted as
   * {@code export_failed}.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void resumesWhenTheBackendComesBack(Jdk jdk) throws IOException {
    Jdks.recordRun("BackendFaultsTest.resumesWhenTheBackendComesBack", jdk);
    receiver.stop();
    JvmProcess app = app(jdk, "sample-app").args("--threads", "2", "--interval-ms", "50").start();

    // The SDK's failure line (throttled, once) tells that at least one export has failed for good.
    awaitWhileRunning(app, "an export failure reported while the backend is down",
        () -> app.stderr().contains("Failed to export logs"), Duration.ofSeconds(60));
    receiver.restart();
    int restartedAt = app.stdoutLines().size();
    awaitWhileRunning(app, "records accepted and 150 more lines printed after the restart",
        () -> !receiver.logs().isEmpty() && app.stdoutLines().size() >= restartedAt + 150, Duration.ofSeconds(60));
    int stoppedAt = app.stdoutLines().size();
    app.terminate();
    assertThat(app.waitFor(E2e.APP_TIMEOUT)).as("exit status after SIGTERM; %s", app.describe())
        .isEqualTo(TERMINATED);

    ExitSummary summary = ExitSummary.of(app).assertConsistent();
    List<ReceivedLog> received = settledLogs();
    ReceiverAwait.dump(received, jvms.dir().resolve("received.txt"));
    describe(jdk, "down, then back", summary, received);

    assertPendingAfterSigterm(summary);
    assertThat(summary.dropped("export_failed")).as("exports while down: %s", summary).isPositive();
    assertThat(summary.dropped("queue_full")).as("queue_full at this rate: %s", summary).isZero();
    assertReceivedIsExported(summary, received);
    assertThat(received).as("no record delivered twice").doesNotHaveDuplicates();
    assertLoggedAfterArrived(app, restartedAt + 30, stoppedAt, received, "the restart");
    assertQuietAndNotRecaptured(app, received);
  }

  /**
   * Nothing listens on the endpoint for the whole run: the application exits within the shutdown timeout of its
   * last line, nothing is exported, nothing is pending, every captured event is counted as {@code export_failed}
   * or {@code shutdown} (or folded).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void backendDownForTheWholeRun(Jdk jdk) {
    Jdks.recordRun("BackendFaultsTest.backendDownForTheWholeRun", jdk);
    receiver.stop();
    int jobs = 60;
    JvmProcess app = app(jdk, "sample-app").args("--jobs", String.valueOf(jobs)).start();

    Duration exitAfterDone = exitDelayAfter(app, "processed " + jobs + " jobs");
    assertThat(app.waitFor(E2e.APP_TIMEOUT)).as("exit code; %s", app.describe()).isZero();
    assertThat(exitAfterDone).as("exit after the last line, shutdown timeout %s; %s", SHUTDOWN, app.describe())
        .isLessThan(SHUTDOWN.plus(EXIT_SLACK));

    ExitSummary summary = ExitSummary.of(app).assertConsistent();
    describe(jdk, "down", summary, List.of());
    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(summary.submitted).as("every INFO+ record printed was captured; %s", summary)
        .isEqualTo(console.atOrAbove(Severities.INFO).size());
    assertThat(summary.exported).as("exported with no backend: %s", summary).isZero();
    assertThat(summary.pending).as("pending at exit: %s", summary).isZero();
    assertThat(summary.dropped.keySet()).as("drop reasons with no backend: %s", summary)
        .isSubsetOf("export_failed", "shutdown");
    assertThat(receiver.requestCount()).isZero();
    assertQuietAndNotRecaptured(app, List.of());
  }

  /**
   * An error storm (one exception logged about 20000 times a second for 2 s, plus 60 distinct errors) against a
   * backend taking 2 s per request, longer than the 1 s OTLP timeout (so exports time out while the receiver still
   * stores what it was sent): the storm runs to the end, the agent's accounting matches what the application
   * says it logged, and what could not go out is dropped under a named reason (or folded).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void errorStormAgainstASlowBackend(Jdk jdk) {
    Jdks.recordRun("BackendFaultsTest.errorStormAgainstASlowBackend", jdk);
    receiver.setDelay(Duration.ofSeconds(2));
    JvmProcess app = app(jdk, "sample-app").systemProperty(E2e.DEDUPE_ENABLED, "true")
        .args("--storm", "2", "--storm-rate", "20000").start();

    Duration exitAfterDone = exitDelayAfter(app, "storm: logged ");
    assertThat(app.waitFor(E2e.APP_TIMEOUT)).as("exit code; %s", app.describe()).isZero();
    assertThat(exitAfterDone).as("exit after the storm's last line, shutdown timeout %s; %s", SHUTDOWN,
        app.describe()).isLessThan(SHUTDOWN.plus(EXIT_SLACK));

    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(console.strayLines()).as("stray stdout lines in storm mode").isEmpty();
    long total = console.stormCount("total");
    assertThat(total).isEqualTo(console.stormCount("repeated") + console.stormCount("distinctRecords"));
    assertThat(console.stormCount("distinctRecords")).isEqualTo(60);
    assertThat(console.stormCount("repeated")).isEqualTo(console.stormCount("repeated.logback")
        + console.stormCount("repeated.log4j") + console.stormCount("repeated.jul"));

    ExitSummary summary = ExitSummary.of(app).assertConsistent();
    List<ReceivedLog> received = settledLogs();
    describe(jdk, "storm " + console.storm(), summary, received);
    assertThat(summary.submitted).as("captured == logged; %s", summary).isEqualTo(total);
    assertThat(summary.pending).as("pending at exit: %s", summary).isZero();
    assertThat(summary.exported).as("a backend slower than the timeout takes nothing in time: %s", summary)
        .isZero();
    // Timed-out requests are still stored by the receiver: it may hold records counted export_failed/shutdown.
    long firsts = received.stream().filter(l -> l.attribute(ROLLUP_COUNT) == null).count();
    assertThat(firsts).as("received vs %s", summary)
        .isLessThanOrEqualTo(summary.dropped("export_failed") + summary.dropped("shutdown"));
    assertQuietAndNotRecaptured(app, received);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** The sample app with the packaged agent, debug on (for the at-exit line), short timeouts. */
  private JvmProcess.Builder app(Jdk jdk, String name) {
    return jvms.builder(name)
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty(DEBUG, true)
        .systemProperty(OTLP_TIMEOUT, "1s")
        .systemProperty(SHUTDOWN_TIMEOUT, SHUTDOWN.toMillis() + "ms")
        .systemProperty(EXPORT_INTERVAL, "200ms")
        // These cases follow individual records across the fault; the storm case switches folding back on.
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .jar(E2e.sampleAppJar());
  }

  /** Waits for {@code condition}; fails at once (with the output) if the application exits first. */
  private void awaitWhileRunning(JvmProcess app, String what, Callable<Boolean> condition, Duration atMost) {
    try {
      await(what).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (condition.call()) {
          return true;
        }
        if (!app.isAlive()) {
          throw new AssertionError("the application exited before: " + what + "; " + app.describe());
        }
        return false;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; receiver: " + receiver.requestCount() + " requests, "
          + receiver.failedRequestCount() + " failed, " + receiver.logs().size() + " records; " + app.describe(), e);
    }
  }

  /**
   * Polls stdout for a line starting with {@code lineStart}, then waits for the exit: the time from first seeing the
   * line to seeing the process gone (an upper bound of neither, but both are seen within 20 ms of happening).
   */
  private static Duration exitDelayAfter(JvmProcess app, String lineStart) {
    long deadline = System.nanoTime() + E2e.APP_TIMEOUT.toNanos();
    long seen = 0;
    while (System.nanoTime() - deadline < 0) {
      boolean alive = app.isAlive();
      if (seen == 0 && app.stdoutLines().stream().anyMatch(l -> l.startsWith(lineStart))) {
        seen = System.nanoTime();
      }
      if (!alive) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(seen).as("line '%s...' printed; %s", lineStart, app.describe()).isPositive();
    assertThat(app.isAlive()).as("still running after %s s; %s", E2e.APP_TIMEOUT.toSeconds(), app.describe())
        .isFalse();
    Duration d = Duration.ofNanos(System.nanoTime() - seen);
    System.out.println("[e2e] " + app.name() + " exited " + d.toMillis() + " ms after '" + lineStart + "...'");
    return d;
  }

  /** The receiver's records once no more have arrived for 1 s (late deliveries of a slow receiver included). */
  private List<ReceivedLog> settledLogs() {
    int[] last = {-1};
    await("receiver settled").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .during(Duration.ofSeconds(1)).until(() -> {
          int n = receiver.logs().size();
          boolean same = n == last[0];
          last[0] = n;
          return same;
        });
    return receiver.logs();
  }

  /**
   * The at-exit line is printed after the pipeline's shutdown, so nothing the agent held is pending. After SIGTERM,
   * though, the sample app's own shutdown hook lets its (two) workers log while the line is printed: a record
   * submitted after shutdown is counted as submitted, then as dropped (shutdown), and a snapshot taken between the
   * two shows it as pending. So at most one per application thread.
   */
  private static void assertPendingAfterSigterm(ExitSummary summary) {
    assertThat(summary.pending).as("pending at exit (at most one per app thread still logging): %s", summary)
        .isBetween(0L, 2L);
  }

  private static long rollups(List<ReceivedLog> received) {
    return received.stream().filter(l -> l.attribute(ROLLUP_COUNT) != null).count();
  }

  /**
   * The receiver holds exactly what the agent counted as exported: records without
   * {@code telemetry.agent.rollup.count} are first occurrences; rollup records (once deduplication exists) may or
   * may not be counted as exported.
   */
  private static void assertReceivedIsExported(ExitSummary summary, List<ReceivedLog> received) {
    long firsts = received.stream().filter(l -> l.attribute(ROLLUP_COUNT) == null).count();
    long rollups = rollups(received);
    assertThat(summary.exported).as("exported (%s) vs received: %s first occurrences + %s rollups", summary, firsts,
        rollups).isIn(firsts, firsts + rollups);
  }

  /** Every INFO+ record printed between the two stdout line indexes arrived (same scope and body). */
  private static void assertLoggedAfterArrived(JvmProcess app, int fromLine, int toLine, List<ReceivedLog> received,
      String event) {
    List<String> lines = app.stdoutLines();
    List<SampleAppConsole.Event> after = SampleAppConsole.parse(lines.subList(Math.min(fromLine, toLine), toLine))
        .atOrAbove(Severities.INFO).stream()
        .filter(e -> !e.messageIsSensitive())
        .collect(Collectors.toList());
    assertThat(after).as("records logged after %s", event).isNotEmpty();
    Set<String> arrived = received.stream().map(l -> l.scopeName() + " - " + l.body()).collect(Collectors.toSet());
    List<String> missing = after.stream().map(e -> e.logger + " - " + e.message)
        .filter(k -> !arrived.contains(k)).collect(Collectors.toList());
    assertThat(missing).as("records logged after %s (%s of them) that did not arrive", event, after.size())
        .isEmpty();
  }

  /**
   * The agent's stderr stays short (the SDK's failure logging is throttled) and nothing the SDK logged became a
   * record.
   */
  private static void assertQuietAndNotRecaptured(JvmProcess app, List<ReceivedLog> received) {
    List<String> agentLines = app.stderrLines().stream().filter(l -> l.startsWith("[telemetry-agent]"))
        .collect(Collectors.toList());
    assertThat(agentLines).as("[telemetry-agent] stderr lines; %s", app.describe())
        .hasSizeLessThan(MAX_AGENT_STDERR_LINES);
    AgentContract.assertNothingFromTheAgentItself(received);
  }

  private static void describe(Jdk jdk, String fault, ExitSummary summary, List<ReceivedLog> received) {
    System.out.println("[e2e] " + jdk + " backend " + fault + ": " + summary.line.replace(ExitSummary.PREFIX, "")
        + "; receiver got " + received.size() + " records");
  }
}
