package dev.telemetryagent.scrub;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/** One compiled text rule. Immutable and shared between engines and threads. */
final class Rule {
  /** How far before/after a candidate {@code notPrecededBy}/{@code notFollowedBy} look. */
  static final int CONTEXT_WINDOW = 32;

  final String id;
  final String description;
  final String source;
  final boolean builtIn;
  final String replacement;
  final List<String> keywords;
  final int shapes;
  final String shapeName;
  final Pattern pattern;
  /** Capture groups whose names start with "secret", in group order; empty: the whole match is the secret. */
  final int[] secretGroups;
  final String validatorSpec;
  final Validators.Validator validator;
  final Pattern[] allow;
  final Pattern notPrecededBy;
  final Pattern notFollowedBy;

  Rule(String id, String description, String source, boolean builtIn, String replacement, List<String> keywords,
      int shapes, String shapeName, Pattern pattern, int[] secretGroups, String validatorSpec,
      Validators.Validator validator, Pattern[] allow, Pattern notPrecededBy, Pattern notFollowedBy) {
    this.id = id;
    this.description = description;
    this.source = source;
    this.builtIn = builtIn;
    this.replacement = replacement;
    this.keywords = List.copyOf(keywords);
    this.shapes = shapes;
    this.shapeName = shapeName;
    this.pattern = pattern;
    this.secretGroups = secretGroups;
    this.validatorSpec = validatorSpec;
    this.validator = validator;
    this.allow = allow;
    this.notPrecededBy = notPrecededBy;
    this.notFollowedBy = notFollowedBy;
  }

  /**
   * Runs the rule over {@code text} and reports every accepted secret span to {@code sink}. Matches are
   * searched left to right without overlap (each search resumes at the previous match's end), so the work is
   * one linear RE2 pass plus bounded per-candidate checks.
   */
  void scan(String text, int ruleIndex, Candidates sink) {
    Matcher m = pattern.matcher(text);
    int pos = 0;
    int n = text.length();
    while (pos <= n && m.find(pos)) {
      int mStart = m.start();
      int mEnd = m.end();
      int s = mStart;
      int e = mEnd;
      if (secretGroups.length > 0) {
        s = -1;
        for (int g : secretGroups) {
          int gs = m.start(g);
          if (gs >= 0) {
            s = gs;
            e = m.end(g);
            break;
          }
        }
      }
      if (s >= 0 && e > s && accept(text, s, e)) {
        sink.add(ruleIndex, s, e);
      }
      pos = mEnd > mStart ? mEnd : mEnd + 1;
    }
  }

  private boolean accept(String text, int s, int e) {
    if (notPrecededBy != null && s > 0) {
      String before = text.substring(Math.max(0, s - CONTEXT_WINDOW), s);
      if (notPrecededBy.matcher(before).find()) {
        return false;
      }
    }
    if (notFollowedBy != null && e < text.length()) {
      String after = text.substring(e, Math.min(text.length(), e + CONTEXT_WINDOW));
      if (notFollowedBy.matcher(after).find()) {
        return false;
      }
    }
    if (validator == Validators.ACCEPT_ALL && allow.length == 0) {
      return true;
    }
    String secret = text.substring(s, e);
    if (!validator.accept(secret)) {
      return false;
    }
    for (Pattern a : allow) {
      if (a.matches(secret)) {
        return false;
      }
    }
    return true;
  }

  RuleInfo info(boolean enabled) {
    return new RuleInfo(id, description, source, enabled, builtIn, replacement, keywords,
        validatorSpec == null ? "" : validatorSpec);
  }

  /** Growable buffer of candidate spans (rule index, start, end). */
  static final class Candidates {
    int size;
    int[] data = new int[24];

    void add(int rule, int start, int end) {
      if (size * 3 + 3 > data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      data[size * 3] = rule;
      data[size * 3 + 1] = start;
      data[size * 3 + 2] = end;
      size++;
    }

    int rule(int i) {
      return data[i * 3];
    }

    int start(int i) {
      return data[i * 3 + 1];
    }

    int end(int i) {
      return data[i * 3 + 2];
    }
  }
}
