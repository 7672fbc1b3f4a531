package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
    List<Path> libs = FixtureApp.jars(libsDir);
    assertThat(libs).as("jars in %s", libsDir).hasSizeGreaterThanOrEqualTo(10);
    Path classes = FixtureApp.compile("conflict-app", E2e.conflictFixtureSources(), libs);
    List<Path> cp = new ArrayList<>();
    cp.add(classes);
    cp.addAll(libs);
    System.out.println("[e2e] conflict fixture compiled against " + libs.stream().map(p -> p.getFileName().toString())
        .collect(Collectors.joining(", ")));
    return List.copyOf(cp);
  }
}
