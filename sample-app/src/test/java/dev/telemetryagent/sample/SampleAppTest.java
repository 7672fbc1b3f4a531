package dev.telemetryagent.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
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

  @Test
  void stormSummaryAddsUp() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      Storm.run(0.3, 2000);
    } finally {
      System.setOut(saved);
    }
    String out = bytes.toString(StandardCharsets.UTF_8).trim();
    assertThat(out).startsWith("storm: logged total=").doesNotContain("\n");
    Map<String, Long> n = new HashMap<>();
    for (String pair : out.substring("storm: logged ".length()).split(" ")) {
      String[] kv = pair.split("=");
      if (kv[1].matches("\\d+")) {
        n.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    assertThat(n.get("distinct")).isEqualTo(20);
    assertThat(n.get("distinctRecords")).isEqualTo(60);
    assertThat(n.get("repeated")).isBetween(1L, 600L + 2) // 0.3 s at 2000/s, at most one slice ahead
        .isEqualTo(n.get("repeated.logback") + n.get("repeated.log4j") + n.get("repeated.jul"));
    assertThat(n.get("total")).isEqualTo(n.get("repeated") + n.get("distinctRecords"));
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
