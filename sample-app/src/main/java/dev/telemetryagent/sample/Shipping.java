package dev.telemetryagent.sample;

import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The shipping step; logs through java.util.logging as {@code com.example.worker.shipping}. */
final class Shipping {

  private static final Logger LOG = Logger.getLogger("com.example.worker.shipping");

  static void starting(int carriers) {
    LOG.log(Level.INFO, "shipping desk open with {0} carriers", String.valueOf(carriers));
    LOG.config("label printer is lp-0");
  }

  static void stopped(int jobs) {
    LOG.log(Level.INFO, "shipping stopped after {0} jobs", String.valueOf(jobs));
  }

  void process(Job job) {
    LOG.log(Level.FINEST, "route candidates for order {0}: {1}", new Object[] {job.orderId, job.region});
    LOG.log(Level.FINER, "weighing parcel for order {0}", job.orderId);
    LOG.log(Level.FINE, "parcel for order {0} weighs {1} kg", new Object[] {job.orderId, job.weightKg});
    LOG.log(Level.CONFIG, "carrier for tenant {0} is {1}", new Object[] {job.tenant, job.carrier});
    try {
      book(job);
      LOG.log(Level.INFO, "label {0} printed for order {1} via {2}",
          new Object[] {job.label, job.orderId, job.carrier});
    } catch (IllegalArgumentException e) {
      LogRecord record = new LogRecord(Level.SEVERE, "could not book shipment for order {0} with {1}");
      record.setLoggerName(LOG.getName());
      record.setParameters(new Object[] {job.orderId, job.carrier});
      record.setThrown(e);
      LOG.log(record);
    }
    if (job.number % 4 == 3) {
      LOG.log(Level.WARNING, "carrier {0} slow to respond for order {1}", new Object[] {job.carrier, job.orderId});
    }
  }

  private static void book(Job job) {
    if (job.number % 11 != 6) {
      return;
    }
    TimeoutException timeout = new TimeoutException("address validation timed out after 2000 ms");
    throw new IllegalArgumentException(
        "carrier " + job.carrier + " rejected recipient " + FakeSecrets.EMAIL + " for order " + job.orderId, timeout);
  }
}
