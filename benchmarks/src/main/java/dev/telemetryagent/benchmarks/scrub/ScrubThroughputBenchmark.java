package dev.telemetryagent.benchmarks.scrub;

import dev.telemetryagent.scrub.ScrubEngine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scrub throughput on realistic log lines with the full built-in catalog, one thread. The {@code chars}
 * counter is characters scrubbed per second (= bytes/s for ASCII log text): divide by 10^6 for MB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ScrubThroughputBenchmark {
  private ScrubEngine engine;
  private List<String> lines;
  private long chars;

  /** Characters processed, reported by JMH as a rate. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Processed {
    public long chars;

    @Setup(Level.Iteration)
    public void reset() {
      chars = 0;
    }
  }

  @Setup
  public void setup() {
    engine = ScrubEngine.builtIn();
    lines = Inputs.typicalLines();
    chars = Inputs.chars(lines);
  }

  /** Scrubs the 400 typical lines once (one op = one pass over ~52 KB). */
  @Benchmark
  public void typicalLines(Processed processed, Blackhole bh) {
    for (String line : lines) {
      bh.consume(engine.scrub(line));
    }
    processed.chars += chars;
  }

  /** The same lines as structured attributes (key-based rules first, then text rules). */
  @Benchmark
  public void typicalLinesAsAttributes(Processed processed, Blackhole bh) {
    for (String line : lines) {
      bh.consume(engine.scrubAttribute("log.message", line));
    }
    processed.chars += chars;
  }
}
