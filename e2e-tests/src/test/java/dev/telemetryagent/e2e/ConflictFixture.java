package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
 * The class-conflict fixture ({@code src/fixture/java}), compiled once per test JVM against exactly the libraries in
 * {@code target/conflict-libs} (its own Jackson, Byte Buddy and OpenTelemetry SDK versions), so it never sees the
 * versions managed by the parent POM.
 */
public final class ConflictFixture {

  public static final String MAIN_CLASS = "dev.telemetryagent.e2e.fixtures.ConflictApp";
  public static final String LOGGER = "com.example.conflict.ConflictApp";

  private static List<Path> classpath;

  private ConflictFixture() {}

  /** The fixture's run-time class path: its classes, then its libraries. */
  public static synchronized List<Path> classpath() {
    if (classpath == null) {
      classpath = compile();
    }
    return classpath;
  }

  private static List<Path> compile() {
    Path libsDir = E2e.conflictLibsDir();
    List<Path> libs;
    List<Path> sources;
    try (Stream<Path> l = Files.list(libsDir); Stream<Path> s = Files.walk(E2e.conflictFixtureSources())) {
      libs = l.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
      sources = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("conflict fixture inputs missing (run through Maven so that "
          + "maven-dependency-plugin fills " + libsDir + ")", e);
    }
    assertThat(libs).as("jars in %s", libsDir).hasSizeGreaterThanOrEqualTo(10);
    assertThat(sources).as("fixture sources").isNotEmpty();

    Path classes = E2e.outputRoot().resolve("conflict-app").resolve("classes");
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
    sources.forEach(p -> options.add(p.toString()));
    StringWriter errors = new StringWriter();
    int rc = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        errors.write(b);
      }
    }, true), options.toArray(new String[0]));
    assertThat(rc).as("compiling the conflict fixture: %s", errors).isZero();

    List<Path> cp = new ArrayList<>();
    cp.add(classes);
    cp.addAll(libs);
    System.out.println("[e2e] conflict fixture compiled against " + libs.stream().map(p -> p.getFileName().toString())
        .collect(Collectors.joining(", ")));
    return List.copyOf(cp);
  }
}
