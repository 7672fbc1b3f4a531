package dev.telemetryagent.benchmarks.jvm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs whole JVMs side by side: the same {@link LoggingWorkload} with no agent, with telemetry-agent exporting to a
 * local OTLP receiver, and with the OpenTelemetry Java agent exporting to the same receiver. Runs are interleaved
 * (every round runs each set-up once, in a rotating order) and the report shows medians. See docs/benchmarks.md for
 * the command.
 */
public final class JvmBenchmark {

  enum Setup { NO_AGENT, TELEMETRY_AGENT, OTEL_JAVAAGENT }

  private static final Pattern KV = Pattern.compile("^(\\w+)=(-?\\d+)$", Pattern.MULTILINE);
  private static final Pattern DROPPED = Pattern.compile("dropped=\\{([^}]*)\\}");

  /** Extra settings for telemetry-agent ({@code --agent-opt key=value}, repeatable). */
  static final List<String> AGENT_OPTIONS = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get("agent/target/telemetry-agent.jar");
    Path otelAgent = Paths.get("benchmarks/target/otel/opentelemetry-javaagent.jar");
    int rounds = 3;
    double seconds = 5;
    int startupRounds = 5;
    List<Integer> threadCounts = Arrays.asList(1, 2);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--agent": agent = Paths.get(args[++i]); break;
        case "--otel-agent": otelAgent = Paths.get(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--seconds": seconds = Double.parseDouble(args[++i]); break;
        case "--startup-rounds": startupRounds = Integer.parseInt(args[++i]); break;
        case "--threads":
          threadCounts = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).collect(Collectors.toList());
          break;
        case "--java": java = args[++i]; break;
        case "--agent-opt": AGENT_OPTIONS.add("-D" + args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (Path p : Arrays.asList(agent, otelAgent)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " not found: build with `mvn -Pbench -DskipTests package` first");
      }
    }
    Path work = Files.createTempDirectory("jvm-bench");
    String classpath = workloadClasspath(work);
    JvmBenchmark bench = new JvmBenchmark(java, classpath, agent, otelAgent, work);
    try (CountingOtlpReceiver receiver = new CountingOtlpReceiver()) {
      StringBuilder report = new StringBuilder();
      report.append(String.format(Locale.ROOT, "java: %s (%s), %d cores, %d rounds interleaved, %.0f s measured "
          + "after 2 s warm-up; telemetry-agent options: %s%n%n", javaVersion(java), java,
          Runtime.getRuntime().availableProcessors(), rounds, seconds,
          AGENT_OPTIONS.isEmpty() ? "defaults" : String.join(" ", AGENT_OPTIONS)));
      report.append(bench.startup(receiver, startupRounds));
      for (int threads : threadCounts) {
        report.append(bench.throughput(receiver, rounds, seconds, threads));
      }
      System.out.println();
      System.out.println(report);
    }
  }

  private final String java;
  private final String classpath;
  private final Path agent;
  private final Path otelAgent;
  private final Path work;

  JvmBenchmark(String java, String classpath, Path agent, Path otelAgent, Path work) {
    this.java = java;
    this.classpath = classpath;
    this.agent = agent;
    this.otelAgent = otelAgent;
    this.work = work;
  }

  /** What the workload's class path holds: SLF4J, Logback and the workload itself, what an ordinary service carries. */
  static final List<String> WORKLOAD_ENTRIES = Arrays.asList("org/slf4j/", "ch/qos/logback/",
      "META-INF/services/org.slf4j.", "META-INF/services/ch.qos.logback.",
      LoggingWorkload.class.getName().replace('.', '/'));

  /** The version the {@code java} binary the runs use reports (not this harness's own JVM's). */
  static String javaVersion(String java) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("version \"([^\"]+)\"").matcher(out);
    return m.find() ? m.group(1) : "unknown";
  }

  /**
   * A jar of the workload alone ({@link #WORKLOAD_ENTRIES}), copied out of the harness's own class path
   * (benchmarks.jar). Not benchmarks.jar itself: it also carries the agent's own modules, unshaded (the JMH
   * benchmarks use them), and the agent jar comes after the application on the system class path, so the agent would
   * load part of itself from there. The numbers before 2026-11-23 (second session) were measured that way.
   */
  static String workloadClasspath(Path work) throws IOException {
    Path jar = work.resolve("workload.jar");
    Set<String> seen = new HashSet<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path p = Paths.get(element);
        if (Files.isRegularFile(p)) {
          try (JarFile in = new JarFile(p.toFile())) {
            for (JarEntry e : Collections.list(in.entries())) {
              if (!e.isDirectory() && wanted(e.getName()) && seen.add(e.getName())) {
                out.putNextEntry(new JarEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
              }
            }
          }
        } else if (Files.isDirectory(p)) {
          try (Stream<Path> files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
              String name = p.relativize(f).toString().replace(File.separatorChar, '/');
              if (wanted(name) && seen.add(name)) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
              }
            }
          }
        }
      }
    }
    if (!seen.contains(LoggingWorkload.class.getName().replace('.', '/') + ".class")) {
      throw new IllegalStateException("the workload class is not on the class path: " + seen.size() + " entries");
    }
    return jar.toString();
  }

  private static boolean wanted(String name) {
    for (String prefix : WORKLOAD_ENTRIES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  String startup(CountingOtlpReceiver receiver, int rounds) throws Exception {
    Map<Setup, List<Long>> wall = new LinkedHashMap<>();
    Map<Setup, List<Long>> toFirstLog = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Setup s : rotate(r)) {
        Run run = run(s, receiver, 0, 0, 0);
        wall.computeIfAbsent(s, k -> new ArrayList<>()).add(run.wallMillis);
        toFirstLog.computeIfAbsent(s, k -> new ArrayList<>()).add(run.values.getOrDefault("startup_ms", -1L));
      }
    }
    long base = median(toFirstLog.get(Setup.NO_AGENT));
    long baseWall = median(wall.get(Setup.NO_AGENT));
    StringBuilder sb = new StringBuilder("### Start-up (JVM start to first log call returned; median of "
        + rounds + ")\n\n| set-up | to first log (ms) | added (ms) | whole run (ms) | added (ms) |\n|---|---|---|---|---|\n");
    for (Setup s : Setup.values()) {
      long v = median(toFirstLog.get(s));
      long w = median(wall.get(s));
      sb.append(String.format(Locale.ROOT, "| %s | %d | %+d | %d | %+d |%n", name(s), v, v - base, w, w - baseWall));
    }
    return sb.append('\n').toString();
  }

  String throughput(CountingOtlpReceiver receiver, int rounds, double seconds, int threads) throws Exception {
    Map<Setup, List<Run>> runs = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Setup s : rotate(r)) {
        Run run = run(s, receiver, threads, seconds, 2);
        runs.computeIfAbsent(s, k -> new ArrayList<>()).add(run);
        System.err.printf(Locale.ROOT, "round %d %-16s threads=%d ops/s=%d logged=%d delivered=%d rss=%d KB %s%n",
            r + 1, s, threads, run.values.get("ops_per_sec"), run.values.get("logged"), run.delivered,
            run.values.get("rss_peak_kb"), run.dropped);
      }
    }
    long base = median(values(runs.get(Setup.NO_AGENT), "ops_per_sec"));
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "### Throughput, %d thread%s (INFO to a file appender, 10%% ERROR with an exception; median of %d)%n%n"
            + "| set-up | log calls/s | vs no agent | same round, median [range] | peak RSS (MiB) | "
            + "records delivered / logged | counted as dropped |%n|---|---|---|---|---|---|---|%n", threads,
        threads == 1 ? "" : "s", rounds));
    for (Setup s : Setup.values()) {
      List<Run> rs = runs.get(s);
      long ops = median(values(rs, "ops_per_sec"));
      long rss = median(values(rs, "rss_peak_kb"));
      Run mid = rs.stream().sorted((a, b) -> Long.compare(a.values.get("ops_per_sec"), b.values.get("ops_per_sec")))
          .collect(Collectors.toList()).get(rs.size() / 2);
      String delivery = s == Setup.NO_AGENT ? "n/a" : String.format(Locale.ROOT, "%d / %d (%.1f%%)", mid.delivered,
          mid.values.get("logged"), 100.0 * mid.delivered / mid.values.get("logged"));
      sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %d | %s | %s |%n", name(s), ops,
          (double) ops / base, paired(rs, runs.get(Setup.NO_AGENT)), rss / 1024, delivery,
          s == Setup.TELEMETRY_AGENT ? mid.dropped : s == Setup.OTEL_JAVAAGENT ? "not reported" : "n/a"));
    }
    return sb.append('\n').toString();
  }

  /**
   * The ratio to no agent within each round (the runs of one round are minutes apart at most, so they share the
   * machine's state more than runs of different rounds do): median and range over the rounds.
   */
  private static String paired(List<Run> setup, List<Run> noAgent) {
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < setup.size(); r++) {
      ratios.add((double) setup.get(r).values.get("ops_per_sec") / noAgent.get(r).values.get("ops_per_sec"));
    }
    Collections.sort(ratios);
    return String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", ratios.get(ratios.size() / 2), ratios.get(0),
        ratios.get(ratios.size() - 1));
  }

  private static List<Setup> rotate(int round) {
    List<Setup> order = new ArrayList<>(Arrays.asList(Setup.values()));
    Collections.rotate(order, round);
    return order;
  }

  private static String name(Setup s) {
    switch (s) {
      case NO_AGENT: return "no agent";
      case TELEMETRY_AGENT: return "telemetry-agent";
      default: return "OpenTelemetry Java agent 2.33.1";
    }
  }

  private static List<Long> values(List<Run> runs, String key) {
    return runs.stream().map(r -> r.values.getOrDefault(key, -1L)).collect(Collectors.toList());
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private Run run(Setup setup, CountingOtlpReceiver receiver, int threads, double seconds, double warmup)
      throws IOException, InterruptedException {
    receiver.reset();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx512m");
    if (setup == Setup.TELEMETRY_AGENT) {
      cmd.add("-javaagent:" + agent.toAbsolutePath());
      cmd.add("-Dotel.service.name=bench");
      cmd.add("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint());
      cmd.add("-Dtelemetry.agent.debug=true");
      cmd.addAll(AGENT_OPTIONS);
    } else if (setup == Setup.OTEL_JAVAAGENT) {
      cmd.add("-javaagent:" + otelAgent.toAbsolutePath());
      cmd.add("-Dotel.service.name=bench");
      cmd.add("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint());
      cmd.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      cmd.add("-Dotel.traces.exporter=none");
      cmd.add("-Dotel.metrics.exporter=none");
      cmd.add("-Dotel.logs.exporter=otlp");
    }
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(LoggingWorkload.class.getName());
    cmd.add("--threads");
    cmd.add(String.valueOf(Math.max(1, threads)));
    cmd.add("--seconds");
    cmd.add(String.valueOf(seconds));
    cmd.add("--warmup");
    cmd.add(String.valueOf(warmup));
    cmd.add("--log-file");
    cmd.add(work.resolve("app.log").toString());
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor((long) (seconds + warmup) + 120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(setup + " did not finish; see " + err);
    }
    long wall = (System.nanoTime() - t0) / 1_000_000;
    // The process has exited: every agent flushed what it was going to flush. Let the receiver finish decoding.
    long last = -1;
    for (int i = 0; i < 50 && receiver.records() != last; i++) {
      last = receiver.records();
      Thread.sleep(100);
    }
    String stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
    String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(setup + " exited " + p.exitValue() + ": " + stderr);
    }
    Map<String, Long> values = new LinkedHashMap<>();
    Matcher m = KV.matcher(stdout);
    while (m.find()) {
      values.put(m.group(1), Long.parseLong(m.group(2)));
    }
    Matcher d = DROPPED.matcher(stderr);
    String dropped = "none";
    while (d.find()) {
      dropped = d.group(1).isEmpty() ? "none" : d.group(1);
    }
    return new Run(values, receiver.records(), wall, dropped);
  }

  private static final class Run {
    final Map<String, Long> values;
    final long delivered;
    final long wallMillis;
    final String dropped;

    Run(Map<String, Long> values, long delivered, long wallMillis, String dropped) {
      this.values = values;
      this.delivered = delivered;
      this.wallMillis = wallMillis;
      this.dropped = dropped;
    }
  }
}
