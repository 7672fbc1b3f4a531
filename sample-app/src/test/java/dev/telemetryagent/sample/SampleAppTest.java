package dev.telemetryagent.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class SampleAppTest {

  @Test
  void jobsAreDeterministicPerNumberAndSeed() {
    Job a = new Job(17, 42);
    Job b = new Job(17, 42);
    Job c = new Job(17, 43);
    assertThat(a).usingRecursiveComparison().isEqualTo(b);
    assertThat(a).usingRecursiveComparison().isNotEqualTo(c);
    assertThat(a.orderId).isEqualTo("ord-10017");
  }

  @Test
  void julStackTraceMatchesTheJdkLayout() {
    Exception e = nested();
    StringWriter jdk = new StringWriter();
    e.printStackTrace(new PrintWriter(jdk));
    StringBuilder ours = new StringBuilder();
    JulConsole.LineFormatter.appendStackTrace(ours, e);
    assertThat(ours.toString()).isEqualTo(jdk.toString());
  }

  @Test
  void julLineFormat() {
    LogRecord record = new LogRecord(Level.WARNING, "carrier {0} slow to respond for order {1}");
    record.setLoggerName("com.example.worker.shipping");
    record.setParameters(new Object[] {"dhl", "ord-10003"});
    String line = new JulConsole.LineFormatter().format(record);
    assertThat(line).isEqualTo("jul WARNING [" + Thread.currentThread().getName()
        + "] com.example.worker.shipping - carrier dhl slow to respond for order ord-10003"
        + System.lineSeparator());
  }

  private static Exception nested() {
    try {
      try {
        throw new SQLException("inner");
      } catch (SQLException inner) {
        throw new IllegalStateException("outer", inner);
      }
    } catch (IllegalStateException outer) {
      return new RuntimeException("top", outer);
    }
  }
}
