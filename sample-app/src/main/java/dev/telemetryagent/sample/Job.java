package dev.telemetryagent.sample;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One unit of work. Everything about a job is derived from its number and the run's seed, so two runs with the same
 * arguments produce the same jobs (and the same log lines), whichever worker thread picks them up.
 */
final class Job {

  private static final String[] TENANTS = {"acme", "globex", "initech", "umbrella"};
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
  private static final String[] CARRIERS = {"ups", "dhl", "fedex", "postnl"};
  private static final String[] REGIONS = {"eu-west", "us-east", "ap-south"};

  final int number;
  final String tenant;
  final String orderId;
  final String region;
  final int lineItems;
  final String amount;
  final String currency;
  final long latencyMs;
  final String sku;
  final String bin;
  final int onHand;
  final int quantity;
  final String carrier;
  final String weightKg;
  final String label;

  Job(int number, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number);
    this.number = number;
    this.tenant = TENANTS[r.nextInt(TENANTS.length)];
    this.orderId = "ord-" + (10_000 + number);
    this.region = REGIONS[r.nextInt(REGIONS.length)];
    this.lineItems = 1 + r.nextInt(9);
    this.amount = String.format(Locale.ROOT, "%.2f", r.nextInt(100_000) / 100.0);
    this.currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
    this.latencyMs = 501 + r.nextInt(1500);
    this.sku = "sku-" + (100 + r.nextInt(900));
    this.bin = "bin-" + (char) ('A' + r.nextInt(6)) + (1 + r.nextInt(40));
    this.onHand = 10 + r.nextInt(500);
    this.quantity = 1 + r.nextInt(9);
    this.carrier = CARRIERS[r.nextInt(CARRIERS.length)];
    this.weightKg = String.format(Locale.ROOT, "%.1f", 0.2 + r.nextInt(300) / 10.0);
    this.label = "lbl-" + Integer.toHexString(0x10000 + r.nextInt(0xeffff));
  }

  @Override
  public String toString() {
    return "Job{" + number + ", " + tenant + "}";
  }
}
