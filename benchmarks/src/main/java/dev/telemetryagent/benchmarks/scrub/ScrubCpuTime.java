package dev.telemetryagent.benchmarks.scrub;

import dev.telemetryagent.scrub.ScrubEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Complement to the JMH benchmarks for shared machines: scrub throughput measured against the scrubbing
 * thread's own CPU time (ThreadMXBean), so time the thread spends descheduled by other processes does not
 * count. Prints the best and median of {@code rounds} one-second rounds after warm-up, for the typical lines
 * and for each adversarial input at 1 MiB.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.telemetryagent.benchmarks.scrub.ScrubCpuTime [rounds]</pre>
 */
public final class ScrubCpuTime {
  private ScrubCpuTime() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ScrubEngine engine = ScrubEngine.builtIn();
    List<String> lines = Inputs.typicalLines();
    long chars = Inputs.chars(lines);
    report("typical-lines", rounds, mx, chars, () -> {
      long sink = 0;
      for (String l : lines) {
        sink += engine.scrub(l).length();
      }
      return sink;
    });
    ScrubEngine unbounded = ScrubEngine.builder().maxInputChars(Integer.MAX_VALUE).build();
    for (String input : new String[] {"log-line-1mb", "repeated-a", "repeated-digits", "many-at-signs",
        "half-formed-jwts", "keywords-without-values", "unterminated-quotes", "dotted-numbers", "pem-headers"}) {
      String text = Inputs.adversarial(input, 1 << 20);
      report(input + " (1 MiB)", Math.max(3, rounds / 3), mx, text.length(), () -> unbounded.scrub(text).length());
    }
  }

  interface Pass {
    long run();
  }

  private static void report(String name, int rounds, ThreadMXBean mx, long charsPerPass, Pass pass) {
    double[] mbs = new double[rounds];
    long sink = 0;
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      long c0 = mx.getCurrentThreadCpuTime();
      long passes = 0;
      do {
        sink += pass.run();
        passes++;
      } while (mx.getCurrentThreadCpuTime() - c0 < 1_000_000_000L);
      double seconds = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
      if (r >= 0) {
        mbs[r] = charsPerPass * (double) passes / seconds / 1e6;
      }
    }
    java.util.Arrays.sort(mbs);
    System.out.printf(Locale.ROOT, "%-36s best %8.1f  median %8.1f  MB per CPU-second%s%n", name, mbs[rounds - 1],
        mbs[rounds / 2], sink == 42 ? " " : "");
  }
}
