package dev.telemetryagent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension handing out {@link JvmProcess} builders whose output goes to
 * {@code target/e2e/<TestClass>/<method>-<invocation>/<run>/}, and killing every process it started after each
 * test, whatever the outcome. Use with {@code @RegisterExtension final JvmProcesses jvms = new JvmProcesses();}.
 */
public final class JvmProcesses implements BeforeEachCallback, AfterEachCallback {

  private final List<JvmProcess> started = new ArrayList<>();
  private Path testDir;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    String clazz = context.getRequiredTestClass().getSimpleName();
    String method = context.getRequiredTestMethod().getName();
    testDir = E2e.outputRoot().resolve(clazz).resolve(E2e.sanitize(method + "-" + context.getDisplayName()));
    if (Files.exists(testDir)) {
      deleteRecursively(testDir);
    }
    Files.createDirectories(testDir);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (started) {
      for (JvmProcess p : started) {
        p.close();
      }
      started.clear();
    }
  }

  /** This test invocation's directory under {@code target/e2e}, fresh for each run. */
  public Path dir() {
    return testDir;
  }

  /** A builder whose output goes to {@code dir()/<name>} and whose process is killed after the test. */
  public JvmProcess.Builder builder(String name) {
    return JvmProcess.builder(name)
        .outputDir(testDir.resolve(E2e.sanitize(name)))
        .onStart(p -> {
          synchronized (started) {
            started.add(p);
          }
        });
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
