package dev.telemetryagent.exporter;

import static dev.telemetryagent.exporter.TestSupport.WAIT;
import static dev.telemetryagent.exporter.TestSupport.assertSettled;
import static dev.telemetryagent.exporter.TestSupport.event;
import static dev.telemetryagent.exporter.TestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PID = 4242;
  /** A body that makes one line larger than a 1 KiB cap on its own. */
  private static final String BIG = "x".repeat(1500);

  @TempDir
  Path dir;

  private TelemetryPipeline pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
      assertSettled(pipeline.stats());
    }
  }

  private TelemetryPipeline startWithFiles(long maxFileBytes, int maxFiles, Diagnostics diagnostics) {
    JsonLinesFileExporter files = new JsonLinesFileExporter(dir, "orders", PID, maxFileBytes, maxFiles, diagnostics);
    pipeline = TelemetryPipeline.start(settings().exportInterval(Duration.ofHours(1)).build(), files);
    return pipeline;
  }

  /** One export call, hence one line. */
  private void writeBatch(String... bodies) {
    for (String b : bodies) {
      pipeline.submit(event(b).build());
    }
    assertThat(pipeline.flush(WAIT)).isTrue();
  }

  private List<Path> jsonlFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  private static List<String> bodies(JsonNode line) {
    List<String> out = new ArrayList<>();
    for (JsonNode rl : line.get("resourceLogs")) {
      for (JsonNode sl : rl.get("scopeLogs")) {
        for (JsonNode r : sl.get("logRecords")) {
          out.add(r.get("body").get("stringValue").asText());
        }
      }
    }
    return out;
  }

  @Test
  void writesOtlpJsonLinesByDefaultWhenNoEndpointIsSet() throws IOException {
    pipeline = TelemetryPipeline.start(settings().serviceName("orders").localDirectory(dir).build());
    assertThat(pipeline.destination()).startsWith("file ").endsWith(".jsonl");
    pipeline.submit(event("hello file").putContext("tenant", "acme")
        .throwable(new IllegalStateException("multi-line\nmessage")).build());
    assertThat(pipeline.flush(WAIT)).isTrue();

    Path current = dir.resolve("orders-" + ProcessHandle.current().pid() + ".jsonl");
    List<String> lines = lines(current);
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.fieldNames()).toIterable().containsExactly("resourceLogs");
    JsonNode resourceLogs = line.get("resourceLogs").get(0);
    assertThat(resourceLogs.get("resource").get("attributes").toString())
        .contains("\"key\":\"service.name\"", "\"stringValue\":\"orders\"", "telemetry.distro.name");
    JsonNode scopeLogs = resourceLogs.get("scopeLogs").get(0);
    assertThat(scopeLogs.get("scope").get("name").asText()).isEqualTo("com.example.Orders");
    JsonNode record = scopeLogs.get("logRecords").get(0);
    assertThat(record.get("body").get("stringValue").asText()).isEqualTo("hello file");
    assertThat(record.get("severityNumber").asInt()).isEqualTo(13);
    assertThat(record.get("severityText").asText()).isEqualTo("WARN");
    assertThat(record.get("timeUnixNano").asText()).isEqualTo("1700000000123456789");
    assertThat(record.get("attributes").toString()).contains("\"key\":\"tenant\"", "\"stringValue\":\"acme\"");
    // The multi-line stack trace is escaped inside the one line.
    assertThat(record.get("attributes").toString()).contains("exception.stacktrace",
        "java.lang.IllegalStateException: multi-line\\nmessage\\n\\tat ");
    assertThat(pipeline.stats().exported()).isEqualTo(1);
  }

  @Test
  void eachBatchIsOneLine() throws IOException {
    startWithFiles(PipelineSettings.DEFAULT_LOCAL_MAX_FILE_BYTES, 5, TestSupport.quietDiagnostics());
    writeBatch("a", "b", "c");
    writeBatch("d");
    List<String> lines = lines(dir.resolve("orders-4242.jsonl"));
    assertThat(lines).hasSize(2);
    assertThat(bodies(JSON.readTree(lines.get(0)))).containsExactly("a", "b", "c");
    assertThat(bodies(JSON.readTree(lines.get(1)))).containsExactly("d");
  }

  @Test
  void createsTheDirectoryIfMissing() throws IOException {
    Path nested = dir.resolve("a/b/c");
    pipeline = TelemetryPipeline.start(settings().serviceName("orders").localDirectory(nested).build());
    writeBatch("x");
    assertThat(Files.isDirectory(nested)).isTrue();
    try (Stream<Path> s = Files.list(nested)) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  @Test
  void rotatesAtTheCapWithoutSplittingLines() throws IOException {
    long cap = 2048;
    startWithFiles(cap, 100, TestSupport.quietDiagnostics());
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      written.add("message " + i);
      writeBatch("message " + i);
    }
    List<Path> files = jsonlFiles();
    assertThat(files.size()).isGreaterThan(3);
    assertThat(files).contains(dir.resolve("orders-4242.1.jsonl"), dir.resolve("orders-4242.2.jsonl"));
    List<String> read = new ArrayList<>();
    for (int n = 1; n < files.size(); n++) {
      Path rotated = dir.resolve("orders-4242." + n + ".jsonl");
      assertThat(Files.size(rotated)).isLessThanOrEqualTo(cap);
      for (String line : lines(rotated)) {
        read.addAll(bodies(JSON.readTree(line))); // every line parses: none was split
      }
    }
    Path current = dir.resolve("orders-4242.jsonl");
    if (Files.exists(current)) {
      assertThat(Files.size(current)).isLessThanOrEqualTo(cap);
      for (String line : lines(current)) {
        read.addAll(bodies(JSON.readTree(line)));
      }
    }
    assertThat(read).containsExactlyElementsOf(written);
  }

  @Test
  void neverKeepsMoreThanMaxFilesCountingFilesOfOtherRuns() throws IOException {
    // Leftovers of earlier runs (other pids, other services) and an unrelated file.
    Instant old = Instant.now().minus(Duration.ofDays(2));
    for (String name : new String[] {"orders-1.jsonl", "orders-1.1.jsonl", "orders-2.3.jsonl", "billing-7.jsonl",
        "billing-7.1.jsonl", "orders-4242.jsonl"}) {
      Path p = Files.write(dir.resolve(name), "{\"resourceLogs\":[]}\n".getBytes(StandardCharsets.UTF_8));
      Files.setLastModifiedTime(p, FileTime.from(old));
      old = old.plusSeconds(60);
    }
    Files.write(dir.resolve("notes.txt"), "keep me".getBytes(StandardCharsets.UTF_8));

    int maxFiles = 3;
    startWithFiles(1024, maxFiles, TestSupport.quietDiagnostics());
    for (int i = 0; i < 15; i++) {
      writeBatch("m" + i);
      assertThat(jsonlFiles()).hasSizeLessThanOrEqualTo(maxFiles);
    }
    assertThat(jsonlFiles()).noneMatch(p -> p.getFileName().toString().startsWith("billing-")
        || p.getFileName().toString().startsWith("orders-1") || p.getFileName().toString().startsWith("orders-2"));
    assertThat(dir.resolve("notes.txt")).exists();
  }

  @Test
  void deletesTheOldestFilesFirst() throws IOException {
    startWithFiles(1024, 3, TestSupport.quietDiagnostics());
    for (int i = 0; i < 10; i++) {
      writeBatch(BIG + i);
    }
    // Each line is larger than the cap, so every batch rotates (and no current file remains): the survivors are
    // the newest rotations, one slot being kept for the next current file.
    List<String> names = jsonlFiles().stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    assertThat(names).containsExactlyInAnyOrder("orders-4242.9.jsonl", "orders-4242.10.jsonl");
    assertThat(bodies(JSON.readTree(lines(dir.resolve("orders-4242.10.jsonl")).get(0)))).containsExactly(BIG + 9);
  }

  @Test
  void continuesRotationNumbersOfAReusedPid() throws IOException {
    Path earlier = Files.write(dir.resolve("orders-4242.3.jsonl"), "{\"resourceLogs\":[]}\n".getBytes(StandardCharsets.UTF_8));
    startWithFiles(1024, 10, TestSupport.quietDiagnostics());
    writeBatch(BIG);
    assertThat(lines(earlier)).containsExactly("{\"resourceLogs\":[]}");
    assertThat(dir.resolve("orders-4242.4.jsonl")).exists();
  }

  @Test
  void unwritableDirectoryCountsFailuresAndReportsOnce() throws IOException {
    Path blocker = Files.write(dir.resolve("blocker"), new byte[] {1});
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Diagnostics diagnostics = new Diagnostics(new PrintStream(err, true, StandardCharsets.UTF_8), System::nanoTime,
        Duration.ZERO); // no throttling: "once" must come from the exporter itself
    pipeline = TelemetryPipeline.start(settings().serviceName("orders").localDirectory(blocker.resolve("logs"))
        .diagnostics(diagnostics).exportInterval(Duration.ofHours(1)).build());
    assertThatCode(() -> {
      writeBatch("a");
      writeBatch("b", "c");
      writeBatch("d");
    }).doesNotThrowAnyException();
    PipelineStats stats = assertSettled(pipeline.stats());
    assertThat(stats.dropped(DropReason.EXPORT_FAILED)).isEqualTo(4);
    assertThat(stats.exported()).isZero();
    assertThat(stats.lastError()).contains("export failed");
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(output.split("cannot write telemetry to", -1)).hasSize(2);
    assertThat(output).startsWith("[telemetry-agent] ");
  }

  @Test
  void serviceNamesAreSanitizedForFileNames() {
    assertThat(JsonLinesFileExporter.sanitize("orders")).isEqualTo("orders");
    assertThat(JsonLinesFileExporter.sanitize("unknown_service:java")).isEqualTo("unknown_service_java");
    assertThat(JsonLinesFileExporter.sanitize("../../etc/passwd")).isEqualTo("_._.._etc_passwd");
    assertThat(JsonLinesFileExporter.sanitize(".hidden")).isEqualTo("_hidden");
    assertThat(JsonLinesFileExporter.sanitize("")).isEqualTo("service");
    assertThat(JsonLinesFileExporter.sanitize("x".repeat(200))).hasSize(64);
  }

  @Test
  void pathologicalServiceNameStaysInsideTheDirectory() throws IOException {
    pipeline = TelemetryPipeline.start(settings().serviceName("../../evil/name").localDirectory(dir).build());
    writeBatch("m");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactly("_._.._evil_name-" + ProcessHandle.current().pid() + ".jsonl");
    }
  }

  @Test
  void rotationIndexIsParsedFromTheFileName() {
    assertThat(JsonLinesFileExporter.indexOf("orders-12.7.jsonl")).isEqualTo(7);
    assertThat(JsonLinesFileExporter.indexOf("orders-12.jsonl")).isEqualTo(Long.MAX_VALUE);
    assertThat(JsonLinesFileExporter.indexOf("my.svc-12.jsonl")).isEqualTo(Long.MAX_VALUE);
  }
}
