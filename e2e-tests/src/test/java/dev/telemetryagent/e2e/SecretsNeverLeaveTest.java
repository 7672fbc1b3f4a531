package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import dev.telemetryagent.receiver.ReceivedSpan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4: every string that can reach the wire passes the scrub-rules engine. The packaged sample app leaks its
 * fake credentials (AWS key pair, JDBC password, bearer JWT, e-mail address) into log messages and exceptions; with
 * the packaged agent attached and default settings, none of them may appear anywhere in what a real OTLP/HTTP
 * receiver gets: not in any decoded string field (bodies, attributes, resources, scope names, span names, span
 * events and their attributes, metric attributes) and not in the raw protobuf bytes. The command line reaches the
 * resource only when asked for, and scrubbed.
 */
class SecretsNeverLeaveTest {

  private static final int JOBS = 60;

  /** The sample app's FakeSecrets, in the pieces that must never be seen (the JWT by its payload and signature). */
  private static final List<String> SECRETS = List.of(
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "Sup3rS3cret-demo",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLXVzZXIiLCJyb2xlIjoic2FtcGxlIn0.bm90LWEtcmVhbC1zaWduYXR1cmU",
      "eyJzdWIiOiJkZW1vLXVzZXIiLCJyb2xlIjoic2FtcGxlIn0",
      "bm90LWEtcmVhbC1zaWduYXR1cmU",
      "alice.demo@example.com");

  /** Put on the command line of the second run; must arrive redacted. */
  private static final String COMMAND_LINE_SECRET = "hunter2-demo";
  private static final String COMMAND_LINE = "process.command_line";

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** A real OTLP/HTTP receiver for each test (JUnit makes a new instance per test), closed after it. */
  @AutoClose
  private final OtlpReceiver receiver = E2e.startReceiver();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void noFakeCredentialReachesTheReceiver(Jdk jdk) {
    Jdks.recordRun("SecretsNeverLeaveTest", jdk);
    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty("otel.resource.attributes", "deployment.environment=e2e,db.password=" + SECRETS.get(2))
        // Every record on its own, to match them one to one with the console (rollups repeat a first record's
        // scrubbed message: DedupePipelineTest.aRollupIsScrubbedLikeEverythingElse).
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty("telemetry.agent.metrics.enabled", "true")
        .systemProperty("telemetry.agent.metrics.interval", "1s")
        .jar(E2e.sampleAppJar())
        .args("--jobs", String.valueOf(JOBS))
        .start();
    app.assertExitsCleanly(E2e.APP_TIMEOUT);
    assertThat(E2e.agentErrorLines(app.stderrLines())).as("agent error lines; %s", app.describe()).isEmpty();

    SampleAppConsole console = SampleAppConsole.parse(app.stdoutLines());
    assertThat(console.processedJobs()).as("summary line; %s", app.describe()).isEqualTo(JOBS);
    List<SampleAppConsole.Event> expected = console.atOrAbove(Severities.INFO);
    assertThat(expected.stream().filter(SampleAppConsole.Event::messageIsSensitive))
        .as("the app did leak its fake credentials on its console (else this test proves nothing)").isNotEmpty();
    assertThat(app.stdout()).contains(SECRETS.get(1)).contains(SECRETS.get(6));

    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, expected.size(), Duration.ofSeconds(30),
        app::describe);
    ReceiverAwait.dump(logs, jvms.dir().resolve("received.txt"));
    assertThat(logs).as("every record arrived: nothing dropped as scrub_error").hasSize(expected.size());

    assertNoSecretAnywhere();
    String everything = decodedText();
    assertThat(everything).as("redaction markers prove scrubbing ran on what arrived")
        .contains("<redacted:aws-access-key-id>")
        .contains("<redacted:aws-secret-access-key-prose>")
        .contains("<redacted:email-address>")
        .contains("<redacted:key:password>");
    assertThat(logs).as("the Billing failure, with the AWS secret after the bare word 'secret'")
        .anySatisfy(l -> assertThat(l.attribute("exception.message"))
            .contains("(secret <redacted:aws-secret-access-key-prose>)"));
    assertThat(logs).as("no command line on the resource by default")
        .allSatisfy(l -> assertThat(l.resourceAttributes()).doesNotContainKey(COMMAND_LINE)
            .containsEntry("deployment.environment", "e2e")
            .containsEntry("db.password", "<redacted:key:password>"));
    // Records whose message held no credential are exported unchanged (scrubbing is not over-eager here).
    AgentContract.assertMatchesConsole(expected, logs);
    System.out.println("[e2e] " + jdk + ": " + logs.size() + " records, " + receiver.spans().size() + " spans, "
        + receiver.metricsRequests().size() + " metrics requests; no fake credential on the wire");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void commandLineWhenAskedForIsScrubbed(Jdk jdk) {
    Jdks.recordRun("SecretsNeverLeaveTest", jdk);
    JvmProcess app = jvms.builder("sample-app-error-paths")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.ENDPOINT, receiver.endpoint())
        .systemProperty(E2e.SERVICE_NAME, "sample-app")
        .systemProperty("telemetry.agent.resource.command-line", "true")
        .systemProperty("password", COMMAND_LINE_SECRET)
        .systemProperty("demo.jdbc.url", "jdbc:postgresql://db.internal:5432/orders?user=app&password="
            + SECRETS.get(2))
        .jar(E2e.sampleAppJar())
        .args("--error-paths")
        .start();
    app.assertExitsCleanly(E2e.APP_TIMEOUT);
    assertThat(E2e.agentErrorLines(app.stderrLines())).as("agent error lines; %s", app.describe()).isEmpty();

    // Error paths no appender sees: log records, and spans of our own for executor and uncaught failures.
    List<ReceivedLog> logs = ReceiverAwait.awaitLogs(receiver, l -> true, 8, Duration.ofSeconds(30),
        app::describe);
    await("exception spans").atMost(Duration.ofSeconds(30)).until(() -> receiver.spans().size() >= 4);
    List<ReceivedSpan> spans = receiver.spans();

    assertNoSecretAnywhere();
    assertThat(decodedText()).doesNotContain(COMMAND_LINE_SECRET);
    for (Map<String, String> resource : resources(logs, spans)) {
      String args = resource.get(COMMAND_LINE);
      assertThat(args).as("the command line is on every resource when asked for").isNotNull()
          .contains("-javaagent:").contains("sample-app.jar").contains("--error-paths")
          .contains("-Dtelemetry.agent.resource.command-line=true")
          .doesNotContain(COMMAND_LINE_SECRET).doesNotContain(SECRETS.get(2))
          .contains("<redacted:");
    }
    System.out.println("[e2e] " + jdk + ": " + COMMAND_LINE + " = " + logs.get(0).resourceAttribute(COMMAND_LINE));
  }

  private static List<Map<String, String>> resources(List<ReceivedLog> logs, List<ReceivedSpan> spans) {
    List<Map<String, String>> out = new ArrayList<>();
    logs.forEach(l -> out.add(l.resourceAttributes()));
    spans.forEach(s -> out.add(s.resourceAttributes()));
    assertThat(out).isNotEmpty();
    return out;
  }

  /** Every request the receiver decoded (logs, traces, metrics), as protobuf text and as raw bytes. */
  private List<Message> requests() {
    List<Message> all = new ArrayList<>();
    all.addAll(receiver.logRequests());
    all.addAll(receiver.traceRequests());
    all.addAll(receiver.metricsRequests());
    return all;
  }

  /** Every decoded string field of every request, in protobuf text format (strings are printed unescaped UTF-8). */
  private String decodedText() {
    StringBuilder sb = new StringBuilder();
    for (Message m : requests()) {
      sb.append(com.google.protobuf.TextFormat.printer().escapingNonAscii(false).printToString(m)).append('\n');
    }
    return sb.toString();
  }

  private void assertNoSecretAnywhere() {
    List<Message> requests = requests();
    assertThat(requests).as("requests at the receiver").isNotEmpty();
    String text = decodedText();
    StringBuilder raw = new StringBuilder();
    for (Message m : requests) {
      raw.append(new String(m.toByteArray(), StandardCharsets.ISO_8859_1)).append('\n');
    }
    for (String secret : SECRETS) {
      assertThat(text).as("decoded requests must not contain %s", secret).doesNotContain(secret);
      assertThat(raw.toString()).as("raw requests must not contain %s", secret).doesNotContain(secret);
    }
    // The structured view too, field by field (what a backend would index).
    for (ReceivedLog l : receiver.logs()) {
      List<String> fields = new ArrayList<>();
      fields.add(l.body());
      fields.add(l.scopeName());
      fields.add(l.severityText());
      fields.addAll(l.attributes().values());
      fields.addAll(l.resourceAttributes().values());
      assertNoSecretIn(fields, l.toLine());
    }
    for (ReceivedSpan s : receiver.spans()) {
      List<String> fields = new ArrayList<>();
      fields.add(s.name());
      fields.add(s.scopeName());
      fields.add(s.statusMessage());
      fields.addAll(s.attributes().values());
      fields.addAll(s.resourceAttributes().values());
      for (ReceivedSpan.Event e : s.events()) {
        fields.add(e.name());
        fields.addAll(e.attributes().values());
      }
      assertNoSecretIn(fields, s.toString());
    }
  }

  private static void assertNoSecretIn(List<String> fields, String what) {
    for (String f : fields) {
      if (f == null) {
        continue;
      }
      for (String secret : SECRETS) {
        assertThat(f).as("%s", what).doesNotContain(secret);
      }
    }
  }
}
