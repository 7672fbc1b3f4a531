package dev.telemetryagent.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The sample app's stdout, parsed. Each log record is one head line
 * {@code <framework> <LEVEL> [<thread>] <logger>[ [jobId=.. tenant=..]] - <message>}, followed by its stack trace
 * lines when it carries a throwable; the first line is {@code pid=<pid>} and, with {@code --jobs N}, the last is
 * {@code processed N jobs}. With {@code --storm SECONDS} the storm's records are not printed; the last line is
 * {@code storm: logged total=N repeated=N distinct=K distinctRecords=M key=value...} ({@link #storm()}).
 */
public final class SampleAppConsole {

  static final Pattern HEAD = Pattern.compile(
      "^(jul|log4j|logback) ([A-Z]+) \\[([^\\]]*)] (\\S+)(?: \\[jobId=(\\S*) tenant=(\\S*)])? - (.*)$");
  private static final Pattern PROCESSED = Pattern.compile("^processed (\\d+) jobs$");
  private static final Pattern STORM = Pattern.compile("^storm: logged (.*)$");

  /** The fake credentials the sample app leaks; a message containing one may legitimately be scrubbed. */
  public static final List<String> FAKE_SECRETS = List.of(
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      "Sup3rS3cret-demo",
      "jdbc:postgresql://",
      "eyJhbGciOiJIUzI1NiJ9.",
      "alice.demo@example.com");

  /** One log record as the app printed it. */
  public static final class Event {
    public final String framework;
    public final String level;
    public final String thread;
    public final String logger;
    public final String message;
    public final List<String> stackTrace = new ArrayList<>();

    Event(String framework, String level, String thread, String logger, String message) {
      this.framework = framework;
      this.level = level;
      this.thread = thread;
      this.logger = logger;
      this.message = message;
    }

    public boolean hasThrowable() {
      return !stackTrace.isEmpty();
    }

    /** The throwable's class name, from the first stack trace line; null without a throwable. */
    public String exceptionType() {
      if (stackTrace.isEmpty()) {
        return null;
      }
      String first = stackTrace.get(0);
      int colon = first.indexOf(':');
      return (colon < 0 ? first : first.substring(0, colon)).trim();
    }

    /** The OpenTelemetry severity number for this framework level. */
    public int severityNumber() {
      return Severities.number(framework, level);
    }

    /** Whether the message contains one of the {@link #FAKE_SECRETS}. */
    public boolean messageIsSensitive() {
      return FAKE_SECRETS.stream().anyMatch(message::contains);
    }

    @Override
    public String toString() {
      return framework + " " + level + " [" + thread + "] " + logger + " - " + message
          + (hasThrowable() ? " (" + exceptionType() + ")" : "");
    }
  }

  private final String pidLine;
  private final List<Event> events;
  private final List<String> strayLines;
  private final Integer processedJobs;
  private final Map<String, String> storm;

  private SampleAppConsole(String pidLine, List<Event> events, List<String> strayLines, Integer processedJobs,
      Map<String, String> storm) {
    this.pidLine = pidLine;
    this.events = Collections.unmodifiableList(events);
    this.strayLines = Collections.unmodifiableList(strayLines);
    this.processedJobs = processedJobs;
    this.storm = storm;
  }

  public static SampleAppConsole parse(List<String> lines) {
    String pid = null;
    List<Event> events = new ArrayList<>();
    List<String> stray = new ArrayList<>();
    Integer processed = null;
    Map<String, String> storm = null;
    Event current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i == 0 && line.startsWith("pid=")) {
        pid = line;
        continue;
      }
      Matcher head = HEAD.matcher(line);
      if (head.matches()) {
        current = new Event(head.group(1), head.group(2), head.group(3), head.group(4), head.group(7));
        events.add(current);
        continue;
      }
      Matcher done = PROCESSED.matcher(line);
      if (done.matches()) {
        processed = Integer.parseInt(done.group(1));
        current = null;
        continue;
      }
      Matcher stormDone = STORM.matcher(line);
      if (stormDone.matches()) {
        storm = new java.util.LinkedHashMap<>();
        for (String pair : stormDone.group(1).trim().split("\\s+")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            storm.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
        storm = Collections.unmodifiableMap(storm);
        current = null;
        continue;
      }
      if (current != null && !line.isEmpty()) {
        current.stackTrace.add(line);
      } else if (!line.isEmpty()) {
        stray.add(line);
      }
    }
    return new SampleAppConsole(pid, events, stray, processed, storm);
  }

  /** {@code pid=<pid>}, or null when the first line was not that. */
  public String pidLine() {
    return pidLine;
  }

  public List<Event> events() {
    return events;
  }

  /** Lines that are neither a record, a stack trace line, the pid line nor the summary. */
  public List<String> strayLines() {
    return strayLines;
  }

  /** N from the {@code processed N jobs} summary line, or null. */
  public Integer processedJobs() {
    return processedJobs;
  }

  /**
   * The {@code key=value} pairs of the {@code storm: logged ...} summary line ({@code total}, {@code repeated},
   * {@code distinct}, {@code distinctRecords}, {@code repeated.logback|log4j|jul}, ...), or null without one.
   */
  public Map<String, String> storm() {
    return storm;
  }

  /** A number from the storm summary line; fails when there is no such line or key. */
  public long stormCount(String key) {
    if (storm == null || !storm.containsKey(key)) {
      throw new AssertionError("no '" + key + "' in the storm summary line: " + storm);
    }
    return Long.parseLong(storm.get(key));
  }

  /** The records at or above the given OpenTelemetry severity number (9 = INFO). */
  public List<Event> atOrAbove(int severityNumber) {
    return events.stream().filter(e -> e.severityNumber() >= severityNumber).collect(Collectors.toList());
  }

  /** Counts by {@code framework LEVEL}. */
  public static Map<String, Long> countByFrameworkAndLevel(List<Event> events) {
    return events.stream().collect(Collectors.groupingBy(e -> e.framework + " " + e.level, TreeMap::new,
        Collectors.counting()));
  }
}
