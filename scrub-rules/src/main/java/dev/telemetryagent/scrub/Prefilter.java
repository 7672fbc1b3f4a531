package dev.telemetryagent.scrub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One pass over the text that decides which rules need to run their regex: a case-insensitive Aho-Corasick
 * automaton over every rule's keywords, plus cheap character-shape detectors for rules that have no literal
 * keyword (card numbers, SSNs, IPv4/IPv6 addresses, IBANs). The pass allocates nothing unless it finds
 * something.
 */
final class Prefilter {
  private static final char[] NO_CHARS = new char[0];

  private final int ruleCount;
  /** ASCII char (lower-cased) to alphabet class; class 0 = "any other char". */
  private final int[] asciiClass = new int[128];
  /** Sorted non-ASCII keyword chars (lower-cased) and their classes. */
  private final char[] wideChars;
  private final int[] wideClasses;
  private final int classes;
  /**
   * delta[state * classes + cls] = next state, with bit 15 set when the next state has output. A char table
   * keeps the automaton small enough to stay in the CPU caches, which is what the scan speed depends on.
   */
  private final char[] delta;
  /** Per state: rule indices whose keyword ends here (including via failure links), and keyword lengths. */
  private final int[][] outputs;
  private final int[][] outputLengths;
  /** Rules with neither keywords nor shape prefilter: they always run. */
  private final int[] alwaysRules;
  /** Shape bits each rule needs (0: none). */
  private final int[] shapeOf;
  /** Per shape bit index: the rules (without keywords) that the shape triggers. */
  private final int[][] rulesByShape;
  /** Whether some rule has both keywords and a shape (keyword hits then need the shape too). */
  private final boolean gatedByShape;
  private final int shapesUsed;

  Prefilter(List<Rule> rules) {
    this.ruleCount = rules.size();
    // Alphabet.
    TreeSet<Character> alphabet = new TreeSet<>();
    for (Rule r : rules) {
      for (String k : r.keywords) {
        for (int i = 0; i < k.length(); i++) {
          alphabet.add(lower(k.charAt(i)));
        }
      }
    }
    int cls = 1;
    List<Character> wide = new ArrayList<>();
    for (char c : alphabet) {
      if (c < 128) {
        asciiClass[c] = cls++;
      } else {
        wide.add(c);
      }
    }
    wideChars = wide.isEmpty() ? NO_CHARS : new char[wide.size()];
    wideClasses = new int[wide.size()];
    for (int i = 0; i < wide.size(); i++) {
      wideChars[i] = wide.get(i);
      wideClasses[i] = cls++;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      asciiClass[c] = asciiClass[Character.toLowerCase(c)];
    }
    classes = cls;

    // Trie.
    List<int[]> gotoTable = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    List<List<Integer>> outLen = new ArrayList<>();
    gotoTable.add(newRow());
    out.add(new ArrayList<>());
    outLen.add(new ArrayList<>());
    for (int r = 0; r < rules.size(); r++) {
      for (String k : rules.get(r).keywords) {
        int state = 0;
        for (int i = 0; i < k.length(); i++) {
          int c = classOf(k.charAt(i));
          int next = gotoTable.get(state)[c];
          if (next <= 0) {
            next = gotoTable.size();
            gotoTable.get(state)[c] = next;
            gotoTable.add(newRow());
            out.add(new ArrayList<>());
            outLen.add(new ArrayList<>());
          }
          state = next;
        }
        out.get(state).add(r);
        outLen.get(state).add(k.length());
      }
    }
    int states = gotoTable.size();
    int[] fail = new int[states];
    int[][] full = new int[states][];
    // BFS to build failure links and the full DFA.
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    full[0] = new int[classes];
    for (int c = 0; c < classes; c++) {
      int next = gotoTable.get(0)[c];
      if (next > 0) {
        full[0][c] = next;
        fail[next] = 0;
        queue.add(next);
      } else {
        full[0][c] = 0;
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      full[s] = new int[classes];
      out.get(s).addAll(out.get(fail[s]));
      outLen.get(s).addAll(outLen.get(fail[s]));
      for (int c = 0; c < classes; c++) {
        int next = gotoTable.get(s)[c];
        if (next > 0) {
          fail[next] = full[fail[s]][c];
          full[s][c] = next;
          queue.add(next);
        } else {
          full[s][c] = full[fail[s]][c];
        }
      }
    }
    outputs = new int[states][];
    outputLengths = new int[states][];
    for (int s = 0; s < states; s++) {
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).toArray();
      outputLengths[s] = outLen.get(s).stream().mapToInt(Integer::intValue).toArray();
    }
    if (states >= 0x8000) {
      throw new IllegalArgumentException("too many keywords: " + states + " automaton states (max 32767)");
    }
    delta = new char[states * classes];
    for (int s = 0; s < states; s++) {
      for (int c = 0; c < classes; c++) {
        int next = full[s][c];
        delta[s * classes + c] = (char) (outputs[next] != null ? next | 0x8000 : next);
      }
    }

    int[] shapeOf = new int[ruleCount];
    List<List<Integer>> byShape = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byShape.add(new ArrayList<>());
    }
    List<Integer> always = new ArrayList<>();
    boolean gated = false;
    int shapesUsed = 0;
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      shapeOf[r] = rule.shapes;
      shapesUsed |= rule.shapes;
      if (rule.shapes != 0 && rule.keywords.isEmpty()) {
        byShape.get(Integer.numberOfTrailingZeros(rule.shapes)).add(r);
      } else if (rule.shapes != 0) {
        gated = true;
      } else if (rule.keywords.isEmpty()) {
        always.add(r);
      }
    }
    this.rulesByShape = new int[8][];
    for (int i = 0; i < 8; i++) {
      rulesByShape[i] = byShape.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    this.alwaysRules = always.stream().mapToInt(Integer::intValue).toArray();
    this.gatedByShape = gated;
    this.shapeOf = shapeOf;
    this.shapesUsed = shapesUsed;
  }

  private int[] newRow() {
    return new int[classes];
  }

  private static char lower(char c) {
    return c < 128 ? (char) (c >= 'A' && c <= 'Z' ? c + 32 : c) : Character.toLowerCase(c);
  }

  private int classOf(char c) {
    if (c < 128) {
      return asciiClass[c];
    }
    if (wideChars.length == 0) {
      return 0;
    }
    int i = Arrays.binarySearch(wideChars, Character.toLowerCase(c));
    return i >= 0 ? wideClasses[i] : 0;
  }

  /**
   * Trigger positions found by one scan: {@code packed[0..size)} holds {@code (rule << 32) | position}, sorted,
   * so the positions of one rule are contiguous and ascending.
   */
  static final class Hits {
    long[] packed = new long[16];
    int size;

    void add(int rule, int pos) {
      if (size == packed.length) {
        packed = Arrays.copyOf(packed, size * 2);
      }
      packed[size++] = ((long) rule << 32) | pos;
    }

    static int rule(long packed) {
      return (int) (packed >>> 32);
    }

    static int position(long packed) {
      return (int) packed;
    }
  }

  /** Scans the text; returns null when no rule needs to run. */
  Hits scan(String text) {
    final char[] delta = this.delta;
    final int[] asciiClass = this.asciiClass;
    final int classes = this.classes;
    final int n = text.length();
    Hits hits = null;
    int state = 0;
    int shapes = 0;
    final int wanted = shapesUsed;
    // Shape detector state.
    int cardDigits = 0;
    boolean cardSep = false;
    int ssnDigits = 0;
    boolean ssnDash = false;
    // IPv4: a run of digits and dots; fires at the run's end, at its start, when it has exactly four groups.
    int ipRunStart = -1;
    int ipGroups = 0;
    int ipCur = 0;
    boolean ipBad = false;
    int v6Colons = 0;
    boolean v6Double = false;
    boolean v6Fired = false;
    boolean prevColon = false;
    int ibanUpper = 0;
    int ibanDigits = 0;
    boolean dirty = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int next = delta[state * classes + (c < 128 ? asciiClass[c] : classOf(c))];
      if (next >= 0x8000) {
        next &= 0x7fff;
        if (hits == null) {
          hits = new Hits();
        }
        int[] rs = outputs[next];
        int[] ls = outputLengths[next];
        for (int j = 0; j < rs.length; j++) {
          hits.add(rs[j], i - ls[j] + 1);
        }
      }
      state = next;
      // Fast path: while no shape detector is inside a run, only digits, ':' and upper-case letters can start
      // one; everything else (lower-case letters, spaces, punctuation, non-ASCII) leaves them idle.
      if (!dirty && (c > 'Z' || c < '0' || (c > '9' && c < 'A' && c != ':'))) {
        continue;
      }
      if (wanted == 0) {
        continue;
      }
      // Shapes. Each fires at a position at most SHAPE_LOOKBEHIND chars after the start of what it detected.
      if (c >= '0' && c <= '9') {
        // Card: once a run of digit groups reaches 13 digits, fire at the start of each of its groups so far,
        // then at each later group start: cards start at a group start.
        boolean groupStart = cardDigits == 0 || cardSep;
        cardDigits++;
        cardSep = false;
        if (cardDigits == 13) {
          shapes |= RuleLoader.SHAPE_CARD;
          hits = fireCardGroups(hits, text, i);
        } else if (groupStart && cardDigits > 13) {
          hits = fire(hits, RuleLoader.SHAPE_CARD, i);
        }
        ssnDigits++;
        if (ssnDigits == 9 && ssnDash) {
          shapes |= RuleLoader.SHAPE_SSN;
          hits = fire(hits, RuleLoader.SHAPE_SSN, i);
        }
        if (ipRunStart < 0) {
          ipRunStart = i;
          ipGroups = 0;
          ipCur = 0;
          ipBad = false;
        }
        if (++ipCur > 3) {
          ipBad = true;
        }
        prevColon = false;
        if (ibanUpper == 2) {
          if (++ibanDigits == 2) {
            shapes |= RuleLoader.SHAPE_IBAN;
            hits = fire(hits, RuleLoader.SHAPE_IBAN, i);
          }
        } else {
          ibanUpper = 0;
        }
        dirty = true;
        continue;
      }
      if (c >= 'A' && c <= 'Z') {
        if (ibanDigits > 0) {
          ibanUpper = 1;
          ibanDigits = 0;
        } else if (ibanUpper < 2) {
          ibanUpper++;
        }
      } else {
        ibanUpper = 0;
        ibanDigits = 0;
      }
      // Card: single space/dash separators between digit groups.
      if ((c == ' ' || c == '-') && cardDigits > 0 && !cardSep) {
        cardSep = true;
      } else {
        cardDigits = 0;
        cardSep = false;
      }
      if (c == '-') {
        ssnDash = ssnDigits > 0 || ssnDash;
      } else {
        ssnDigits = 0;
        ssnDash = false;
      }
      if (ipRunStart >= 0) {
        if (c == '.') {
          if (ipCur == 0) {
            ipBad = true;
          }
          ipGroups++;
          ipCur = 0;
        } else {
          if (!ipBad && ipGroups + (ipCur > 0 ? 1 : 0) == 4) {
            shapes |= RuleLoader.SHAPE_IPV4;
            hits = fire(hits, RuleLoader.SHAPE_IPV4, ipRunStart);
          }
          ipRunStart = -1;
        }
      }
      if (c == ':') {
        v6Colons++;
        if (prevColon) {
          v6Double = true;
        }
        prevColon = true;
        if (!v6Fired && (v6Double || v6Colons >= 7)) {
          shapes |= RuleLoader.SHAPE_IPV6;
          hits = fire(hits, RuleLoader.SHAPE_IPV6, i);
          v6Fired = true;
        }
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        prevColon = false;
      } else {
        v6Colons = 0;
        v6Double = false;
        v6Fired = false;
        prevColon = false;
      }
      dirty = (cardDigits | ssnDigits | v6Colons | ibanUpper | ibanDigits) != 0 || ssnDash || ipRunStart >= 0;
    }
    if (ipRunStart >= 0 && !ipBad && ipGroups + (ipCur > 0 ? 1 : 0) == 4 && wanted != 0) {
      shapes |= RuleLoader.SHAPE_IPV4;
      hits = fire(hits, RuleLoader.SHAPE_IPV4, ipRunStart);
    }
    if (hits == null) {
      return null;
    }
    // Keywords AND shape: drop keyword hits of rules whose shape did not occur.
    if (gatedByShape) {
      int w = 0;
      for (int k = 0; k < hits.size; k++) {
        int s = shapeOf[Hits.rule(hits.packed[k])];
        if (s == 0 || (s & shapes) == s) {
          hits.packed[w++] = hits.packed[k];
        }
      }
      hits.size = w;
    }
    if (hits.size > 1) {
      Arrays.sort(hits.packed, 0, hits.size);
    }
    return hits;
  }

  /** Fires the card shape at every group start of the digit-group run that ends at {@code i}. */
  private Hits fireCardGroups(Hits hits, String text, int i) {
    int start = i;
    while (start > 0 && i - start < 40) {
      char c = text.charAt(start - 1);
      boolean digit = c >= '0' && c <= '9';
      boolean sep = (c == ' ' || c == '-') && start >= 2 && text.charAt(start - 2) >= '0' && text.charAt(start - 2) <= '9';
      if (!digit && !sep) {
        break;
      }
      start--;
    }
    for (int k = start; k <= i; k++) {
      char c = text.charAt(k);
      if (c >= '0' && c <= '9' && (k == start || text.charAt(k - 1) == ' ' || text.charAt(k - 1) == '-')) {
        hits = fire(hits, RuleLoader.SHAPE_CARD, k);
      }
    }
    return hits;
  }

  private Hits fire(Hits hits, int shape, int pos) {
    int[] rules = rulesByShape[Integer.numberOfTrailingZeros(shape)];
    if (rules.length == 0) {
      return hits;
    }
    if (hits == null) {
      hits = new Hits();
    }
    for (int r : rules) {
      hits.add(r, pos);
    }
    return hits;
  }

  /** Rules that run on every string (no keywords, no prefilter shape). */
  int[] alwaysRules() {
    return alwaysRules.clone();
  }
}
