package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attach benchmark: how long an application is paused while the agent is attached and retransforms its logging
 * classes. The probe ({@code src/probe/java/PauseProbe.java}) ticks every 1 ms and logs through all three
 * frameworks; the JVM logs its safepoints ({@code -Xlog:safepoint}). Reported: the RedefineClasses safepoints
 * (the retransformation pauses proper), every safepoint during the attach, and the longest tick gap during the
 * attach next to the longest in the same time before it (the machine's own noise). Numbers go to stdout and
 * {@code target/e2e/attach-pause.txt}; docs/benchmarks.md records a run.
 */
class AttachPauseTest {

  private static final Pattern SAFEPOINT = Pattern.compile(
      "Safepoint \"([A-Za-z0-9_]+)\".*Total: (\\d+) ns");

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("dev.telemetryagent.e2e.Jdks#matrix")
  void pauseWhileAttaching(Jdk jdk) throws IOException {
    Jdks.recordRun("AttachPauseTest", jdk);
    Path safepointLog = jvms.dir().resolve("safepoint.log");
    Path libs = E2e.sampleAppJar().getParent().resolve("lib");
    List<Path> classpath;
    try (Stream<Path> s = Files.list(libs)) {
      classpath = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
    JvmProcess probe = jvms.builder("probe")
        .jdk(jdk)
        .jvmArg("-Xlog:safepoint:file=" + safepointLog + ":uptime")
        .systemProperty("log4j2.level", "WARN")
        .classpath(classpath, Paths.get("src/probe/java/PauseProbe.java").toAbsolutePath().toString())
        .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> probe.stdout().contains("ready"));
    long baselineStart = System.currentTimeMillis();
    sleep(3000);
    long attachStart = System.currentTimeMillis();
    List<String> cliArgs = new ArrayList<>(List.of("attach", Long.toString(probe.pid()),
        "-Dtelemetry.agent.file.directory=" + jvms.dir().resolve("files")));
    String batch = System.getProperty("attach.pause.batch-size", "");
    if (!batch.isBlank()) { // to compare batch sizes: -Dattach.pause.batch-size=1 (the surefire JVM's property)
      cliArgs.add("-Dtelemetry.agent.retransform.batch-size=" + batch);
    }
    AgentCli.Result r = new AgentCli(jvms, jdk).run(cliArgs.toArray(new String[0]));
    long attachEnd = System.currentTimeMillis();
    assertThat(r.exitCode).as("%s%n%s", r, probe.describe()).isZero();
    sleep(1000);
    probe.close();

    long baselineGap = maxGapMicros(probe.stdoutLines(), baselineStart, attachStart);
    long attachGap = maxGapMicros(probe.stdoutLines(), attachStart, attachEnd + 500);
    List<Long> redefine = new ArrayList<>();
    long otherMax = 0;
    java.util.Map<String, Long> byOperation = new java.util.TreeMap<>();
    int count = 0;
    for (String line : Files.readAllLines(safepointLog)) {
      Matcher m = SAFEPOINT.matcher(line);
      if (!m.find()) {
        continue;
      }
      count++;
      long ns = Long.parseLong(m.group(2));
      if (m.group(1).equals("RedefineClasses")) {
        redefine.add(ns);
      } else {
        otherMax = Math.max(otherMax, ns);
        byOperation.merge(m.group(1), ns, Math::max);
      }
    }
    String report = String.format("%s, batch size %s: attach (CLI) %d ms; RedefineClasses safepoints: %d, longest %.2f ms, "
            + "total %.2f ms; other safepoints: %d, longest %.2f ms; longest 1 ms-tick gap during attach %.1f ms "
            + "(same span before attach: %.1f ms)",
        jdk, batch.isBlank() ? "default" : batch, attachEnd - attachStart, redefine.size(), redefine.stream().mapToLong(Long::longValue).max()
            .orElse(0) / 1e6, redefine.stream().mapToLong(Long::longValue).sum() / 1e6, count - redefine.size(),
        otherMax / 1e6, attachGap / 1e3, baselineGap / 1e3)
        + "; longest other safepoint by operation (ms): " + byOperation.entrySet().stream()
            .map(e -> e.getKey() + " " + String.format("%.2f", e.getValue() / 1e6)).collect(Collectors.joining(", "));
    System.out.println("[e2e] " + report);
    Files.writeString(E2e.outputRoot().resolve("attach-pause.txt"), report + System.lineSeparator(),
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

    assertThat(redefine).as("the logging classes were retransformed (safepoint log %s)", safepointLog)
        .isNotEmpty();
    // Generous bound on a shared 2-core machine: a retransformation pause of this size would be a regression.
    assertThat(redefine).allSatisfy(ns -> assertThat(ns).isLessThan(250_000_000L));
  }

  private static long maxGapMicros(List<String> lines, long fromMillis, long toMillis) {
    long max = 0;
    for (String l : lines) {
      if (l.startsWith("gap ")) {
        String[] p = l.split(" ");
        long at = Long.parseLong(p[1]);
        if (at >= fromMillis && at <= toMillis) {
          max = Math.max(max, Long.parseLong(p[2]));
        }
      }
    }
    return max;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
