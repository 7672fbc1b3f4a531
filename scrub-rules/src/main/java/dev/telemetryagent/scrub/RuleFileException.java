package dev.telemetryagent.scrub;

/**
 * A rule file (or a rule in it) is invalid. The message is always a single line naming the file, the rule
 * (id, or index when the id is missing) and the problem, e.g.
 * {@code rules file /etc/scrub.json: rule "my-token" (#3): pattern does not compile: ...}.
 */
public final class RuleFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RuleFileException(String message) {
    super(oneLine(message));
  }

  public RuleFileException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
