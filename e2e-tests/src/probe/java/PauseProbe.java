import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long the application is paused, for the attach benchmark (AttachPauseTest). Run with the source
 * launcher and the sample app's logging libraries on the class path. Uses all three logging frameworks (so their
 * logger classes are loaded and busy when the agent retransforms them), and a ticker thread that sleeps 1 ms in a
 * loop and prints every gap between two ticks longer than 2 ms as {@code gap <epoch millis> <micros>}.
 */
public final class PauseProbe {

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("probe.jul");
    org.apache.logging.log4j.Logger log4j = org.apache.logging.log4j.LogManager.getLogger("probe.log4j");
    org.slf4j.Logger slf4j = org.slf4j.LoggerFactory.getLogger("probe.logback");
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    jul.setLevel(java.util.logging.Level.WARNING);

    AtomicLong counter = new AtomicLong();
    Thread logger = new Thread(() -> {
      while (true) {
        long n = counter.incrementAndGet();
        // Below the frameworks' console levels (nothing printed), at or above the agent's capture level.
        jul.info("probe tick " + n);
        log4j.info("probe tick {}", n);
        slf4j.info("probe tick {}", n);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "probe-logger");
    logger.setDaemon(true);
    logger.start();

    Thread ticker = new Thread(() -> {
      long prev = System.nanoTime();
      while (true) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.nanoTime();
        long gap = now - prev;
        prev = now;
        if (gap > 2_000_000) {
          System.out.println("gap " + System.currentTimeMillis() + " " + gap / 1000);
        }
      }
    }, "probe-ticker");
    ticker.setDaemon(true);
    ticker.start();

    System.out.println("pid=" + ProcessHandle.current().pid());
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "120000"));
  }
}
