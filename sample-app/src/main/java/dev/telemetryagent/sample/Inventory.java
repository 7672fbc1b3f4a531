package dev.telemetryagent.sample;

import java.net.ConnectException;
import java.sql.SQLException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The inventory step; logs through the Log4j 2 API (backed by log4j-core) as {@code com.example.worker.inventory}. */
final class Inventory {

  private static final Logger LOG = LogManager.getLogger("com.example.worker.inventory");

  static void starting(int skus) {
    LOG.info("inventory service ready with {} skus", skus);
    LOG.debug("ledger datasource pool size is {}", 4);
  }

  static void stopped(int jobs) {
    LOG.info("inventory stopped after {} jobs", jobs);
  }

  void process(Job job) {
    LOG.trace("scanning {} for {}", job.bin, job.sku);
    LOG.debug("{} has {} units on hand", job.sku, job.onHand);
    try {
      reserve(job);
      LOG.info("reserved {} units of {} for order {}", job.quantity, job.sku, job.orderId);
    } catch (RuntimeException e) {
      LOG.error("reservation failed for order {}", job.orderId, e);
    }
    if (job.number % 6 == 1) {
      LOG.warn("low stock for {}: {} units left", job.sku, job.onHand % 7);
    }
    if (job.number % 13 == 8) {
      LOG.warn("primary datasource unavailable, falling back to {}", FakeSecrets.JDBC_URL);
    }
    if (job.number % 20 == 13) {
      LOG.fatal("inventory ledger for {} is inconsistent, manual reconciliation needed", job.sku);
    }
  }

  private static void reserve(Job job) {
    if (job.number % 7 != 5) {
      return;
    }
    try {
      openLedger(job);
    } catch (SQLException e) {
      throw new RuntimeException("could not reserve stock for order " + job.orderId, e);
    }
  }

  private static void openLedger(Job job) throws SQLException {
    try {
      connect();
    } catch (ConnectException e) {
      throw new SQLException("connection to " + FakeSecrets.JDBC_URL + " refused", "08001", e);
    }
  }

  private static void connect() throws ConnectException {
    throw new ConnectException("Connection refused: db.internal/10.0.0.12:5432");
  }
}
