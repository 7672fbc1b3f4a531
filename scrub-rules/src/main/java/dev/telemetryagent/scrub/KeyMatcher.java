package dev.telemetryagent.scrub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matches structured-attribute keys against a list of entries by words, so that {@code password} matches
 * {@code db.password}, {@code DB_PASSWORD} and {@code userPassword}, {@code key} matches {@code apiKey} and
 * {@code x-api-key} but not {@code keyboard} or {@code monkey}, and {@code api_key} matches {@code apiKey}
 * and {@code apikey}. A key word also matches an entry word with a trailing "s" ({@code credentials}).
 */
final class KeyMatcher {
  private static final String NONE = "\u0000none";
  private static final int CACHE_LIMIT = 10_000;

  private final List<String> entries;
  private final List<String[]> entryWords;
  private final List<String> entryJoined;
  private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

  KeyMatcher(Collection<String> entries) {
    List<String> es = new ArrayList<>();
    List<String[]> ws = new ArrayList<>();
    List<String> js = new ArrayList<>();
    for (String e : entries) {
      if (e == null || e.isBlank()) {
        continue;
      }
      List<String> words = words(e);
      if (words.isEmpty()) {
        continue;
      }
      es.add(e.trim());
      ws.add(words.toArray(new String[0]));
      js.add(String.join("", words));
    }
    this.entries = List.copyOf(es);
    this.entryWords = ws;
    this.entryJoined = js;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  List<String> entries() {
    return entries;
  }

  /** The entry (as configured) that matches the key, or null. */
  String match(String key) {
    if (key == null || entries.isEmpty()) {
      return null;
    }
    String cached = cache.get(key);
    if (cached != null) {
      return cached == NONE ? null : cached;
    }
    String result = compute(key);
    if (cache.size() < CACHE_LIMIT) {
      cache.put(key, result == null ? NONE : result);
    }
    return result;
  }

  private String compute(String key) {
    List<String> words = words(key);
    for (int e = 0; e < entries.size(); e++) {
      String joined = entryJoined.get(e);
      // Any run of consecutive key words whose concatenation equals the entry (plural "s" allowed).
      for (int i = 0; i < words.size(); i++) {
        StringBuilder b = new StringBuilder();
        for (int j = i; j < words.size() && b.length() <= joined.length() + 1; j++) {
          b.append(words.get(j));
          if (b.length() == joined.length() && b.toString().equals(joined)) {
            return entries.get(e);
          }
          if (b.length() == joined.length() + 1 && b.charAt(b.length() - 1) == 's'
              && b.toString().startsWith(joined)) {
            return entries.get(e);
          }
        }
      }
    }
    return null;
  }

  /** Splits on non-alphanumerics and camelCase boundaries, lower-cases: "X-API-Key" -> [x, api, key]. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(cur, out);
        continue;
      }
      if (cur.length() > 0 && Character.isUpperCase(c)) {
        char prev = s.charAt(i - 1);
        boolean nextLower = i + 1 < n && Character.isLowerCase(s.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
          flush(cur, out);
        }
      }
      cur.append(Character.toLowerCase(c));
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() > 0) {
      out.add(cur.toString().toLowerCase(Locale.ROOT));
      cur.setLength(0);
    }
  }
}
