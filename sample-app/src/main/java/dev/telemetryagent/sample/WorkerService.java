package dev.telemetryagent.sample;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.ThreadContext;
import org.slf4j.MDC;

/**
 * An ordinary worker service: a producer puts jobs on an in-memory queue, a few worker threads take them and run
 * them through billing (SLF4J + Logback), inventory (Log4j 2 API + log4j-core) and shipping (java.util.logging).
 * Every framework logs at every level, with parameterised messages, MDC / ThreadContext entries ({@code jobId},
 * {@code tenant}) and, for some jobs, exceptions with causes whose messages carry obviously fake credentials.
 *
 * <p>Usage: {@code java -jar sample-app.jar [--threads N] [--jobs N] [--seed S] [--interval-ms MS]}, or
 * {@code --storm SECONDS [--storm-rate N]} for an error storm ({@link Storm}: one repeated ERROR with an exception
 * about N times a second plus a spread of distinct errors, then a {@code storm: logged total=N ...} line).
 *
 * <p>Console (stdout) format, no timestamps, one record per write so concurrent records never interleave:
 *
 * <pre>
 * pid=12345                                                    (always the first line)
 * logback INFO [worker-1] com.example.worker.billing [jobId=7 tenant=acme] - charged order ord-10007: 12.50 EUR
 * log4j WARN [worker-2] com.example.worker.inventory [jobId=8 tenant=globex] - low stock for sku-123: 3 units left
 * jul INFO [worker-3] com.example.worker.shipping - label lbl-1a2b3 printed for order ord-10009 via dhl
 * java.lang.IllegalStateException: ...                        (stack trace lines follow a record with a throwable)
 * processed 60 jobs                                            (the last line, with --jobs)
 * </pre>
 *
 * <p>Logger names ({@code com.example.worker.billing|inventory|shipping}) are deliberately outside
 * {@code dev.telemetryagent.}: this stands for someone else's service, and the agent never captures loggers in its
 * own namespace.
 *
 * <p>Everything printed for a job depends only on the job's number and the seed, so two runs with the same
 * arguments print the same multiset of lines once thread names are normalised.
 */
public final class WorkerService {

  private static final Job POISON = new Job(0, 0);

  private final int threads;
  private final Integer jobs;
  private final long seed;
  private final long intervalMs;
  private final AtomicInteger processed = new AtomicInteger();
  private volatile boolean stopping;

  private WorkerService(int threads, Integer jobs, long seed, long intervalMs) {
    this.threads = threads;
    this.jobs = jobs;
    this.seed = seed;
    this.intervalMs = intervalMs;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("pid=" + ProcessHandle.current().pid());
    System.out.flush();

    int threads = 3;
    Integer jobs = null;
    long seed = 42;
    Long intervalMs = null;
    boolean errorPaths = false;
    boolean dieInMain = false;
    boolean tracedRequest = false;
    Double stormSeconds = null;
    int stormRate = Storm.DEFAULT_RATE;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--threads":
            threads = Integer.parseInt(value(args, ++i, arg));
            break;
          case "--jobs":
            jobs = Integer.parseInt(value(args, ++i, arg));
            break;
          case "--seed":
            seed = Long.parseLong(value(args, ++i, arg));
            break;
          case "--interval-ms":
            intervalMs = Long.parseLong(value(args, ++i, arg));
            break;
          case "--error-paths":
            errorPaths = true;
            break;
          case "--die-in-main":
            dieInMain = true;
            break;
          case "--traced-request":
            tracedRequest = true;
            break;
          case "--storm":
            stormSeconds = Double.parseDouble(value(args, ++i, arg));
            break;
          case "--storm-rate":
            stormRate = Integer.parseInt(value(args, ++i, arg));
            break;
          case "-h":
          case "--help":
            usage(System.out);
            return;
          default:
            throw new IllegalArgumentException("unknown argument: " + arg);
        }
      }
      if (stormSeconds != null && !(stormSeconds > 0 && stormSeconds <= 600)) {
        throw new IllegalArgumentException("--storm needs a number of seconds between 0 and 600");
      }
      if (stormRate < 1) {
        throw new IllegalArgumentException("--storm-rate must be at least 1");
      }
      if (threads < 1 || (jobs != null && jobs < 0) || (intervalMs != null && intervalMs < 0)) {
        throw new IllegalArgumentException("--threads must be at least 1, --jobs and --interval-ms not negative");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("sample-app: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }

    if (stormSeconds != null) {
      Storm.run(stormSeconds, stormRate); // only the storm, then the summary line
      return;
    }
    if (tracedRequest) {
      TracedRequest.run(); // only one traced request that fails
      return;
    }
    if (errorPaths) {
      ErrorJobs.run(dieInMain); // only the jobs that fail on paths no appender sees
      return;
    }
    JulConsole.install();
    long interval = intervalMs != null ? intervalMs : (jobs != null ? 0 : 200);
    new WorkerService(threads, jobs, seed, interval).run();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar sample-app.jar [--threads N] [--jobs N] [--seed S] [--interval-ms MS] "
        + "[--error-paths [--die-in-main]] [--traced-request] [--storm SECONDS [--storm-rate N]]");
    out.println("  --threads N       worker threads (default 3)");
    out.println("  --jobs N          stop after N jobs and exit 0 (default: run until stopped)");
    out.println("  --seed S          seed for job contents (default 42)");
    out.println("  --interval-ms MS  pause between jobs (default 0 with --jobs, else 200)");
    out.println("  --error-paths     run only the jobs that fail where no log appender sees it, then exit");
    out.println("  --die-in-main     with --error-paths: finally let main die of an uncaught exception");
    out.println("  --traced-request  run only one request, traced with the OpenTelemetry API, that fails");
    out.println("  --storm SECONDS   run only an error storm: one ERROR with an exception (same type, template and");
    out.println("                    throw site, varying order number) logged --storm-rate times a second, mostly");
    out.println("                    through SLF4J/Logback, 1 in 40 each through Log4j and JUL, plus 20 distinct");
    out.println("                    errors logged 3 times each; the storm's loggers print nothing. Then prints");
    out.println("                    'storm: logged total=N repeated=N distinct=20 distinctRecords=60 ...' and exits");
    out.println("  --storm-rate N    repeated errors per second in the storm (default " + Storm.DEFAULT_RATE + ");");
    out.println("                    a machine that cannot keep up logs what it can, and the summary says so");
  }

  private void run() throws InterruptedException {
    Billing.starting(threads, seed, jobs == null ? "unbounded" : String.valueOf(jobs));
    Inventory.starting(900);
    Shipping.starting(4);

    BlockingQueue<Job> queue = new ArrayBlockingQueue<>(64);
    List<Thread> workers = new ArrayList<>();
    for (int i = 1; i <= threads; i++) {
      Thread t = new Thread(() -> work(queue), "worker-" + i);
      workers.add(t);
      t.start();
    }

    CountDownLatch done = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    if (jobs == null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Billing.shutdownRequested(processed.get()); // logged from a shutdown hook: it must still be exported
        stopping = true;
        main.interrupt();
        try {
          done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "sample-app-shutdown"));
    }

    try {
      for (int n = 1; (jobs == null || n <= jobs) && !stopping; n++) {
        queue.put(new Job(n, seed));
        if (intervalMs > 0) {
          Thread.sleep(intervalMs);
        }
      }
    } catch (InterruptedException e) {
      // Stopped by the shutdown hook: finish what is queued, then report.
    }
    Thread.interrupted();
    for (int i = 0; i < threads; i++) {
      queue.put(POISON);
    }
    for (Thread t : workers) {
      t.join();
    }
    if (!stopping) {
      Billing.stopped(processed.get());
      Inventory.stopped(processed.get());
      Shipping.stopped(processed.get());
    }
    System.out.println("processed " + processed.get() + " jobs");
    System.out.flush();
    done.countDown();
  }

  private void work(BlockingQueue<Job> queue) {
    Billing billing = new Billing();
    Inventory inventory = new Inventory();
    Shipping shipping = new Shipping();
    while (true) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (job == POISON) {
        return;
      }
      String jobId = String.valueOf(job.number);
      MDC.put("jobId", jobId);
      MDC.put("tenant", job.tenant);
      ThreadContext.put("jobId", jobId);
      ThreadContext.put("tenant", job.tenant);
      try {
        billing.process(job);
        inventory.process(job);
        shipping.process(job);
      } finally {
        MDC.clear();
        ThreadContext.clearMap();
      }
      processed.incrementAndGet();
    }
  }
}
