package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's at-exit line on stderr with {@code -Dtelemetry.agent.debug=true}, parsed:
 * {@code [telemetry-agent] at exit: submitted=N exported=N [folded=N] dropped={reason=N, ...} pending=N
 * advice_failures=N sink_failures=N}. {@code folded} (events folded into rollup records) may be absent; it then
 * counts as 0. The accounting invariant is {@code submitted == exported + folded + sum(dropped) + pending}.
 */
final class ExitSummary {

  static final String PREFIX = "[telemetry-agent] at exit: ";

  /** Every drop reason the agent may name. */
  static final Set<String> KNOWN_DROP_REASONS =
      Set.of("queue_full", "export_failed", "shutdown", "scrub_error", "rate_limited");

  private static final Pattern NUMBER = Pattern.compile("\\b([a-z_]+)=(-?\\d+)");
  private static final Pattern DROPPED = Pattern.compile("\\bdropped=\\{([^}]*)}");

  final String line;
  final long submitted;
  final long exported;
  final long folded;
  final long pending;
  final long adviceFailures;
  final long sinkFailures;
  final Map<String, Long> dropped;

  private ExitSummary(String line, Map<String, Long> numbers, Map<String, Long> dropped) {
    this.line = line;
    this.submitted = require(numbers, "submitted", line);
    this.exported = require(numbers, "exported", line);
    this.pending = require(numbers, "pending", line);
    this.folded = numbers.getOrDefault("folded", 0L);
    this.adviceFailures = numbers.getOrDefault("advice_failures", 0L);
    this.sinkFailures = numbers.getOrDefault("sink_failures", 0L);
    this.dropped = Collections.unmodifiableMap(dropped);
  }

  /** The one at-exit line of {@code app}'s stderr; fails the test when there is none or more than one. */
  static ExitSummary of(JvmProcess app) {
    List<String> lines = app.stderrLines().stream().filter(l -> l.startsWith(PREFIX)).collect(
        java.util.stream.Collectors.toList());
    assertThat(lines).as("the agent's at-exit line (telemetry.agent.debug=true); %s", app.describe()).hasSize(1);
    return parse(lines.get(0));
  }

  static ExitSummary parse(String line) {
    String text = line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : line;
    Map<String, Long> dropped = new LinkedHashMap<>();
    Matcher d = DROPPED.matcher(text);
    if (!d.find()) {
      throw new AssertionError("no dropped={...} in the at-exit line: " + line);
    }
    for (String part : d.group(1).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new AssertionError("bad drop entry '" + p + "' in the at-exit line: " + line);
      }
      dropped.put(p.substring(0, eq).trim(), Long.parseLong(p.substring(eq + 1).trim()));
    }
    String rest = text.substring(0, d.start()) + text.substring(d.end());
    Map<String, Long> numbers = new LinkedHashMap<>();
    Matcher m = NUMBER.matcher(rest);
    while (m.find()) {
      numbers.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return new ExitSummary(line, numbers, dropped);
  }

  private static long require(Map<String, Long> numbers, String key, String line) {
    Long v = numbers.get(key);
    if (v == null) {
      throw new AssertionError("no " + key + "= in the at-exit line: " + line);
    }
    return v;
  }

  long dropped(String reason) {
    return dropped.getOrDefault(reason, 0L);
  }

  long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * {@code submitted == exported + folded + sum(dropped) + pending}, nothing negative, every drop reason known, and
   * no suppressed advice or sink failures.
   */
  ExitSummary assertConsistent() {
    assertThat(submitted).as("submitted == exported + folded + dropped + pending in %s", line)
        .isEqualTo(exported + folded + droppedTotal() + pending);
    assertThat(List.of(submitted, exported, folded, pending)).as("counts in %s", line).allMatch(n -> n >= 0);
    assertThat(dropped.values()).as("drop counts in %s", line).allMatch(n -> n > 0);
    assertThat(KNOWN_DROP_REASONS).as("drop reasons are named and known: %s", line).containsAll(dropped.keySet());
    assertThat(adviceFailures).as("advice_failures in %s", line).isZero();
    assertThat(sinkFailures).as("sink_failures in %s", line).isZero();
    return this;
  }

  @Override
  public String toString() {
    return line;
  }
}
