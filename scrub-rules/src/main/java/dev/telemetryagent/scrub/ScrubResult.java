package dev.telemetryagent.scrub;

import java.util.List;

/** The scrubbed text plus what was found in the original (rule ids and positions, never the secrets). */
public final class ScrubResult {
  private final String text;
  private final List<Finding> findings;
  private final boolean truncated;
  private final boolean failed;

  ScrubResult(String text, List<Finding> findings, boolean truncated, boolean failed) {
    this.text = text;
    this.findings = List.copyOf(findings);
    this.truncated = truncated;
    this.failed = failed;
  }

  /** The scrubbed text; {@code null} only when the input was {@code null}. */
  public String text() {
    return text;
  }

  /** Findings ordered by start offset, non-overlapping; offsets refer to the original text. */
  public List<Finding> findings() {
    return findings;
  }

  /** True when the input exceeded the size budget and only its head was scanned and kept. */
  public boolean truncated() {
    return truncated;
  }

  /** True when scrubbing failed and {@link #text()} is the {@link ScrubEngine#ERROR_MARKER}. */
  public boolean failed() {
    return failed;
  }

  /** True when the text came out unchanged. */
  public boolean unchanged() {
    return findings.isEmpty() && !truncated && !failed;
  }

  @Override
  public String toString() {
    return "ScrubResult{findings=" + findings + ", truncated=" + truncated + ", failed=" + failed + "}";
  }
}
