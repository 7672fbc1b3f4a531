package dev.telemetryagent.scrub;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/** One compiled text rule. Immutable and shared between engines and threads. */
final class Rule {
  /** How far before/after a candidate {@code notPrecededBy}/{@code notFollowedBy} look. */
  static final int CONTEXT_WINDOW = 24;
  /** Keywords inside a previous match of at most this many chars get their own attempt. */
  static final int REATTEMPT_WITHIN = 256;

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
  /** {@code notPrecededBy} / {@code notFollowedBy} of the simple form {@code [...]$} / {@code ^[...]}: one char. */
  private final CharClass notPrecededByClass;
  private final CharClass notFollowedByClass;
  /**
   * Max chars between a match start and a trigger position (keyword start or prefilter shape position); -1
   * when unknown: the rule then always scans the whole text.
   */
  final int lookbehind;
  /**
   * For rules triggered by a prefilter shape (and no keywords): the shape bit. The attempt then starts exactly
   * at the start of the character run the shape detected (walked back from the trigger), with no lead-in.
   */
  final int shapeStart;
  /** When set, attempts start at the beginning of the run of these chars ending at the trigger (no lead-in). */
  final CharClass lookbehindChars;
  /** Cheap gate for keyword hits: one of these chars must occur within {@code followWithin} chars of the keyword. */
  final char[] followChars;
  /** When true a keyword hit counts only if the keyword occurs with exactly the given case. */
  final boolean caseSensitiveKeywords;
  final int followWithin;
  /** Anchored attempts need no capture pass: the match starts right after the context char (or at 0). */
  private final boolean exactStart;
  /**
   * The regex of {@code ^(?s:.{0,L}?)(pattern)} for anchored attempts at text start; null when
   * {@code lookbehind < 0}. Compiled on first use (see {@link #anchored}).
   */
  private final String anchoredAtStartRegex;
  /** {@code (?s:.)(?s:.{0,L}?)(?:pattern)}: the first char is context (for \b), not part of the match. */
  private final String anchoredWithContextRegex;
  /** The two anchored wrappers once compiled: [at start, with context]. */
  private volatile Pattern[] anchored;
  /** Secret group numbers in the anchored wrappers (the original groups shifted by one). */
  final int[] anchoredSecretGroups;

  Rule(String id, String description, String source, boolean builtIn, String replacement, List<String> keywords,
      int shapes, String shapeName, Pattern pattern, int[] secretGroups, String validatorSpec,
      Validators.Validator validator, Pattern[] allow, Pattern notPrecededBy, Pattern notFollowedBy,
      int lookbehind, CharClass lookbehindChars, int shapeStart, char[] followChars, int followWithin,
      boolean caseSensitiveKeywords) {
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
    this.notPrecededByClass = singleClass(notPrecededBy, false);
    this.notFollowedByClass = singleClass(notFollowedBy, true);
    this.lookbehind = lookbehind;
    this.shapeStart = shapeStart;
    this.lookbehindChars = lookbehindChars;
    this.followChars = followChars;
    this.caseSensitiveKeywords = caseSensitiveKeywords;
    this.followWithin = followWithin;
    if (lookbehind >= 0) {
      String lazy = lookbehind == 0 || lookbehindChars != null ? "" : "(?s:.{0," + lookbehind + "}?)";
      this.exactStart = lazy.isEmpty() && secretGroups.length == 0;
      // The leading ^ matters: RE2/J stops an anchored search early only when the program itself starts with
      // ^ (otherwise it steps through the rest of the input with no live threads).
      this.anchoredAtStartRegex = "^" + lazy + "(" + pattern.pattern() + ")";
      this.anchoredWithContextRegex = "^(?s:.)" + lazy + "(" + pattern.pattern() + ")";
      this.anchoredSecretGroups = new int[secretGroups.length];
      for (int i = 0; i < secretGroups.length; i++) {
        anchoredSecretGroups[i] = secretGroups[i] + 1;
      }
    } else {
      this.anchoredAtStartRegex = null;
      this.anchoredWithContextRegex = null;
      this.anchoredSecretGroups = null;
      this.exactStart = false;
    }
  }

  /**
   * The anchored wrappers, compiled the first time a trigger needs them: most rules never trigger in a given
   * process, and compiling every wrapper up front was two thirds of the engine's build time (which is start-up
   * time for the agent). The wrapped pattern compiled already, so these cannot fail; a race compiles twice,
   * harmlessly.
   */
  private Pattern[] anchored() {
    Pattern[] a = anchored;
    if (a == null) {
      a = new Pattern[] {Pattern.compile(anchoredAtStartRegex), Pattern.compile(anchoredWithContextRegex)};
      anchored = a;
    }
    return a;
  }

  /**
   * Runs the rule over {@code text} from {@code from} and reports every accepted secret span to {@code sink}.
   * Matches are searched left to right without overlap (each search resumes at the previous match's end), so
   * the work is one linear RE2 pass plus bounded per-candidate checks.
   *
   * @return work units spent (chars handed to the regex engine)
   */
  long scanFull(String text, int from, int ruleIndex, Candidates sink) {
    Matcher m = pattern.matcher(text);
    int pos = from;
    int n = text.length();
    while (pos <= n && m.find(pos)) {
      int mStart = m.start();
      int mEnd = m.end();
      report(text, m, 0, secretGroups, 0, ruleIndex, sink);
      pos = mEnd > mStart ? mEnd : mEnd + 1;
    }
    return n - from;
  }

  /**
   * Runs anchored attempts only around trigger positions {@code positions[from..to)} (packed, ascending): at each position p
   * the match may start anywhere in {@code [p - lookbehind, p]} (and not before the previous match's end). The
   * chars each attempt reads are counted; when they exceed a budget linear in the text length the rule
   * switches to one full scan from where it is, so the total work stays linear whatever the input.
   *
   * @return work units spent
   */
  long scanAround(String text, long[] positions, int from, int to, int ruleIndex, Candidates sink) {
    int n = text.length();
    long budget = 4L * n + 1024;
    long used = 0;
    int lastEnd = 0;
    int lastStart = -1;
    for (int h = from; h < to; h++) {
      int p = Prefilter.Hits.position(positions[h]);
      if ((caseSensitiveKeywords && !exactKeywordAt(text, p)) || (followChars != null && !followedWithin(text, p))) {
        continue;
      }
      // A keyword inside a short previous match still gets its own attempt (e.g. "password=  passwd: x", where
      // the first match took "passwd:" as its value); overlapping candidates are merged when the text is
      // rebuilt. Long matches (values running to the end of the line) already cover everything after them.
      if (p < lastEnd && lastEnd - lastStart > REATTEMPT_WITHIN) {
        continue;
      }
      int floorBase = p < lastEnd ? lastStart + 1 : lastEnd;
      while (true) {
        int start;
        if (shapeStart != 0) {
          start = Math.max(runStart(text, p, shapeStart), floorBase);
        } else if (lookbehindChars != null) {
          int floor = Math.max(p - lookbehind, floorBase);
          start = p;
          while (start > floor && lookbehindChars.contains(text.charAt(start - 1))) {
            start--;
          }
        } else {
          start = Math.max(p - lookbehind, floorBase);
        }
        int viewStart = start > 0 ? start - 1 : 0;
        View view = new View(text, viewStart);
        Pattern[] wrappers = anchored();
        Matcher m = (start > 0 ? wrappers[1] : wrappers[0]).matcher(view);
        boolean found = m.lookingAt();
        used += view.maxRead - viewStart + 1;
        if (found) {
          int mEnd = viewStart + m.end();
          if (exactStart) {
            // The span is known without RE2/J's second (capture) pass: ORIG starts after the context char.
            int s0 = start > 0 ? start : 0;
            if (mEnd > s0 && accept(text, s0, mEnd)) {
              sink.add(ruleIndex, s0, mEnd);
            }
          } else {
            report(text, m, viewStart, anchoredSecretGroups, 1, ruleIndex, sink);
          }
          lastStart = start;
          lastEnd = Math.max(lastEnd, mEnd);
          floorBase = Math.max(floorBase, mEnd);
        }
        if (used > budget) {
          return used + (lastEnd <= n ? scanFull(text, lastEnd, ruleIndex, sink) : 0);
        }
        // A match that ended before the trigger position may hide a later one that covers it.
        if (!found || floorBase > p) {
          break;
        }
      }
    }
    return used;
  }

  /** A CharClass when the context pattern is exactly one bracket class anchored at the candidate, else null. */
  static CharClass singleClass(Pattern context, boolean leading) {
    if (context == null) {
      return null;
    }
    String p = context.pattern();
    String cls = leading ? (p.startsWith("^") ? p.substring(1) : null) : (p.endsWith("$") ? p.substring(0, p.length() - 1) : null);
    if (cls == null || cls.length() < 3 || cls.charAt(0) != '[' || cls.charAt(cls.length() - 1) != ']'
        || cls.indexOf('[', 1) >= 0 || cls.indexOf(']') != cls.length() - 1 || cls.endsWith("\\]")) {
      return null;
    }
    return new CharClass(Pattern.compile(cls));
  }

  private boolean exactKeywordAt(String text, int p) {
    for (String k : keywords) {
      if (text.startsWith(k, p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code followedBy} gate: one of {@link #followChars} occurs within {@link #followWithin} chars of the
   * keyword at {@code p}, before a second whitespace-separated word starts ("password = x" and
   * "password: x" pass, "password reset: done" does not).
   */
  private boolean followedWithin(String text, int p) {
    int end = Math.min(text.length(), p + followWithin);
    boolean sawSpace = false;
    for (int i = p; i < end; i++) {
      char c = text.charAt(i);
      for (char f : followChars) {
        if (c == f) {
          return true;
        }
      }
      if (c == ' ' || c == '\t') {
        sawSpace = true;
      } else if (sawSpace || c == '\n' || c == '\r') {
        return false;
      }
    }
    return false;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean hex(char c) {
    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Start of the run of characters that a prefilter shape detected, walking back from its trigger {@code p}. */
  static int runStart(String text, int p, int shape) {
    int i = p;
    switch (shape) {
      case RuleLoader.SHAPE_CARD:
        while (i > 0 && p - i < 40) {
          char c = text.charAt(i - 1);
          if (digit(c) || ((c == ' ' || c == '-') && i >= 2 && digit(text.charAt(i - 2)))) {
            i--;
          } else {
            break;
          }
        }
        return i;
      case RuleLoader.SHAPE_SSN:
      case RuleLoader.SHAPE_IPV4: {
        char sep = shape == RuleLoader.SHAPE_SSN ? '-' : '.';
        while (i > 0 && p - i < 20 && (digit(text.charAt(i - 1)) || text.charAt(i - 1) == sep)) {
          i--;
        }
        while (i < p && !digit(text.charAt(i))) {
          i++;
        }
        return i;
      }
      case RuleLoader.SHAPE_IPV6:
        while (i > 0 && p - i < 45 && (hex(text.charAt(i - 1)) || text.charAt(i - 1) == ':')) {
          i--;
        }
        if (i > 0 && i < p && isWordChar(text.charAt(i - 1))) {
          while (i < p && text.charAt(i) != ':') {
            i++; // "data:2001:db8::1": the hex tail of a longer word ("a") cannot start the address
          }
        }
        if (i < p && text.charAt(i) == ':' && text.charAt(i + 1) != ':') {
          i++; // "ip:2001:db8::1": the address starts after a single colon
        }
        return i;
      case RuleLoader.SHAPE_IBAN:
        return Math.max(0, p - 3);
      default:
        return p;
    }
  }

  /**
   * Reports the secret span of a match: the first participating "secret*" group, else the whole match (group
   * {@code whole}: 0 for the plain pattern, 1 for the anchored wrappers that capture the original pattern).
   */
  private void report(String text, Matcher m, int offset, int[] groups, int whole, int ruleIndex,
      Candidates sink) {
    int s = -1;
    int e = -1;
    if (groups.length == 0) {
      s = m.start(whole);
      e = m.end(whole);
    } else {
      for (int g : groups) {
        int gs = m.start(g);
        if (gs >= 0) {
          s = gs;
          e = m.end(g);
          break;
        }
      }
    }
    if (s >= 0 && e > s) {
      s += offset;
      e += offset;
      if (accept(text, s, e)) {
        sink.add(ruleIndex, s, e);
      }
    }
  }

  private boolean accept(String text, int s, int e) {
    if (notPrecededByClass != null) {
      if (s > 0 && notPrecededByClass.contains(text.charAt(s - 1))) {
        return false;
      }
    } else if (notPrecededBy != null && s > 0) {
      String before = text.substring(Math.max(0, s - CONTEXT_WINDOW), s);
      if (notPrecededBy.matcher(before).find()) {
        return false;
      }
    }
    if (notFollowedByClass != null) {
      if (e < text.length() && notFollowedByClass.contains(text.charAt(e))) {
        return false;
      }
    } else if (notFollowedBy != null && e < text.length()) {
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

  /** A suffix of the text as a CharSequence that records how far the regex engine read. */
  static final class View implements CharSequence {
    private final String text;
    private final int offset;
    int maxRead;

    View(String text, int offset) {
      this.text = text;
      this.offset = offset;
      this.maxRead = offset;
    }

    @Override
    public int length() {
      return text.length() - offset;
    }

    @Override
    public char charAt(int index) {
      int i = offset + index;
      if (i > maxRead) {
        maxRead = i;
      }
      return text.charAt(i);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      if (offset + end - 1 > maxRead) {
        maxRead = offset + end - 1;
      }
      return text.subSequence(offset + start, offset + end);
    }

    @Override
    public String toString() {
      maxRead = text.length() - 1;
      return text.substring(offset);
    }
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
