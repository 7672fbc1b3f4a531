package dev.telemetryagent.scrub;

import com.google.re2j.Pattern;

/** A single-character RE2 class with a precomputed ASCII table. */
final class CharClass {
  private final boolean[] ascii = new boolean[128];
  private final Pattern pattern;

  CharClass(Pattern pattern) {
    this.pattern = pattern;
    for (char c = 0; c < 128; c++) {
      ascii[c] = pattern.matches(String.valueOf(c));
    }
  }

  boolean contains(char c) {
    return c < 128 ? ascii[c] : pattern.matches(String.valueOf(c));
  }
}
