package dev.telemetryagent.benchmarks.jvm;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application side of the whole-JVM benchmark: SLF4J + Logback logging INFO to a file appender from N threads,
 * with one call in ten an ERROR carrying an exception. Prints machine-readable {@code key=value} lines:
 *
 * <pre>
 *   startup_ms=...        JVM start (from the OS) to the first log call returning
 *   ops_per_sec=...       log calls per second in the measured window (after warm-up)
 *   logged=...            every log call made, warm-up included (what an agent should deliver)
 *   rss_peak_kb=...       VmHWM from /proc/self/status at the end
 * </pre>
 *
 * {@code --seconds 0} only starts, logs once and exits (the start-up measurement).
 */
public final class LoggingWorkload {

  private static final Logger LOG = LoggerFactory.getLogger("bench.orders");

  public static void main(String[] args) throws Exception {
    int threads = 1;
    double seconds = 5;
    double warmup = 2;
    String file = "target/bench-app.log";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads":
          threads = Integer.parseInt(args[++i]);
          break;
        case "--seconds":
          seconds = Double.parseDouble(args[++i]);
          break;
        case "--warmup":
          warmup = Double.parseDouble(args[++i]);
          break;
        case "--log-file":
          file = args[++i];
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    configureLogback(file);
    LOG.info("workload starting with {} threads", threads);
    long startupMs = System.currentTimeMillis()
        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("startup_ms=" + startupMs);
    if (seconds <= 0) {
      System.out.println("logged=1");
      System.out.println("rss_peak_kb=" + peakRssKb());
      return;
    }

    LongAdder total = new LongAdder();
    LongAdder measured = new LongAdder();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      final int id = t;
      Thread worker = new Thread(() -> {
        long n = 0;
        IllegalStateException failure = new IllegalStateException("payment gateway timed out",
            new java.net.SocketTimeoutException("read timed out after 3000 ms"));
        while (!stop.get()) {
          n++;
          if (n % 10 == 0) {
            LOG.error("order {} failed on worker {}", n, id, failure);
          } else {
            LOG.info("order {} processed on worker {} in {} ms", n, id, n % 17);
          }
          total.increment();
          if (measuring.get()) {
            measured.increment();
          }
        }
        done.countDown();
      }, "bench-worker-" + t);
      worker.start();
    }
    Thread.sleep((long) (warmup * 1000));
    measuring.set(true);
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    measuring.set(false);
    long elapsed = System.nanoTime() - t0;
    stop.set(true);
    done.await();
    System.out.println("ops_per_sec=" + (long) (measured.sum() / (elapsed / 1e9)));
    System.out.println("logged=" + (total.sum() + 1));
    System.out.println("rss_peak_kb=" + peakRssKb());
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }

  private static void configureLogback(String file) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setFile(file);
    appender.setAppend(false);
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }

  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
