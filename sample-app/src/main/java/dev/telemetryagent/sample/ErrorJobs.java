package dev.telemetryagent.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Jobs that fail on paths no log appender sees, one after the other, each printing one line on stdout so that the
 * output with and without an agent can be compared:
 *
 * <ul>
 *   <li>{@code thread-dies}: a thread with the application's own uncaught handler dies; the handler reports on
 *       stdout which exception it saw (type, message, identity hash);
 *   <li>{@code thread-dies-default}: a thread without a handler dies; the JVM's default handler prints the trace on
 *       stderr;
 *   <li>{@code virtual-thread-dies}: on JDK 21+, a virtual thread without a handler dies;
 *   <li>{@code print-stack-trace}: legacy code catches an exception and calls {@code printStackTrace()};
 *   <li>{@code submit-unread}: a {@code submit()}ed task fails and nobody ever reads its Future;
 *   <li>{@code periodic-dies}: a periodic task throws on its third run and silently stops repeating;
 *   <li>{@code execute-throws}: a task run with {@code execute()} throws (the pool prints it, the worker dies);
 *   <li>{@code async-fails}: {@code CompletableFuture.supplyAsync} fails; the application handles it with
 *       {@code exceptionally}.
 * </ul>
 *
 * <p>With {@code --die-in-main}, the main thread finally dies of an uncaught exception (exit code 1).
 */
final class ErrorJobs {

  static final String PREFIX = "error-paths: ";

  private ErrorJobs() {}

  static void run(boolean dieInMain) throws Exception {
    threadDies();
    threadDiesWithDefaultHandler();
    virtualThreadDies();
    printStackTrace();
    submitUnread();
    periodicDies();
    executeThrows();
    asyncFails();
    say("done");
    if (dieInMain) {
      throw new IllegalStateException("main gave up: configuration store unreachable",
          new SocketTimeoutException("connect timed out after 3000 ms"));
    }
  }

  static void say(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }

  private static void threadDies() throws InterruptedException {
    CountDownLatch handled = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      IllegalStateException e = new IllegalStateException("reaper lost its lease",
          new UncheckedIOException(new IOException("lease file vanished")));
      thrown.set(e);
      throw e;
    }, "reaper-1");
    t.setUncaughtExceptionHandler((thread, e) -> {
      say("handler saw " + e + " on " + thread.getName() + " (same instance: " + (e == thrown.get()) + ")");
      handled.countDown();
    });
    t.start();
    t.join();
    handled.await(10, TimeUnit.SECONDS);
  }

  private static void threadDiesWithDefaultHandler() throws InterruptedException {
    Thread t = new Thread(() -> {
      throw new IllegalArgumentException("unknown region: mars-1");
    }, "importer-1");
    t.start();
    t.join();
    say("importer-1 died");
  }

  /** A virtual thread dies (JDK 21+; found reflectively, the app is built for Java 11). */
  private static void virtualThreadDies() throws Exception {
    Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      say("no virtual threads on this JDK");
      return;
    }
    Class<?> builderType = Class.forName("java.lang.Thread$Builder");
    Object builder = builderType.getMethod("name", String.class).invoke(ofVirtual.invoke(null), "virtual-1");
    Runnable body = () -> {
      throw new IllegalStateException("virtual worker gave up");
    };
    Thread t = (Thread) builderType.getMethod("start", Runnable.class).invoke(builder, body);
    t.join();
    say("virtual-1 died");
  }

  private static void printStackTrace() {
    try {
      loadTariffs();
    } catch (IOException e) {
      e.printStackTrace();
    }
    say("tariffs not loaded");
    try {
      loadRates();
    } catch (IOException e) {
      e.printStackTrace(new PrintWriter(System.err, true)); // a writer on the console: reported
    }
    StringWriter kept = new StringWriter();
    new IllegalStateException("kept in a string").printStackTrace(new PrintWriter(kept)); // not reported
    say("rates not loaded; kept " + kept.toString().split("\n", 2)[0]);
  }

  private static void loadRates() throws IOException {
    throw new java.nio.file.AccessDeniedException("/var/lib/sample-app/rates.json");
  }

  private static void loadTariffs() throws IOException {
    throw new java.io.FileNotFoundException("/etc/sample-app/tariffs.csv (No such file or directory)");
  }

  private static void submitUnread() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(1, named("mailer"));
    CountDownLatch ran = new CountDownLatch(1);
    @SuppressWarnings("unused")
    Future<?> ignored = pool.submit(() -> {
      ran.countDown();
      throw new IllegalStateException("smtp relay refused the newsletter");
    });
    ran.await(10, TimeUnit.SECONDS);
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    say("newsletter submitted");
  }

  private static void periodicDies() throws InterruptedException {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("heartbeat"));
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> beat = scheduler.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 3) {
        throw new IllegalStateException("heartbeat target rejected beat 3");
      }
    }, 0, 20, TimeUnit.MILLISECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!beat.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100); // it would have run again by now, were it still alive
    scheduler.shutdownNow();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
    say("heartbeat stopped after " + runs.get() + " runs");
  }

  private static void executeThrows() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(1, named("indexer"));
    pool.execute(() -> {
      throw new UnsupportedOperationException("index format v0 is not supported");
    });
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    say("indexer finished");
  }

  private static void asyncFails() {
    ExecutorService pool = Executors.newFixedThreadPool(1, named("pricing"));
    String result = CompletableFuture.supplyAsync(() -> {
      if (System.nanoTime() != 0) {
        throw new ArithmeticException("price scale overflow");
      }
      return "price";
    }, pool).exceptionally(e -> "fallback price").join();
    pool.shutdown();
    say("async result: " + result);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
  }
}
