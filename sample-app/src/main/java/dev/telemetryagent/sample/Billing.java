package dev.telemetryagent.sample;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The billing step; logs through SLF4J (backed by Logback) as {@code com.example.worker.billing}. */
final class Billing {

  private static final Logger LOG = LoggerFactory.getLogger("com.example.worker.billing");

  static void starting(int threads, long seed, String jobs) {
    LOG.info("worker service starting: {} worker threads, seed {}, jobs {}", threads, seed, jobs);
    LOG.debug("billing gateway is {}", "https://payments.internal/v2");
  }

  static void shutdownRequested(int jobs) {
    LOG.warn("shutdown requested after {} jobs", jobs);
  }

  static void stopped(int jobs) {
    LOG.info("billing stopped after {} jobs", jobs);
  }

  void process(Job job) {
    LOG.trace("computing tax for order {} in region {}", job.orderId, job.region);
    LOG.debug("loaded invoice inv-{} with {} line items", job.number, job.lineItems);
    if (job.number % 9 == 4) {
      LOG.info("sending receipt for order {} to {}", job.orderId, FakeSecrets.EMAIL);
    }
    try {
      charge(job);
      LOG.info("charged order {}: {} {}", job.orderId, job.amount, job.currency);
    } catch (IllegalStateException e) {
      LOG.error("charge failed for order {}", job.orderId, e);
    }
    if (job.number % 5 == 2) {
      LOG.warn("payment for order {} took {} ms, above the {} ms budget", job.orderId, job.latencyMs, 500);
    }
  }

  private static void charge(Job job) {
    if (job.number % 7 != 3) {
      return;
    }
    try {
      callGateway(job);
    } catch (IOException e) {
      throw new IllegalStateException("payment gateway rejected access key " + FakeSecrets.AWS_ACCESS_KEY_ID
          + " (secret " + FakeSecrets.AWS_SECRET_ACCESS_KEY + ") for order " + job.orderId, e);
    }
  }

  private static void callGateway(Job job) throws IOException {
    throw new IOException("HTTP 401 from https://payments.internal/v2/charge for " + job.orderId
        + "; request carried Authorization: " + FakeSecrets.BEARER_TOKEN);
  }
}
