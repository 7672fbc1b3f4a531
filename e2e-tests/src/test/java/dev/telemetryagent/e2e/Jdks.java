package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JDK matrix: {@code -De2e.jdks=/path/jdk17,/path/jdk25} (comma-separated JAVA_HOMEs), by default only the JDK
 * running the tests. Every e2e test is parameterised over it with
 * {@code @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")}.
 */
public final class Jdks {

  private static List<Jdk> matrix;

  private Jdks() {}

  /** The matrix, validated once; printed and recorded in {@code target/e2e/jdks.txt}. */
  public static synchronized List<Jdk> matrix() {
    if (matrix == null) {
      String spec = System.getProperty("e2e.jdks", "").trim();
      Set<Path> homes = new LinkedHashSet<>();
      if (spec.isEmpty() || spec.startsWith("${")) {
        homes.add(Paths.get(System.getProperty("java.home")));
      } else {
        for (String part : spec.split(",")) {
          if (!part.isBlank()) {
            homes.add(Paths.get(part.trim()));
          }
        }
      }
      List<Jdk> jdks = new ArrayList<>();
      for (Path home : homes) {
        Jdk jdk = new Jdk(home);
        assertThat(jdk.javaExecutable())
            .as("e2e.jdks entry %s has no bin/java", home)
            .isRegularFile();
        jdks.add(jdk);
      }
      matrix = List.copyOf(jdks);
      System.out.println("[e2e] JDK matrix (e2e.jdks): " + matrix);
      try {
        Path out = E2e.outputRoot();
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("runs.txt"));
        Files.writeString(out.resolve("jdks.txt"), String.join(System.lineSeparator(),
            matrix.stream().map(j -> j.version() + " " + j.home()).toArray(String[]::new))
            + System.lineSeparator(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return matrix;
  }

  /** Records that a test ran on a JDK: printed and appended to {@code target/e2e/runs.txt}. */
  static void recordRun(String test, Jdk jdk) {
    String line = "[e2e] " + test + " on " + jdk + " at " + jdk.home();
    System.out.println(line);
    try {
      Path out = E2e.outputRoot();
      Files.createDirectories(out);
      Files.writeString(out.resolve("runs.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
