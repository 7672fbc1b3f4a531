package dev.telemetryagent.scrub;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A point-in-time snapshot of an engine's counters. */
public final class ScrubStats {
  private final Map<String, Long> findingsByRule;
  private final long scrubErrors;
  private final long truncations;
  private final long scrubbedStrings;

  ScrubStats(Map<String, Long> findingsByRule, long scrubErrors, long truncations, long scrubbedStrings) {
    this.findingsByRule = Collections.unmodifiableMap(new LinkedHashMap<>(findingsByRule));
    this.scrubErrors = scrubErrors;
    this.truncations = truncations;
    this.scrubbedStrings = scrubbedStrings;
  }

  /**
   * Findings per rule id, only rules that fired at least once. Key-based redactions are counted under
   * {@code key:DENY-ENTRY}, keyed hashes under {@code hash:KEY}.
   */
  public Map<String, Long> findingsByRule() {
    return findingsByRule;
  }

  /** Findings for one rule id (0 when it never fired). */
  public long findings(String ruleId) {
    return findingsByRule.getOrDefault(ruleId, 0L);
  }

  public long totalFindings() {
    long total = 0;
    for (long n : findingsByRule.values()) {
      total += n;
    }
    return total;
  }

  /** Strings for which scrubbing failed and the error marker was returned instead. */
  public long scrubErrors() {
    return scrubErrors;
  }

  /** Strings longer than the size budget that were truncated before scanning. */
  public long truncations() {
    return truncations;
  }

  /** Non-null strings passed through {@code scrub}, {@code scrubAttribute} or {@code scrubWithFindings}. */
  public long scrubbedStrings() {
    return scrubbedStrings;
  }

  @Override
  public String toString() {
    return "ScrubStats{findings=" + findingsByRule + ", scrubErrors=" + scrubErrors + ", truncations="
        + truncations + ", scrubbedStrings=" + scrubbedStrings + "}";
  }
}
