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
  private final int words;
  /** ASCII char (lower-cased) to alphabet class; class 0 = "any other char". */
  private final int[] asciiClass = new int[128];
  /** Sorted non-ASCII keyword chars (lower-cased) and their classes. */
  private final char[] wideChars;
  private final int[] wideClasses;
  private final int classes;
  /** delta[state * classes + cls] = next state * classes, negated-minus-one when the next state has output. */
  private final int[] delta;
  /** Per state (indexed by state): rule indices whose keyword ends here (including via failure links). */
  private final int[][] outputs;
  /** Rules with neither keywords nor shape prefilter: they always run. */
  private final long[] always;
  private final boolean anyAlways;
  /** Shape bits each rule needs (0: none). */
  private final int[] shapeOf;
  /** Rules that have keywords: a shape alone does not trigger them, it only gates their keyword hits. */
  private final boolean[] hasKeywords;
  private final int shapesUsed;

  Prefilter(List<Rule> rules) {
    this.ruleCount = rules.size();
    this.words = (ruleCount + 63) / 64;
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
    gotoTable.add(newRow());
    out.add(new ArrayList<>());
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
          }
          state = next;
        }
        if (!out.get(state).contains(r)) {
          out.get(state).add(r);
        }
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
      for (Integer o : out.get(fail[s])) {
        if (!out.get(s).contains(o)) {
          out.get(s).add(o);
        }
      }
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
    for (int s = 0; s < states; s++) {
      List<Integer> o = out.get(s);
      outputs[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    delta = new int[states * classes];
    for (int s = 0; s < states; s++) {
      for (int c = 0; c < classes; c++) {
        int next = full[s][c];
        int v = next * classes;
        delta[s * classes + c] = outputs[next] != null ? -v - 1 : v;
      }
    }

    always = new long[words];
    boolean anyAlways = false;
    int[] shapeOf = new int[ruleCount];
    hasKeywords = new boolean[ruleCount];
    int shapesUsed = 0;
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      hasKeywords[r] = !rule.keywords.isEmpty();
      shapeOf[r] = rule.shapes;
      shapesUsed |= rule.shapes;
      if (rule.keywords.isEmpty() && rule.shapes == 0) {
        always[r >>> 6] |= 1L << r;
        anyAlways = true;
      }
    }
    this.anyAlways = anyAlways;
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
   * Scans the text; returns null when no rule needs to run, else a bitset of the rules to run (rule index
   * i is bit {@code i & 63} of word {@code i >>> 6}).
   */
  long[] scan(String text) {
    final int[] delta = this.delta;
    final int[] asciiClass = this.asciiClass;
    final int n = text.length();
    long[] hits = null;
    int offset = 0;
    int shapes = 0;
    final int wanted = shapesUsed;
    // Shape detector state.
    int cardDigits = 0;
    boolean cardSep = false;
    int ssnDigits = 0;
    boolean ssnDash = false;
    int ipGroups = 0;
    int ipCur = 0;
    int v6Colons = 0;
    boolean v6Double = false;
    boolean prevColon = false;
    int ibanUpper = 0;
    int ibanDigits = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int next = delta[offset + (c < 128 ? asciiClass[c] : classOf(c))];
      if (next < 0) {
        next = -next - 1;
        if (hits == null) {
          hits = new long[words];
        }
        for (int r : outputs[next / classes]) {
          hits[r >>> 6] |= 1L << r;
        }
      }
      offset = next;
      if (wanted == 0) {
        continue;
      }
      // Shapes. Digits first: the most common interesting character.
      if (c >= '0' && c <= '9') {
        cardDigits++;
        cardSep = false;
        if (cardDigits >= 13) {
          shapes |= RuleLoader.SHAPE_CARD;
        }
        ssnDigits++;
        if (ssnDigits >= 9 && ssnDash) {
          shapes |= RuleLoader.SHAPE_SSN;
        }
        ipCur++;
        if (ipCur > 3) {
          ipGroups = 0;
        } else if (ipGroups >= 3) {
          shapes |= RuleLoader.SHAPE_IPV4;
        }
        prevColon = false;
        if (ibanUpper == 2) {
          if (++ibanDigits >= 2) {
            shapes |= RuleLoader.SHAPE_IBAN;
          }
        } else {
          ibanUpper = 0;
        }
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
      if (c == '.') {
        ipGroups = ipCur >= 1 && ipCur <= 3 ? ipGroups + 1 : 0;
      } else {
        ipGroups = 0;
      }
      ipCur = 0;
      if (c == ':') {
        v6Colons++;
        if (prevColon) {
          v6Double = true;
        }
        prevColon = true;
        if (v6Double || v6Colons >= 7) {
          shapes |= RuleLoader.SHAPE_IPV6;
        }
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        prevColon = false;
      } else {
        v6Colons = 0;
        v6Double = false;
        prevColon = false;
      }
    }
    if (wanted != 0) {
      for (int r = 0; r < ruleCount; r++) {
        int s = shapeOf[r];
        if (s == 0) {
          continue;
        }
        boolean shapeOk = (s & shapes) == s;
        if (hasKeywords[r]) {
          if (!shapeOk && hits != null) {
            hits[r >>> 6] &= ~(1L << r); // keywords AND shape
          }
        } else if (shapeOk) {
          if (hits == null) {
            hits = new long[words];
          }
          hits[r >>> 6] |= 1L << r;
        }
      }
    }
    if (anyAlways) {
      if (hits == null) {
        hits = new long[words];
      }
      for (int w = 0; w < words; w++) {
        hits[w] |= always[w];
      }
    }
    return hits;
  }
}
