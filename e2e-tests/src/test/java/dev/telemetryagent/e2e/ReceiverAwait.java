package dev.telemetryagent.e2e;

import static org.awaitility.Awaitility.await;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for another process's records to reach the in-test receiver (Awaitility; never a sleep). */
final class ReceiverAwait {

  private ReceiverAwait() {}

  /**
   * Waits until the receiver holds at least {@code count} records matching {@code filter}, then until their number
   * has stayed the same for half a second (so duplicates arriving late are seen), and returns them.
   */
  static List<ReceivedLog> awaitLogs(OtlpReceiver receiver, Predicate<ReceivedLog> filter, int count,
      Duration atMost, Supplier<String> diagnostics) {
    return awaitLogs(receiver, filter, count, atMost, Duration.ofMillis(500), diagnostics);
  }

  /**
   * As {@link #awaitLogs(OtlpReceiver, Predicate, int, Duration, Supplier)}, with the time the number must stay the
   * same given: {@link Duration#ZERO} returns as soon as {@code count} have arrived (for a sender that has exited
   * and cannot send any more).
   */
  static List<ReceivedLog> awaitLogs(OtlpReceiver receiver, Predicate<ReceivedLog> filter, int count,
      Duration atMost, Duration settle, Supplier<String> diagnostics) {
    Supplier<List<ReceivedLog>> matching =
        () -> receiver.logs().stream().filter(filter).collect(Collectors.toList());
    try {
      await("at least " + count + " records at the receiver")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> matching.get().size() >= count);
      if (!settle.isZero()) {
        int reached = matching.get().size();
        await("no further records after " + reached)
            .pollDelay(Duration.ZERO)
            .during(settle)
            .atMost(Duration.ofSeconds(10))
            .until(() -> matching.get().size() == reached);
      }
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; the receiver holds " + matching.get().size()
          + " matching records (" + receiver.logs().size() + " in all, " + receiver.requestCount()
          + " requests, errors " + receiver.errors() + "); " + diagnostics.get(), e);
    }
    return matching.get();
  }

  /** Writes the received records, one line each, next to the process output for inspection. */
  static void dump(List<ReceivedLog> logs, Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, logs.stream().map(ReceivedLog::toLine).collect(Collectors.toList()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
