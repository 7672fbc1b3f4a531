package dev.telemetryagent.benchmarks.scrub;

import dev.telemetryagent.scrub.ScrubEngine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Worst cases: time to scrub one adversarial string of {@code length} chars with the full catalog and the size
 * budget lifted (so the whole input is scanned). Compare 131072 with 1048576 chars: linear time means ~8x.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ScrubAdversarialBenchmark {
  @Param({"log-line-1mb", "repeated-a", "repeated-digits", "many-at-signs", "half-formed-jwts",
      "keywords-without-values", "unterminated-quotes", "dotted-numbers", "pem-headers"})
  public String input;

  @Param({"131072", "1048576"})
  public int length;

  private ScrubEngine engine;
  private String text;

  @Setup
  public void setup() {
    engine = ScrubEngine.builder().maxInputChars(Integer.MAX_VALUE).build();
    text = Inputs.adversarial(input, length);
  }

  @Benchmark
  public String scrub() {
    return engine.scrub(text);
  }
}
