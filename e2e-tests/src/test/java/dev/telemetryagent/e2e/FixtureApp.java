package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Fixture applications ({@code src/fixture*}): compiled at test time against exactly the jars Maven copied for
 * them, so they never see the versions managed by the parent POM.
 */
final class FixtureApp {

  private FixtureApp() {}

  /** The jars in {@code dir}, sorted; fails with a hint when Maven has not filled it. */
  static List<Path> jars(Path dir) {
    try (Stream<Path> l = Files.list(dir)) {
      return l.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("fixture libraries missing (run through Maven so that "
          + "maven-dependency-plugin fills " + dir + ")", e);
    }
  }

  /** Compiles every source under {@code sources} against {@code libs}; returns the classes directory. */
  static Path compile(String name, Path sources, List<Path> libs) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(sources)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("fixture sources missing: " + sources, e);
    }
    assertThat(files).as("fixture sources in %s", sources).isNotEmpty();
    Path classes = E2e.outputRoot().resolve(name).resolve("classes");
    try {
      Files.createDirectories(classes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK (javax.tools compiler) running the tests").isNotNull();
    List<String> options = new ArrayList<>(List.of(
        "--release", "11",
        "-proc:none",
        "-encoding", "UTF-8",
        "-d", classes.toString(),
        "-cp", libs.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator))));
    files.forEach(p -> options.add(p.toString()));
    StringWriter errors = new StringWriter();
    int rc = javac.run(null, null, new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        errors.write(b);
      }
    }, true), options.toArray(new String[0]));
    assertThat(rc).as("compiling fixture %s: %s", name, errors).isZero();
    return classes;
  }
}
