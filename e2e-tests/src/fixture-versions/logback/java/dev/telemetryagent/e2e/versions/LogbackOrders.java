package dev.telemetryagent.e2e.versions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an INFO with a parameter, a WARN and an ERROR with a caused exception through SLF4J, on whatever Logback
 * version its class path (or class loader) carries. The argument tags every body with the version and mode.
 */
public final class LogbackOrders {

  private LogbackOrders() {}

  public static void main(String[] args) {
    String tag = args[0];
    Logger logger = LoggerFactory.getLogger("com.example.shop.Orders");
    // What actually runs, so that the test can tell a wrong class path from a capture failure.
    System.out.println("fixture: logger factory " + LoggerFactory.getILoggerFactory().getClass().getName());
    System.out.println("fixture: logger class " + logger.getClass().getName());
    System.out.println("fixture: logback-classic from "
        + ch.qos.logback.classic.Logger.class.getProtectionDomain().getCodeSource().getLocation());

    logger.info("order {} shipped [{}]", 42, tag);
    logger.warn("stock low [{}]", tag);
    logger.error("payment failed [" + tag + "]",
        new IllegalStateException("boom", new java.io.IOException("disk")));
    System.out.println("done");
  }
}
