package dev.telemetryagent.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentStatusTest {

  @Test
  void credentialsInUrlsAreMasked() {
    assertThat(AgentStatus.maskUserInfo("otlp http://user:s3cret@collector:4318/v1/logs"))
        .isEqualTo("otlp http://****@collector:4318/v1/logs");
    assertThat(AgentStatus.maskUserInfo("https://token@example.com")).isEqualTo("https://****@example.com");
    assertThat(AgentStatus.maskUserInfo("http://collector:4318")).isEqualTo("http://collector:4318");
    assertThat(AgentStatus.maskUserInfo("file /tmp/a@b/x.jsonl")).isEqualTo("file /tmp/a@b/x.jsonl");
    assertThat(AgentStatus.maskUserInfo(null)).isNull();
  }
}
