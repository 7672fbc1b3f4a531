package dev.telemetryagent.e2e.versions;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Logs an INFO with a parameter, a WARN and an ERROR with a caused exception through the Log4j 2 API, on whatever
 * Log4j core version its class path (or class loader) carries. The argument tags every body with the version and
 * mode.
 */
public final class Log4jOrders {

  private Log4jOrders() {}

  public static void main(String[] args) {
    String tag = args[0];
    Logger logger = LogManager.getLogger("com.example.shop.Orders");
    // What actually runs (core.Logger, or core.async.AsyncLogger with the async context selector), so that the test
    // can tell a wrong class path from a capture failure.
    System.out.println("fixture: logger class " + logger.getClass().getName());
    System.out.println("fixture: log4j-core from "
        + org.apache.logging.log4j.core.Logger.class.getProtectionDomain().getCodeSource().getLocation());

    logger.info("order {} shipped [{}]", 42, tag);
    logger.warn("stock low [{}]", tag);
    logger.error("payment failed [" + tag + "]",
        new IllegalStateException("boom", new java.io.IOException("disk")));
    System.out.println("done");
  }
}
