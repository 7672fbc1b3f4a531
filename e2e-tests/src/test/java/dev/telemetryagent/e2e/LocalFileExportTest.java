package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.telemetryagent.receiver.OtlpJson;
import dev.telemetryagent.receiver.ReceivedLog;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * (b) Without an endpoint the agent writes OTLP/JSON lines to local files: every line is an
 * {@code ExportLogsServiceRequest}, the files rotate, their number never exceeds the cap, and their size stays
 * within cap plus one batch.
 */
class LocalFileExportTest {

  private static final long MAX_FILE_SIZE = 64 * 1024;
  private static final int MAX_FILES = 3;
  private static final int JOBS = 600;

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void writesRotatingOtlpJsonLinesWithinTheCaps(Jdk jdk) throws IOException {
    Jdks.recordRun("LocalFileExportTest", jdk);
    Path dir = jvms.dir().resolve("telemetry-files");
    Files.createDirectories(dir);

    JvmProcess app = jvms.builder("sample-app")
        .jdk(jdk)
        .agent(E2e.requireAgentJar())
        .systemProperty(E2e.DEDUPE_ENABLED, "false")
        .systemProperty(E2e.SERVICE_NAME, "sample-app-files")
        .systemProperty(E2e.FILE_DIRECTORY, dir)
        .systemProperty(E2e.FILE_MAX_SIZE, MAX_FILE_SIZE)
        .systemProperty(E2e.FILE_MAX_FILES, MAX_FILES)
        .jar(E2e.sampleAppJar())
        .args("--jobs", String.valueOf(JOBS))
        .start();

    // Watch the directory while the app runs: the cap must hold at every moment, not only at the end.
    AtomicInteger mostFiles = new AtomicInteger();
    AtomicReference<List<String>> busiest = new AtomicReference<>(List.of());
    await("sample app with file export to finish")
        .atMost(E2e.APP_TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          List<Path> now = files(dir);
          if (now.size() > mostFiles.get()) {
            mostFiles.set(now.size());
            busiest.set(now.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
          }
          return !app.isAlive();
        });
    app.assertExitsCleanly(Duration.ofSeconds(10));
    assertThat(SampleAppConsole.parse(app.stdoutLines()).processedJobs()).isEqualTo(JOBS);

    List<Path> files = files(dir);
    assertThat(mostFiles.get()).as("most files seen at once in %s: %s", dir, busiest.get())
        .isLessThanOrEqualTo(MAX_FILES);
    assertThat(files).as("files in %s after the run (enough data to rotate)", dir)
        .hasSizeBetween(2, MAX_FILES);

    long longestLine = 0;
    long totalBytes = 0;
    Map<Path, Long> sizes = new TreeMap<>();
    List<ReceivedLog> records = new ArrayList<>();
    for (Path file : files) {
      long size = Files.size(file);
      sizes.put(file.getFileName(), size);
      totalBytes += size;
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines).as("lines of %s", file).isNotEmpty();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        longestLine = Math.max(longestLine, line.getBytes(StandardCharsets.UTF_8).length + 1L);
        ExportLogsServiceRequest request;
        try {
          request = OtlpJson.parseLogs(line);
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("line " + (i + 1) + " of " + file + " is not an OTLP/JSON "
              + "ExportLogsServiceRequest: " + e.getMessage() + ": "
              + line.substring(0, Math.min(300, line.length())), e);
        }
        assertThat(request.getResourceLogsCount()).as("resourceLogs in line %s of %s", i + 1, file).isPositive();
        records.addAll(ReceivedLog.flatten(request));
      }
    }
    System.out.println("[e2e] " + jdk + ": files " + sizes + ", longest line " + longestLine + " bytes, "
        + records.size() + " records");

    // Size caps: a file may overshoot the cap by at most the batch (line) that crossed it.
    for (Map.Entry<Path, Long> e : sizes.entrySet()) {
      assertThat(e.getValue()).as("size of %s (cap %s + longest line %s)", e.getKey(), MAX_FILE_SIZE, longestLine)
          .isLessThanOrEqualTo(MAX_FILE_SIZE + longestLine);
    }
    assertThat(totalBytes).as("total bytes of %s", sizes)
        .isLessThanOrEqualTo(files.size() * (MAX_FILE_SIZE + longestLine));

    // Content: well-formed records of this service, nothing of the agent's own, and the last records made it.
    assertThat(records).isNotEmpty();
    AgentContract.assertNothingFromTheAgentItself(records);
    AgentContract.assertWellFormed(records, Severities.INFO);
    AgentContract.assertResource(records, "sample-app-files");
    int printed = SampleAppConsole.parse(app.stdoutLines()).atOrAbove(Severities.INFO).size();
    assertThat(records.size()).as("records kept after rotation vs %s printed", printed).isLessThan(printed);
    List<String> bodies = records.stream().map(ReceivedLog::body).collect(Collectors.toList());
    assertThat(bodies).as("the final records, flushed at exit")
        .contains("billing stopped after " + JOBS + " jobs", "inventory stopped after " + JOBS + " jobs",
            "shipping stopped after " + JOBS + " jobs");
  }

  /** Regular, non-hidden files directly in the directory, by name. */
  private static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
