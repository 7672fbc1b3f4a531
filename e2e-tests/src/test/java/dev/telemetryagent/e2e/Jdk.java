package dev.telemetryagent.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** A JDK to launch applications with: its home and the version from its {@code release} file. */
public final class Jdk {

  private final Path home;
  private final String version;

  Jdk(Path home) {
    this.home = home.toAbsolutePath().normalize();
    this.version = readVersion(this.home);
  }

  public Path home() {
    return home;
  }

  /** {@code JAVA_VERSION} from the {@code release} file, or "unknown". */
  public String version() {
    return version;
  }

  /** The feature release, e.g. 17 or 25; 0 when unknown. */
  public int feature() {
    try {
      String v = version.startsWith("1.") ? version.substring(2) : version;
      return Integer.parseInt(v.split("[^0-9]", 2)[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  public Path javaExecutable() {
    Path unix = home.resolve("bin").resolve("java");
    Path windows = home.resolve("bin").resolve("java.exe");
    return Files.isRegularFile(unix) || !Files.isRegularFile(windows) ? unix : windows;
  }

  private static String readVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return "unknown";
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Jdk && ((Jdk) o).home.equals(home);
  }

  @Override
  public int hashCode() {
    return Objects.hash(home);
  }

  /** Used as the parameterised tests' display name, e.g. {@code jdk-25.0.1 (temurin-25-jdk-amd64)}. */
  @Override
  public String toString() {
    return "jdk-" + version + " (" + home.getFileName() + ")";
  }
}
