package dev.telemetryagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.jmx.AgentStatus;
import dev.telemetryagent.agent.scrub.EngineRedactor;
import dev.telemetryagent.exporter.PipelineSettings;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentInstallerTest {

  @Test
  void serviceNameFallsBackToTheJarName() {
    assertThat(AgentInstaller.serviceNameFromCommand("/opt/app/orders-service.jar --port 8080"))
        .isEqualTo("orders-service");
  }

  @Test
  void serviceNameFallsBackToTheMainClassSimpleName() {
    assertThat(AgentInstaller.serviceNameFromCommand("com.example.billing.BillingMain --jobs 3"))
        .isEqualTo("BillingMain");
  }

  @Test
  void serviceNameWithoutACommandIsTheOpenTelemetryDefault() {
    assertThat(AgentInstaller.serviceNameFromCommand(null)).isEqualTo("unknown_service:java");
  }

  private static AgentConfig config(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return AgentConfig.load(null, p, Collections.emptyMap(), w -> {});
  }

  @Test
  void thePipelineScrubsWithTheEngineByDefault() {
    PipelineSettings settings = AgentInstaller.pipelineSettings(config(), "1.0");
    assertThat(settings.redactor()).isInstanceOf(EngineRedactor.class);
    assertThat(settings.resourceAttributes()).doesNotContainKey(AgentInstaller.COMMAND_LINE);
  }

  @Test
  void scrubbingSwitchedOffIsTheIdentity() {
    PipelineSettings settings = AgentInstaller.pipelineSettings(config("telemetry.agent.scrub.enabled", "false"),
        "1.0");
    assertThat(settings.redactor()).isSameAs(Redactor.identity());
  }

  @Test
  void commandLineOnlyWhenAskedFor() {
    PipelineSettings settings = AgentInstaller.pipelineSettings(
        config("telemetry.agent.resource.command-line", "true"), "1.0");
    String args = settings.resourceAttributes().get(AgentInstaller.COMMAND_LINE);
    assertThat(args).isNotBlank().isEqualTo(AgentInstaller.commandLine());
  }

  @Test
  void secretOptionsAreMaskedInTheCommandLine() {
    assertThat(AgentInstaller.maskSecretOptions("-Dtelemetry.agent.scrub.hash-salt=pepper"))
        .isEqualTo("-Dtelemetry.agent.scrub.hash-salt=****");
    assertThat(AgentInstaller.maskSecretOptions("-Dotel.exporter.otlp.headers=Authorization=Bearer abc,x=y"))
        .isEqualTo("-Dotel.exporter.otlp.headers=****");
    assertThat(AgentInstaller.maskSecretOptions("-javaagent:/opt/telemetry-agent.jar=otel.service.name=billing;"
        + "telemetry.agent.scrub.hash-salt=pepper;otel.exporter.otlp.headers=api-key=k1"))
        .isEqualTo("-javaagent:/opt/telemetry-agent.jar=otel.service.name=billing;"
            + "telemetry.agent.scrub.hash-salt=****;otel.exporter.otlp.headers=****");
    assertThat(AgentInstaller.maskSecretOptions("-Dpassword=hunter2")).as("left to the scrub rules")
        .isEqualTo("-Dpassword=hunter2");
    assertThat(AgentInstaller.maskSecretOptions("-Xmx512m")).isEqualTo("-Xmx512m");
  }

  @Test
  void theCommandLineIsScrubbedLikeEverythingElse() {
    Redactor redactor = new EngineRedactor(ScrubEngine.builtIn());
    String out = redactor.redactAttribute(AgentInstaller.COMMAND_LINE,
        "/usr/bin/java -Dpassword=hunter2-demo -jar app.jar --jobs 3");
    assertThat(out).doesNotContain("hunter2-demo").contains("-jar app.jar --jobs 3").contains("<redacted:");
  }

  @Test
  void statusReportsTheEnginesRedactionsAndErrors() {
    ScrubEngine engine = ScrubEngine.builtIn();
    AgentRuntime rt = new AgentRuntime("1.0", "start-up", config(), null, null, null, dev.telemetryagent.agent.scrub.PendingEngine.of(engine));
    AgentStatus status = new AgentStatus(rt, 0, 0);
    assertThat(status.getRedactionsByRule()).isEmpty();
    engine.scrub("mail alice.demo@example.com and bob@example.com");
    engine.scrubAttribute("db.password", "x");
    assertThat(status.getRedactionsByRule()).containsEntry("email-address", 2L)
        .containsEntry("key:password", 1L);
    assertThat(status.getScrubErrors()).isZero();

    AgentStatus off = new AgentStatus(new AgentRuntime("1.0", "start-up", config(), null, null, null, null), 0, 0);
    assertThat(off.getRedactionsByRule()).isEmpty();
    assertThat(off.getScrubErrors()).isZero();
  }
}
