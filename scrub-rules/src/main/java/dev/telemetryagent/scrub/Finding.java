package dev.telemetryagent.scrub;

import java.util.Objects;

/**
 * One redaction: which rule fired and where, as offsets into the ORIGINAL text ({@code start} inclusive,
 * {@code end} exclusive). A finding never carries the matched text.
 */
public final class Finding {
  private final String ruleId;
  private final int start;
  private final int end;

  public Finding(String ruleId, int start, int end) {
    this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
    this.start = start;
    this.end = end;
  }

  public String ruleId() {
    return ruleId;
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Finding)) {
      return false;
    }
    Finding f = (Finding) o;
    return start == f.start && end == f.end && ruleId.equals(f.ruleId);
  }

  @Override
  public int hashCode() {
    return (ruleId.hashCode() * 31 + start) * 31 + end;
  }

  @Override
  public String toString() {
    return ruleId + "[" + start + "," + end + ")";
  }
}
