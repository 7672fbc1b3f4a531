package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness without the agent: the packaged sample app is deterministic and its console countable, and the
 * class-conflict fixture runs on its own libraries. These pass whether or not the agent has been built.
 */
class HarnessSelfTest {

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void sampleAppIsDeterministicAndCountable(Jdk jdk) {
    Jdks.recordRun("HarnessSelfTest.sampleAppIsDeterministicAndCountable", jdk);
    JvmProcess a = jvms.builder("run-a").jdk(jdk).jar(E2e.sampleAppJar()).args("--jobs", "30").start();
    JvmProcess b = jvms.builder("run-b").jdk(jdk).jar(E2e.sampleAppJar()).args("--jobs", "30").start();
    a.assertExitsCleanly(E2e.APP_TIMEOUT);
    b.assertExitsCleanly(E2e.APP_TIMEOUT);

    List<String> out = a.stdoutLines();
    assertThat(out.get(0)).isEqualTo("pid=" + a.pid());
    assertThat(out.get(out.size() - 1)).isEqualTo("processed 30 jobs");
    assertThat(a.stderr()).isEmpty();

    SampleAppConsole console = SampleAppConsole.parse(out);
    assertThat(console.strayLines()).isEmpty();
    assertThat(console.processedJobs()).isEqualTo(30);
    Map<String, Long> counts = SampleAppConsole.countByFrameworkAndLevel(console.events());
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(new TreeSet<>(Set.of(
        "jul SEVERE", "jul WARNING", "jul INFO", "jul CONFIG", "jul FINE", "jul FINER", "jul FINEST",
        "log4j FATAL", "log4j ERROR", "log4j WARN", "log4j INFO", "log4j DEBUG", "log4j TRACE",
        "logback ERROR", "logback WARN", "logback INFO", "logback DEBUG", "logback TRACE")));
    assertThat(console.events()).filteredOn(SampleAppConsole.Event::hasThrowable)
        .isNotEmpty()
        .allSatisfy(e -> {
          assertThat(e.severityNumber()).isEqualTo(17);
          assertThat(e.stackTrace).anyMatch(l -> l.startsWith("Caused by: "));
        });
    assertThat(console.events()).anyMatch(SampleAppConsole.Event::messageIsSensitive);

    assertThat(Outputs.normalizedSorted(b.stdoutLines()))
        .as("two runs with the same --jobs print the same lines (thread names normalised)")
        .isEqualTo(Outputs.normalizedSorted(out));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void conflictFixtureRunsOnItsOwnLibraries(Jdk jdk) {
    Jdks.recordRun("HarnessSelfTest.conflictFixtureRunsOnItsOwnLibraries", jdk);
    JvmProcess app = jvms.builder("conflict-app").jdk(jdk)
        .classpath(ConflictFixture.classpath(), ConflictFixture.MAIN_CLASS)
        .start()
        .assertExitsCleanly(E2e.APP_TIMEOUT);
    ConflictChecks.assertSawItsOwnLibraries(app.stdoutLines());
  }
}
