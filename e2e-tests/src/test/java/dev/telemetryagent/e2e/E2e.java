package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Where the e2e tests find what they run, and the agent's configuration keys they use. */
public final class E2e {

  public static final String BUILD_AGENT_FIRST = "build the agent first: mvn -pl agent -am package";

  // Agent configuration (system properties on the application's JVM).
  public static final String ENDPOINT = "otel.exporter.otlp.endpoint";
  public static final String SERVICE_NAME = "otel.service.name";
  public static final String CAPTURE_LEVEL = "telemetry.agent.capture.level";
  /**
   * Tests that count one record per log call switch folding off (StormTest covers dedupe); with it on, repeats of a
   * WARN or ERROR inside a window would arrive as one record plus a rollup.
   */
  public static final String DEDUPE_ENABLED = "telemetry.agent.dedupe.enabled";
  public static final String FILE_DIRECTORY = "telemetry.agent.file.directory";
  public static final String FILE_MAX_SIZE = "telemetry.agent.file.max-file-size";
  public static final String FILE_MAX_FILES = "telemetry.agent.file.max-files";

  /** Generous but bounded: no application run in these tests may take longer. */
  public static final java.time.Duration APP_TIMEOUT = java.time.Duration.ofSeconds(60);

  /** A line the agent writes to stderr when something went wrong: its prefix plus an error word. */
  private static final Pattern AGENT_ERROR_LINE =
      Pattern.compile("\\[telemetry-agent].*\\b(error|fail|failed|failure|exception|severe|fatal)\\b",
          Pattern.CASE_INSENSITIVE);

  private E2e() {}

  /** The packaged agent ({@code -Dagent.jar}); fails the test with how to build it when it is missing. */
  public static Path requireAgentJar() {
    Path jar = Paths.get(System.getProperty("agent.jar", "../agent/target/telemetry-agent.jar"))
        .toAbsolutePath().normalize();
    assertThat(Files.isRegularFile(jar))
        .as("agent jar %s does not exist: %s", jar, BUILD_AGENT_FIRST)
        .isTrue();
    return jar;
  }

  /** The packaged sample app ({@code -Dsample.app.jar}), with its {@code lib/} next to it. */
  public static Path sampleAppJar() {
    Path jar = Paths.get(System.getProperty("sample.app.jar", "../sample-app/target/sample-app.jar"))
        .toAbsolutePath().normalize();
    assertThat(Files.isRegularFile(jar))
        .as("sample app jar %s does not exist: build it with mvn -pl sample-app package", jar)
        .isTrue();
    return jar;
  }

  /** {@code target/e2e}: every test's process output and scratch files live below it. */
  public static Path outputRoot() {
    return Paths.get(System.getProperty("e2e.output.dir", "target/e2e")).toAbsolutePath().normalize();
  }

  public static Path conflictLibsDir() {
    return Paths.get(System.getProperty("conflict.libs.dir", "target/conflict-libs")).toAbsolutePath().normalize();
  }

  public static Path conflictFixtureSources() {
    return Paths.get(System.getProperty("conflict.fixture.src", "src/fixture/java")).toAbsolutePath().normalize();
  }

  public static String conflictVersion(String lib) {
    String value = System.getProperty("conflict." + lib + ".version");
    assertThat(value).as("system property conflict.%s.version (set by the pom)", lib).isNotBlank();
    return value;
  }

  /** Stderr lines in which the agent reports an error. */
  public static List<String> agentErrorLines(List<String> stderr) {
    return stderr.stream().filter(l -> AGENT_ERROR_LINE.matcher(l).find()).collect(Collectors.toList());
  }

  /** A string usable as a directory name. */
  static String sanitize(String s) {
    String cleaned = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
    if (cleaned.isEmpty()) {
      return "x";
    }
    return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
  }

  /** Starts a receiver on a free port (for a field initialiser: unchecked). */
  public static dev.telemetryagent.receiver.OtlpReceiver startReceiver() {
    try {
      return dev.telemetryagent.receiver.OtlpReceiver.start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start the OTLP receiver", e);
    }
  }
}
