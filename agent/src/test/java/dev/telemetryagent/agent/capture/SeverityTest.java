package dev.telemetryagent.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.exporter.EventSource;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class SeverityTest {

  @Test
  void julLevelsFollowTheOpenTelemetryBridgeMapping() {
    assertThat(Severity.of(EventSource.JUL, Level.SEVERE.intValue())).isEqualTo(17);
    assertThat(Severity.of(EventSource.JUL, Level.WARNING.intValue())).isEqualTo(13);
    assertThat(Severity.of(EventSource.JUL, Level.INFO.intValue())).isEqualTo(9);
    assertThat(Severity.of(EventSource.JUL, Level.CONFIG.intValue())).isEqualTo(7);
    assertThat(Severity.of(EventSource.JUL, Level.FINE.intValue())).isEqualTo(5);
    assertThat(Severity.of(EventSource.JUL, Level.FINER.intValue())).isEqualTo(3);
    assertThat(Severity.of(EventSource.JUL, Level.FINEST.intValue())).isEqualTo(1);
  }

  @Test
  void log4jLevelsFollowTheOpenTelemetryBridgeMapping() {
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.FATAL.intLevel())).isEqualTo(21);
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.ERROR.intLevel())).isEqualTo(17);
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.WARN.intLevel())).isEqualTo(13);
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.INFO.intLevel())).isEqualTo(9);
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.DEBUG.intLevel())).isEqualTo(5);
    assertThat(Severity.of(EventSource.LOG4J, org.apache.logging.log4j.Level.TRACE.intLevel())).isEqualTo(1);
  }

  @Test
  void logbackLevelsFollowTheOpenTelemetryBridgeMapping() {
    assertThat(Severity.of(EventSource.LOGBACK, ch.qos.logback.classic.Level.ERROR.toInt())).isEqualTo(17);
    assertThat(Severity.of(EventSource.LOGBACK, ch.qos.logback.classic.Level.WARN.toInt())).isEqualTo(13);
    assertThat(Severity.of(EventSource.LOGBACK, ch.qos.logback.classic.Level.INFO.toInt())).isEqualTo(9);
    assertThat(Severity.of(EventSource.LOGBACK, ch.qos.logback.classic.Level.DEBUG.toInt())).isEqualTo(5);
    assertThat(Severity.of(EventSource.LOGBACK, ch.qos.logback.classic.Level.TRACE.toInt())).isEqualTo(1);
  }

  @Test
  void configuredLevelWordsBecomeThresholds() {
    assertThat(Severity.threshold("info")).isEqualTo(9);
    assertThat(Severity.threshold("WARN")).isEqualTo(13);
    assertThat(Severity.threshold("OFF")).isGreaterThan(24);
  }
}
