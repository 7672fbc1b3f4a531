package dev.telemetryagent.benchmarks.jvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storm, whole JVMs side by side: {@code sample-app --storm S --storm-rate R} (one ERROR with an exception as
 * fast as the application can log it, plus 20 distinct errors) without an agent and with telemetry-agent exporting
 * to a local OTLP receiver with its default processor, interleaved rounds, medians of the rate the application
 * achieved. With the agent it also reports what reached the receiver and the agent's own account at exit.
 *
 * <pre>
 * mvn -Pbench -DskipTests package
 * java -cp benchmarks/target/benchmarks.jar dev.telemetryagent.benchmarks.jvm.StormThroughput [--rounds 3]
 *     [--seconds 5] [--rate 100000000]
 * </pre>
 */
public final class StormThroughput {

  private static final Pattern ACHIEVED = Pattern.compile("achievedRate=(\\d+)");
  private static final Pattern TOTAL = Pattern.compile("storm: logged total=(\\d+)");
  private static final Pattern AT_EXIT = Pattern.compile("\\[telemetry-agent] at exit: (.*)");

  public static void main(String[] args) throws Exception {
    Path agent = Paths.get("agent/target/telemetry-agent.jar");
    Path app = Paths.get("sample-app/target/sample-app.jar");
    int rounds = 3;
    double seconds = 5;
    long rate = 100_000_000L;
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--agent": agent = Paths.get(args[++i]); break;
        case "--app": app = Paths.get(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--seconds": seconds = Double.parseDouble(args[++i]); break;
        case "--rate": rate = Long.parseLong(args[++i]); break;
        case "--java": java = args[++i]; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (Path p : new Path[] {agent, app}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " not found: build with `mvn -Pbench -DskipTests package` first");
      }
    }
    Path work = Files.createTempDirectory("storm-bench");
    List<Long> without = new ArrayList<>();
    List<Long> with = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    try (CountingOtlpReceiver receiver = new CountingOtlpReceiver()) {
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < 2; k++) {
          boolean agentOn = (round + k) % 2 == 0;
          receiver.reset();
          List<String> cmd = new ArrayList<>();
          cmd.add(java);
          cmd.add("-Xmx512m");
          if (agentOn) {
            cmd.add("-javaagent:" + agent.toAbsolutePath());
            cmd.add("-Dotel.service.name=storm-bench");
            cmd.add("-Dotel.exporter.otlp.endpoint=" + receiver.endpoint());
            cmd.add("-Dtelemetry.agent.debug=true");
          }
          cmd.add("-jar");
          cmd.add(app.toAbsolutePath().toString());
          cmd.add("--storm");
          cmd.add(String.valueOf(seconds));
          cmd.add("--storm-rate");
          cmd.add(String.valueOf(Math.min(rate, Integer.MAX_VALUE)));
          Path out = work.resolve("out.txt");
          Path err = work.resolve("err.txt");
          Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
          if (!p.waitFor((long) seconds + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the storm did not finish; see " + err);
          }
          String stdout = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
          String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
          Matcher achieved = ACHIEVED.matcher(stdout);
          Matcher total = TOTAL.matcher(stdout);
          if (p.exitValue() != 0 || !achieved.find() || !total.find()) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + stdout + stderr);
          }
          long r = Long.parseLong(achieved.group(1));
          if (agentOn) {
            long last = -1;
            for (int i = 0; i < 50 && receiver.records() != last; i++) {
              last = receiver.records();
              Thread.sleep(100);
            }
            Matcher account = AT_EXIT.matcher(stderr);
            with.add(r);
            accounts.add(String.format(Locale.ROOT, "logged %s, receiver got %d records; %s", total.group(1),
                receiver.records(), account.find() ? account.group(1) : "(no account)"));
          } else {
            without.add(r);
          }
          System.out.printf(Locale.ROOT, "round %d %-10s %,d calls/s%n", round + 1, agentOn ? "agent" : "no agent", r);
        }
      }
    }
    long a = median(without);
    long b = median(with);
    System.out.println();
    System.out.printf(Locale.ROOT, "java %s, %d cores, %d rounds interleaved, %.0f s storm each%n",
        JvmBenchmark.javaVersion(java), Runtime.getRuntime().availableProcessors(), rounds, seconds);
    System.out.printf(Locale.ROOT, "| | storm calls/s (median) | ratio |%n|---|---:|---:|%n");
    System.out.printf(Locale.ROOT, "| no agent | %,d | 1.00 |%n", a);
    System.out.printf(Locale.ROOT, "| telemetry-agent | %,d | %.2f |%n", b, (double) b / a);
    System.out.println();
    accounts.forEach(s -> System.out.println("telemetry-agent run: " + s));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
