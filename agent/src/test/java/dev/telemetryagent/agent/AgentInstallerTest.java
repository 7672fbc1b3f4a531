package dev.telemetryagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
}
