package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.ReceivedLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Assertions for what the agent exports, shared by the e2e tests. */
public final class AgentContract {

  private static final Set<String> SOURCES = Set.of("jul", "log4j", "logback");

  private AgentContract() {}

  /** Nothing from the agent's own threads, nothing from its shaded libraries or from OpenTelemetry itself. */
  public static void assertNothingFromTheAgentItself(Collection<ReceivedLog> logs) {
    assertThat(logs)
        .as("records from agent threads (thread.name telemetry-agent*)")
        .noneMatch(l -> String.valueOf(l.attribute("thread.name")).startsWith("telemetry-agent"));
    assertThat(logs)
        .as("records whose scope is the agent's shaded code or OpenTelemetry")
        .noneMatch(l -> l.scopeName().startsWith("dev.telemetryagent.shaded")
            || l.scopeName().startsWith("io.opentelemetry"));
  }

  /** Every record carries the resource the agent promises. */
  public static void assertResource(Collection<ReceivedLog> logs, String serviceName) {
    Violations v = new Violations();
    for (ReceivedLog l : logs) {
      v.check(serviceName.equals(l.resourceAttribute("service.name")), "service.name is not " + serviceName, l);
      v.check("telemetry-agent".equals(l.resourceAttribute("telemetry.distro.name")),
          "telemetry.distro.name is not telemetry-agent", l);
      v.check(!isBlank(l.resourceAttribute("telemetry.distro.version")), "telemetry.distro.version missing", l);
    }
    v.assertNone("resource attributes");
  }

  /**
   * Every record is a well-formed capture at or above {@code minSeverity}: known source, severity number matching
   * the framework level, thread attributes, and consistent exception attributes.
   */
  public static void assertWellFormed(Collection<ReceivedLog> logs, int minSeverity) {
    Violations v = new Violations();
    for (ReceivedLog l : logs) {
      String source = l.attribute("telemetry.agent.source");
      if (!SOURCES.contains(source)) {
        v.check(false, "telemetry.agent.source not jul|log4j|logback", l);
      } else {
        Integer expected = null;
        try {
          expected = Severities.number(source, l.severityText());
        } catch (IllegalArgumentException e) {
          v.check(false, "unknown severity text for " + source, l);
        }
        if (expected != null) {
          v.check(l.severityNumber() == expected,
              "severity number for " + source + " " + l.severityText() + " is not " + expected, l);
        }
      }
      v.check(l.severityNumber() >= minSeverity, "severity below the capture level " + minSeverity, l);
      v.check(!isBlank(l.attribute("thread.name")), "thread.name missing", l);
      v.check(l.attribute("thread.id") != null && l.attribute("thread.id").matches("\\d+"),
          "thread.id missing or not a number", l);
      v.check(l.body() != null, "no body", l);
      if (l.attribute("exception.type") != null) {
        v.check("log".equals(l.attribute("exception.source")), "exception.source is not log", l);
        String trace = l.attribute("exception.stacktrace");
        v.check(trace != null && trace.contains(l.attribute("exception.type")),
            "exception.stacktrace missing or without the exception type", l);
      }
    }
    v.assertNone("well-formed records");
  }

  /**
   * The records are exactly the console's records: one per console record, same source, level, severity, scope
   * (logger), thread name and exception type, and the same body, except where the console message contains a fake
   * credential (the agent may scrub it), where only the rest must match.
   */
  public static void assertMatchesConsole(List<SampleAppConsole.Event> expected, List<ReceivedLog> logs) {
    Map<String, Long> wantCounts = SampleAppConsole.countByFrameworkAndLevel(expected);
    Map<String, Long> gotCounts = logs.stream().collect(Collectors.groupingBy(
        l -> l.attribute("telemetry.agent.source") + " " + l.severityText(), TreeMap::new, Collectors.counting()));
    assertThat(gotCounts).as("records per framework and level: received vs printed by the app").isEqualTo(wantCounts);

    Multiset exact = new Multiset();
    Multiset loose = new Multiset();
    for (SampleAppConsole.Event e : expected) {
      if (e.messageIsSensitive()) {
        loose.add(looseKey(e.framework, e.level, e.logger, e.thread, e.exceptionType()));
      } else {
        exact.add(exactKey(e.framework, e.level, e.logger, e.thread, e.exceptionType(), e.message));
      }
    }
    Multiset unmatchedLoose = new Multiset();
    List<ReceivedLog> unmatched = new ArrayList<>();
    for (ReceivedLog l : logs) {
      String source = l.attribute("telemetry.agent.source");
      String thread = l.attribute("thread.name");
      String type = l.attribute("exception.type");
      if (!exact.remove(exactKey(source, l.severityText(), l.scopeName(), thread, type, l.body()))) {
        unmatched.add(l);
        unmatchedLoose.add(looseKey(source, l.severityText(), l.scopeName(), thread, type));
      }
    }
    assertThat(exact.entries())
        .as("console records without a matching exported record (source|level|scope|thread|exception|body); "
            + "unmatched exported records: %s", first(unmatched, 10))
        .isEmpty();
    assertThat(unmatchedLoose.counts)
        .as("records whose console message holds a fake credential (source|level|scope|thread|exception)")
        .isEqualTo(loose.counts);
  }

  /** Records with an exception carry full exception attributes, with the cause chain in the stack trace. */
  public static void assertExceptionAttributes(Collection<ReceivedLog> logs, String framePrefix) {
    Violations v = new Violations();
    for (ReceivedLog l : logs) {
      if (l.attribute("exception.type") == null) {
        continue;
      }
      String trace = String.valueOf(l.attribute("exception.stacktrace"));
      v.check(!isBlank(l.attribute("exception.message")), "exception.message missing", l);
      v.check(trace.contains("Caused by:"), "exception.stacktrace without Caused by:", l);
      v.check(trace.contains("\tat " + framePrefix), "exception.stacktrace without a frame of " + framePrefix, l);
      v.check("log".equals(l.attribute("exception.source")), "exception.source is not log", l);
    }
    v.assertNone("exception attributes");
  }

  static Map<String, Long> countBy(Collection<ReceivedLog> logs, Function<ReceivedLog, String> key) {
    return logs.stream().collect(Collectors.groupingBy(l -> String.valueOf(key.apply(l)), TreeMap::new,
        Collectors.counting()));
  }

  private static String exactKey(String source, String level, String scope, String thread, String type,
      String body) {
    return looseKey(source, level, scope, thread, type) + "|" + body;
  }

  private static String looseKey(String source, String level, String scope, String thread, String type) {
    return source + "|" + level + "|" + scope + "|" + thread + "|" + Objects.toString(type, "-");
  }

  private static List<String> first(List<ReceivedLog> logs, int n) {
    return logs.stream().limit(n).map(ReceivedLog::toLine).collect(Collectors.toList());
  }

  private static final class Multiset {
    final Map<String, Long> counts = new TreeMap<>();

    void add(String key) {
      counts.merge(key, 1L, Long::sum);
    }

    boolean remove(String key) {
      Long n = counts.get(key);
      if (n == null) {
        return false;
      }
      if (n == 1) {
        counts.remove(key);
      } else {
        counts.put(key, n - 1);
      }
      return true;
    }

    List<String> entries() {
      List<String> out = new ArrayList<>();
      counts.forEach((k, v) -> out.add(v + "x " + k));
      return out.size() > 30 ? out.subList(0, 30) : out;
    }
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Collects failed checks by description, keeping a count and the first offending record of each. */
  private static final class Violations {
    final Map<String, Long> counts = new TreeMap<>();
    final Map<String, String> examples = new TreeMap<>();

    void check(boolean ok, String what, ReceivedLog l) {
      if (!ok) {
        counts.merge(what, 1L, Long::sum);
        examples.putIfAbsent(what, l.toLine() + " resource=" + l.resourceAttributes());
      }
    }

    void assertNone(String what) {
      if (!counts.isEmpty()) {
        StringBuilder sb = new StringBuilder(what).append(" violated:");
        counts.forEach((k, n) -> sb.append(System.lineSeparator()).append("  ").append(n).append("x ").append(k)
            .append(", e.g. ").append(examples.get(k)));
        throw new AssertionError(sb.toString());
      }
    }
  }
}
