package dev.telemetryagent.sample;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.ConcurrentModificationException;
import java.util.MissingResourceException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.apache.logging.log4j.LogManager;

/**
 * An error storm ({@code --storm SECONDS [--storm-rate N]}): one failure, always the same exception type, message
 * template and throw site with a varying order number, logged at ERROR about {@code rate} times a second (19 in 20
 * through SLF4J/Logback, 1 in 40 each through Log4j 2 and java.util.logging), plus a spread of {@value #DISTINCT}
 * distinct errors (each its own exception type and message template) logged {@value #DISTINCT_ROUNDS} times each,
 * at the start, a third and two thirds of the way through.
 *
 * <p>The storm's loggers ({@code com.example.storm.*}) write nowhere (Logback NOP appender, Log4j Null appender, a
 * java.util.logging logger without handlers), so the console stays readable; the only line printed is the summary,
 * with exactly what was logged (the app logs what it can if the machine cannot keep up with the rate):
 *
 * <pre>
 * storm: logged total=N repeated=N distinct=20 distinctRecords=60 repeated.logback=N repeated.log4j=N repeated.jul=N
 *     seconds=S rate=R achievedRate=A
 * </pre>
 *
 * (on one line). {@code total == repeated + distinctRecords}, and the {@code repeated.*} counts add up to
 * {@code repeated}.
 */
final class Storm {

  static final int DEFAULT_RATE = 100_000;
  static final int DISTINCT = 20;
  static final int DISTINCT_ROUNDS = 3;

  private static final org.slf4j.Logger CHECKOUT = org.slf4j.LoggerFactory.getLogger("com.example.storm.checkout");
  private static final org.slf4j.Logger MISC = org.slf4j.LoggerFactory.getLogger("com.example.storm.misc");
  private static final org.apache.logging.log4j.Logger LOG4J = LogManager.getLogger("com.example.storm.inventory");
  /** Held strongly: java.util.logging keeps loggers only weakly, and with them their configuration. */
  private static final java.util.logging.Logger JUL = java.util.logging.Logger.getLogger("com.example.storm.legacy");

  /** Paces in slices of this length: logs what is due, then parks until the next slice. */
  private static final long SLICE_NANOS = 1_000_000;

  private long repeatedLogback;
  private long repeatedLog4j;
  private long repeatedJul;
  private long distinctRecords;

  private Storm() {}

  static void run(double seconds, int rate) {
    JUL.setUseParentHandlers(false);
    JUL.setLevel(Level.ALL);
    new Storm().storm(seconds, rate);
  }

  private void storm(double seconds, int rate) {
    long durationNanos = (long) (seconds * 1e9);
    long start = System.nanoTime();
    long repeated = 0;
    int roundsDone = 0;
    long order = 1_000_000;
    while (true) {
      long elapsed = System.nanoTime() - start;
      if (elapsed >= durationNanos) {
        break;
      }
      while (roundsDone < DISTINCT_ROUNDS && elapsed >= durationNanos / DISTINCT_ROUNDS * roundsDone) {
        for (int kind = 0; kind < DISTINCT; kind++) {
          logDistinct(kind, roundsDone);
        }
        roundsDone++;
      }
      // What is due by now at the given rate; never more than one slice's worth behind (no burst to catch up).
      long due = (long) ((double) elapsed * rate / 1e9);
      long floor = due - Math.max(1, (long) ((double) SLICE_NANOS * rate / 1e9));
      if (repeated < floor) {
        repeated = floor;
      }
      // The count logged is kept separately: 'repeated' here is the pacing target only.
      while (repeated < due) {
        repeated++;
        logRepeated(order++);
        if ((repeated & 1023) == 0 && System.nanoTime() - start >= durationNanos) {
          break;
        }
      }
      LockSupport.parkNanos(SLICE_NANOS);
    }
    long elapsedNanos = System.nanoTime() - start;
    long repeatedLogged = repeatedLogback + repeatedLog4j + repeatedJul;
    long total = repeatedLogged + distinctRecords;
    System.out.println("storm: logged total=" + total + " repeated=" + repeatedLogged + " distinct=" + DISTINCT
        + " distinctRecords=" + distinctRecords + " repeated.logback=" + repeatedLogback + " repeated.log4j="
        + repeatedLog4j + " repeated.jul=" + repeatedJul + " seconds=" + String.format("%.3f", elapsedNanos / 1e9)
        + " rate=" + rate + " achievedRate=" + Math.round(repeatedLogged / (elapsedNanos / 1e9)));
    System.out.flush();
  }

  /** The same failure every time: same type, template and throw site; only the order number varies. */
  private void logRepeated(long order) {
    try {
      declinePayment(order);
    } catch (IllegalStateException e) {
      int share = (int) (order % 40);
      if (share == 0) {
        LOG4J.error("payment declined for order {}", "ord-" + order, e);
        repeatedLog4j++;
      } else if (share == 1) {
        JUL.log(Level.SEVERE, "payment declined for order ord-" + order, e);
        repeatedJul++;
      } else {
        CHECKOUT.error("payment declined for order {}", "ord-" + order, e);
        repeatedLogback++;
      }
    }
  }

  private static void declinePayment(long order) {
    throw new IllegalStateException("card issuer declined payment for order ord-" + order);
  }

  private void logDistinct(int kind, int round) {
    Exception e = distinctFailure(kind, round);
    MISC.error("distinct failure #{} in round {}: {}", kind, round, e.getClass().getSimpleName(), e);
    distinctRecords++;
  }

  /** Twenty different exception types with twenty different message templates. */
  private static Exception distinctFailure(int kind, int round) {
    switch (kind) {
      case 0: return new IllegalArgumentException("quantity must be positive, was -" + round);
      case 1: return new UnsupportedOperationException("gift wrapping is not offered in region r" + round);
      case 2: return new ArithmeticException("tax rate overflow in bracket " + round);
      case 3: return new IndexOutOfBoundsException("line item " + round + " out of range");
      case 4: return new NullPointerException("shipping address of customer c" + round + " is missing");
      case 5: return new ClassCastException("voucher v" + round + " is not a discount");
      case 6: return new NumberFormatException("cannot parse amount 'x" + round + "'");
      case 7: return new NoSuchElementException("no warehouse for zone z" + round);
      case 8: return new ConcurrentModificationException("cart " + round + " changed during checkout");
      case 9: return new RejectedExecutionException("fulfilment pool saturated at round " + round);
      case 10: return new CancellationException("reservation " + round + " cancelled by user");
      case 11: return new TimeoutException("fraud check took longer than " + (round + 1) + " s");
      case 12: return new IOException("ledger disk full on volume vol" + round);
      case 13: return new FileNotFoundException("price list p" + round + ".csv not found");
      case 14: return new SocketTimeoutException("read timed out from tax service after " + round + " retries");
      case 15: return new UnknownHostException("unknown host promo-" + round + ".internal");
      case 16: return new AccessDeniedException("/var/invoices/" + round);
      case 17: return new CharacterCodingException();
      case 18: return new SQLException("deadlock detected on table orders (attempt " + round + ")", "40P01");
      case 19: return new MissingResourceException("no label template for locale l" + round, "Labels", "l" + round);
      default: return new UncheckedIOException(new IOException("unexpected kind " + kind));
    }
  }
}
