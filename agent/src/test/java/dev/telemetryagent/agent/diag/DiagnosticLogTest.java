package dev.telemetryagent.agent.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.exporter.Diagnostics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticLogTest {

  @TempDir
  Path dir;

  @Test
  void rotatesBySizeAndKeepsAtMostMaxFiles() throws IOException {
    Path file = dir.resolve("diag/agent.log");
    RotatingFileStream stream = new RotatingFileStream(file, 4096, 3);
    byte[] line = ("x".repeat(99) + "\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 1000; i++) { // 100 KB through a 3 x 4 KB cap
      stream.write(line, 0, line.length);
    }
    stream.close();
    List<Path> files;
    try (Stream<Path> s = Files.list(file.getParent())) {
      files = s.sorted().collect(Collectors.toList());
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("agent.log", "agent.log.1", "agent.log.2");
    for (Path p : files) {
      assertThat(Files.size(p)).as("%s", p).isLessThanOrEqualTo(4096);
    }
    long total = 0;
    for (Path p : files) {
      total += Files.size(p);
    }
    assertThat(total).isLessThanOrEqualTo(3 * 4096);
    assertThat(stream.lostBytes()).isZero();
  }

  @Test
  void diagnosticsGoToTheConfiguredFile() throws IOException {
    Path file = dir.resolve("agent-diag.log");
    Properties props = new Properties();
    AgentConfig config = AgentConfig.load("telemetry.agent.diag.file=" + file
        + ";telemetry.agent.diag.max-file-size=8KiB;telemetry.agent.diag.max-files=2", props,
        Collections.emptyMap(), w -> { });
    Diagnostics d = DiagnosticLog.diagnostics(config, "1.0", "attach");
    assertThat(d).isNotSameAs(Diagnostics.stderr());
    d.warn("export-failed", "export failed: HTTP 503");
    String text = Files.readString(file);
    assertThat(text).contains("[telemetry-agent] ").contains("1.0 started (attach)")
        .contains("export failed: HTTP 503");
  }

  @Test
  void withoutAFileOrWhenItCannotBeWrittenDiagnosticsStayOnStderr() throws IOException {
    assertThat(DiagnosticLog.diagnostics(AgentConfig.defaults(), "1.0", "start-up")).isSameAs(Diagnostics.stderr());
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    AgentConfig config = AgentConfig.load("telemetry.agent.diag.file=" + blocker.resolve("agent.log"),
        new Properties(), Collections.emptyMap(), w -> { });
    assertThat(DiagnosticLog.diagnostics(config, "1.0", "start-up")).isSameAs(Diagnostics.stderr());
  }
}
