package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetryagent.receiver.ReceivedLog;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The checker checked, without the agent: an export that follows the contract, synthesised from a real run of the
 * sample app, passes {@link AgentContract}; exports with typical defects fail it.
 */
class AgentContractSelfTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** One run of the sample app serves all tests of this class. */
  private static List<SampleAppConsole.Event> expected;

  @BeforeEach
  void runSampleAppOnce() {
    if (expected != null) {
      return;
    }
    JvmProcess app = jvms.builder("sample-app").jar(E2e.sampleAppJar()).args("--jobs", "40").start()
        .assertExitsCleanly(E2e.APP_TIMEOUT);
    expected = SampleAppConsole.parse(app.stdoutLines()).atOrAbove(Severities.INFO);
    assertThat(expected).hasSizeGreaterThan(100);
  }

  @Test
  void anExportFollowingTheContractPasses() {
    List<ReceivedLog> logs = ideal(expected, UnaryOperator.identity());
    AgentContract.assertNothingFromTheAgentItself(logs);
    AgentContract.assertWellFormed(logs, Severities.INFO);
    AgentContract.assertResource(logs, "sample-app");
    AgentContract.assertMatchesConsole(expected, logs);
    AgentContract.assertExceptionAttributes(logs, "dev.telemetryagent.sample.");
  }

  @Test
  void scrubbedSensitiveBodiesStillMatch() {
    List<ReceivedLog> logs = ideal(expected, b -> b.contains("alice.demo@example.com") || b.contains("jdbc:")
        ? b.replace("alice.demo@example.com", "<redacted>").replaceAll("jdbc:\\S+", "<redacted>") : b);
    AgentContract.assertMatchesConsole(expected, logs);
  }

  @Test
  void defectsAreCaught() {
    List<ReceivedLog> ok = ideal(expected, UnaryOperator.identity());

    List<ReceivedLog> missing = new ArrayList<>(ok.subList(1, ok.size()));
    assertThatThrownBy(() -> AgentContract.assertMatchesConsole(expected, missing)).isInstanceOf(AssertionError.class);

    List<ReceivedLog> duplicated = new ArrayList<>(ok);
    duplicated.add(ok.get(3));
    assertThatThrownBy(() -> AgentContract.assertMatchesConsole(expected, duplicated))
        .isInstanceOf(AssertionError.class);

    List<ReceivedLog> unformatted = ideal(expected, b -> b.replace("ord-10001", "{}"));
    assertThatThrownBy(() -> AgentContract.assertMatchesConsole(expected, unformatted))
        .isInstanceOf(AssertionError.class);

    List<ReceivedLog> agentThread = new ArrayList<>(ok);
    agentThread.add(record("logback", "ERROR", 17, "telemetry-agent", "export failed", "telemetry-agent-export",
        null, "sample-app"));
    assertThatThrownBy(() -> AgentContract.assertNothingFromTheAgentItself(agentThread))
        .isInstanceOf(AssertionError.class);

    List<ReceivedLog> shaded = List.of(record("jul", "WARNING", 13,
        "dev.telemetryagent.shaded.io.opentelemetry.exporter.internal.http.HttpExporter", "Failed to export",
        "worker-1", null, "sample-app"));
    assertThatThrownBy(() -> AgentContract.assertNothingFromTheAgentItself(shaded))
        .isInstanceOf(AssertionError.class);

    List<ReceivedLog> wrongSeverity = List.of(record("jul", "WARNING", 12, "x", "b", "main", null, "sample-app"));
    assertThatThrownBy(() -> AgentContract.assertWellFormed(wrongSeverity, Severities.INFO))
        .isInstanceOf(AssertionError.class).hasMessageContaining("severity number");

    List<ReceivedLog> debug = List.of(record("logback", "DEBUG", 5, "x", "b", "main", null, "sample-app"));
    assertThatThrownBy(() -> AgentContract.assertWellFormed(debug, Severities.INFO))
        .isInstanceOf(AssertionError.class).hasMessageContaining("capture level");

    assertThatThrownBy(() -> AgentContract.assertResource(ok, "other-service"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("service.name");
  }

  /** What a correct agent would export for these console records. */
  private static List<ReceivedLog> ideal(List<SampleAppConsole.Event> events, UnaryOperator<String> bodies) {
    List<ReceivedLog> out = new ArrayList<>();
    for (SampleAppConsole.Event e : events) {
      out.add(record(e.framework, e.level, e.severityNumber(), e.logger, bodies.apply(e.message), e.thread,
          e.hasThrowable() ? e : null, "sample-app"));
    }
    return out;
  }

  private static ReceivedLog record(String source, String level, int severity, String scope, String body,
      String thread, SampleAppConsole.Event withThrowable, String service) {
    LogRecord.Builder r = LogRecord.newBuilder()
        .setSeverityNumberValue(severity)
        .setSeverityText(level)
        .setBody(str(body))
        .addAttributes(kv("thread.name", str(thread)))
        .addAttributes(kv("thread.id", AnyValue.newBuilder().setIntValue(thread.hashCode() & 0xff).build()))
        .addAttributes(kv("telemetry.agent.source", str(source)));
    if (withThrowable != null) {
      String first = withThrowable.stackTrace.get(0);
      r.addAttributes(kv("exception.type", str(withThrowable.exceptionType())))
          .addAttributes(kv("exception.message", str(first.substring(first.indexOf(':') + 1).trim())))
          .addAttributes(kv("exception.stacktrace", str(String.join("\n", withThrowable.stackTrace))))
          .addAttributes(kv("exception.source", str("log")));
    }
    ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", str(service)))
                .addAttributes(kv("telemetry.distro.name", str("telemetry-agent")))
                .addAttributes(kv("telemetry.distro.version", str("0.1.0-SNAPSHOT"))))
            .addScopeLogs(ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope))
                .addLogRecords(r)))
        .build();
    return ReceivedLog.flatten(req).get(0);
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}
