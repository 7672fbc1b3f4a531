package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Generated documentation under {@code docs/}: tests render the expected content and compare it with the file;
 * {@code -Dscrub.docs.update=true} rewrites the file instead.
 */
final class DocsFile {
  static final String REGENERATE = "mvn -B -pl scrub-rules test -Dscrub.docs.update=true";

  private DocsFile() {}

  static Path docsDir() {
    String dir = System.getProperty("scrub.docs.dir");
    return dir != null && !dir.isBlank() ? Paths.get(dir) : Paths.get("..", "docs");
  }

  static boolean updating() {
    return Boolean.parseBoolean(System.getProperty("scrub.docs.update", "false"));
  }

  /** Checks (or with -Dscrub.docs.update=true, writes) the whole file. */
  static void checkWhole(String fileName, String expected) {
    Path file = docsDir().resolve(fileName);
    try {
      if (updating()) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, expected, StandardCharsets.UTF_8);
        return;
      }
      assertThat(Files.exists(file)).as("docs/%s is missing; regenerate it with: %s", fileName, REGENERATE).isTrue();
      String actual = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual.equals(expected))
          .as("docs/%s is stale (it no longer matches the catalog / corpus); regenerate it with: %s", fileName,
              REGENERATE)
          .isTrue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
