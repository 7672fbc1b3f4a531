package dev.telemetryagent.scrub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The redaction engine: text in, scrubbed text and findings out. Immutable and thread-safe; one instance is
 * meant to be shared by every thread of the process.
 *
 * <p>Every rule pattern runs on RE2/J, so scanning is linear in the input whatever the rules. A single
 * prefilter pass (case-insensitive keyword automaton plus character-shape detectors) decides which rules run
 * their regex at all; a string that triggers nothing is returned as the same instance without allocation.
 * Inputs longer than {@link Builder#maxInputChars(int)} are truncated before scanning and marked.
 *
 * <p>The engine fails closed: if scrubbing a string fails for any reason the caller gets
 * {@link #ERROR_MARKER} and the failure is counted. It never stores or logs what it found.
 */
public final class ScrubEngine {
  /** Returned instead of the text when scrubbing failed. */
  public static final String ERROR_MARKER = "<redacted:scrub-error>";
  /** Default size budget: longer inputs are truncated before scanning. */
  public static final int DEFAULT_MAX_INPUT_CHARS = 256 * 1024;
  /** The built-in catalog, a resource of this jar. */
  public static final String BUILTIN_RESOURCE = "dev/telemetryagent/scrub/builtin-rules.json";
  /** Default deny-list for structured attribute keys (matched by words, see {@link #scrubAttribute}). */
  public static final List<String> DEFAULT_DENY_KEYS = List.of("password", "passwd", "pwd", "passphrase",
      "secret", "token", "key", "apikey", "authorization", "auth", "bearer", "cookie", "credential", "private",
      "signature", "session_id", "sessionid", "csrf", "xsrf", "otp", "ssn", "connection_string", "dsn");

  private static volatile RuleLoader.RuleSet builtInCache;

  private final List<Rule> allRules;
  private final boolean[] allEnabled;
  private final Rule[] active;
  private final LongAdder[] counters;
  private final Prefilter prefilter;
  private final int[] alwaysRules;
  private final KeyMatcher denyKeys;
  private final KeyMatcher hashKeys;
  private final byte[] hashSalt;
  private final ThreadLocal<Mac> macs;
  private final int maxInputChars;
  private final Consumer<String> testHook;
  private final ConcurrentHashMap<String, LongAdder> keyCounters = new ConcurrentHashMap<>();
  private final LongAdder errors = new LongAdder();
  private final LongAdder truncations = new LongAdder();
  private final LongAdder scrubbed = new LongAdder();

  private ScrubEngine(Builder b) {
    List<Rule> rules = new ArrayList<>();
    List<Boolean> enabled = new ArrayList<>();
    RuleLoader.RuleSet builtIn = builtInRuleSet();
    if (b.builtInRules) {
      rules.addAll(builtIn.rules);
      enabled.addAll(builtIn.enabled);
    }
    java.util.Set<String> builtInIds = new java.util.HashSet<>();
    for (Rule r : builtIn.rules) {
      builtInIds.add(r.id);
    }
    // New custom rules go first (in file order): on a tie (same span) the user's rule and replacement win.
    int insertAt = 0;
    for (RuleLoader.RuleSet custom : b.loadCustom()) {
      for (int i = 0; i < custom.rules.size(); i++) {
        Rule r = custom.rules.get(i);
        int existing = indexOf(rules, r.id);
        if (existing >= 0) {
          rules.set(existing, r);
          enabled.set(existing, custom.enabled.get(i));
        } else {
          rules.add(insertAt, r);
          enabled.add(insertAt, custom.enabled.get(i));
          insertAt++;
        }
      }
      for (String id : custom.disable) {
        int existing = indexOf(rules, id);
        if (existing >= 0) {
          enabled.set(existing, false);
        } else if (!builtInIds.contains(id)) {
          throw RuleLoader.fail(custom.name, id, -1, "cannot disable: no built-in or custom rule has this id");
        }
      }
    }
    this.allRules = List.copyOf(rules);
    this.allEnabled = new boolean[rules.size()];
    List<Rule> act = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      allEnabled[i] = enabled.get(i);
      if (allEnabled[i]) {
        act.add(rules.get(i));
      }
    }
    this.active = act.toArray(new Rule[0]);
    this.counters = new LongAdder[active.length];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder();
    }
    Prefilter pf;
    try {
      pf = new Prefilter(act);
    } catch (IllegalArgumentException e) {
      throw new RuleFileException("rules file " + b.lastRulesSource() + ": " + e.getMessage());
    }
    this.prefilter = pf;
    this.alwaysRules = prefilter.alwaysRules();
    this.denyKeys = new KeyMatcher(b.denyKeys);
    this.hashKeys = new KeyMatcher(b.hashKeys);
    if (!hashKeys.isEmpty() && (b.hashSalt == null || b.hashSalt.isEmpty())) {
      throw new IllegalStateException("hashKeys " + hashKeys.entries()
          + " need a hashSalt (a secret from configuration, stable across restarts)");
    }
    this.hashSalt = b.hashSalt == null ? null : b.hashSalt.getBytes(StandardCharsets.UTF_8);
    this.macs = hashSalt == null ? null : ThreadLocal.withInitial(this::newMac);
    if (hashSalt != null) {
      newMac(); // fail at build time, not per call, if HmacSHA256 is unavailable
    }
    this.maxInputChars = b.maxInputChars;
    this.testHook = b.testHook;
  }

  private static int indexOf(List<Rule> rules, String id) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id.equals(id)) {
        return i;
      }
    }
    return -1;
  }

  static RuleLoader.RuleSet builtInRuleSet() {
    RuleLoader.RuleSet set = builtInCache;
    if (set == null) {
      synchronized (ScrubEngine.class) {
        set = builtInCache;
        if (set == null) {
          byte[] content;
          try (InputStream in = ScrubEngine.class.getClassLoader().getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("built-in rule catalog " + BUILTIN_RESOURCE + " is missing from the jar");
            }
            content = in.readAllBytes();
          } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in rule catalog " + BUILTIN_RESOURCE, e);
          }
          set = RuleLoader.parse("builtin:" + BUILTIN_RESOURCE, content, true);
          builtInCache = set;
        }
      }
    }
    return set;
  }

  /**
   * The shipped catalog with default settings. Each call builds a new engine with its own counters (a few
   * milliseconds): build one per process and share it.
   */
  public static ScrubEngine builtIn() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scrubs one string: returns the same instance when nothing matched, null for null, and
   * {@link #ERROR_MARKER} (counted in {@link ScrubStats#scrubErrors()}) if anything goes wrong. Never throws.
   */
  public String scrub(String text) {
    if (text == null) {
      return null;
    }
    try {
      scrubbed.increment();
      return run(text, null);
    } catch (Throwable t) {
      return failed();
    }
  }

  /**
   * Scrubs a structured attribute: when the key matches the deny-list the value is replaced by
   * {@code <redacted:key:ENTRY>} whatever it looks like; when it matches the hash-keys the value is replaced by
   * its keyed hash {@code hash:HEX} (HMAC-SHA256 with the configured salt, first 128 bits); otherwise the text
   * rules run on the value. Keys match by words: {@code password} matches {@code db.password},
   * {@code DB_PASSWORD} and {@code userPassword}. The deny-list wins over the hash-keys. Never throws.
   */
  public String scrubAttribute(String key, String value) {
    if (value == null) {
      return null;
    }
    try {
      scrubbed.increment();
      if (key != null) {
        String deny = denyKeys.match(key);
        if (deny != null) {
          countKey("key:" + deny);
          return "<redacted:key:" + deny + ">";
        }
        String hash = hashKeys.match(key);
        if (hash != null) {
          countKey("hash:" + hash);
          return keyedHash(value);
        }
      }
      return run(value, null);
    } catch (Throwable t) {
      return failed();
    }
  }

  /** Scrubs and reports what fired where (offsets into the original text; never the matched text). */
  public ScrubResult scrubWithFindings(String text) {
    if (text == null) {
      return new ScrubResult(null, List.of(), false, false);
    }
    List<Finding> findings = new ArrayList<>();
    try {
      scrubbed.increment();
      String out = run(text, findings);
      return new ScrubResult(out, findings, text.length() > maxInputChars, false);
    } catch (Throwable t) {
      return new ScrubResult(failed(), List.of(), false, true);
    }
  }

  /** Counters since this engine was built. */
  public ScrubStats stats() {
    Map<String, Long> byRule = new LinkedHashMap<>();
    for (int i = 0; i < active.length; i++) {
      long n = counters[i].sum();
      if (n > 0) {
        byRule.merge(active[i].id, n, Long::sum);
      }
    }
    keyCounters.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> byRule.put(e.getKey(), e.getValue().sum()));
    return new ScrubStats(byRule, errors.sum(), truncations.sum(), scrubbed.sum());
  }

  /** Every text rule known to this engine (built-in and custom, enabled or not), in evaluation order. */
  public List<RuleInfo> rules() {
    List<RuleInfo> out = new ArrayList<>(allRules.size());
    for (int i = 0; i < allRules.size(); i++) {
      out.add(allRules.get(i).info(allEnabled[i]));
    }
    return out;
  }

  /** The deny-list entries in effect for {@link #scrubAttribute}. */
  public List<String> denyKeys() {
    return denyKeys.entries();
  }

  /** The hash-key entries in effect for {@link #scrubAttribute}. */
  public List<String> hashKeys() {
    return hashKeys.entries();
  }

  public int maxInputChars() {
    return maxInputChars;
  }

  private String failed() {
    errors.increment();
    return ERROR_MARKER;
  }

  private void countKey(String id) {
    keyCounters.computeIfAbsent(id, k -> new LongAdder()).increment();
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hashSalt, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private String keyedHash(String value) {
    Mac mac = macs.get();
    byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[5 + 32];
    "hash:".getChars(0, 5, out, 0);
    final char[] hex = "0123456789abcdef".toCharArray();
    for (int i = 0; i < 16; i++) {
      out[5 + 2 * i] = hex[(h[i] >> 4) & 0xf];
      out[6 + 2 * i] = hex[h[i] & 0xf];
    }
    return new String(out);
  }

  /** The core: prefilter, run triggered rules, resolve overlaps, rebuild. */
  private String run(String text, List<Finding> findings) {
    return run(text, findings, null);
  }

  /**
   * Work units (chars handed to the regex engine plus the prefilter pass) that scrubbing {@code text} costs;
   * lets tests check that the work is linear in the input without timing anything.
   */
  long measureWork(String text) {
    long[] work = new long[1];
    run(text, null, work);
    return work[0];
  }

  private String run(String text, List<Finding> findings, long[] work) {
    if (testHook != null) {
      testHook.accept(text);
    }
    boolean truncated = text.length() > maxInputChars;
    String input = text;
    int dropped = 0;
    if (truncated) {
      int cut = cutPoint(text, maxInputChars);
      input = text.substring(0, cut);
      dropped = text.length() - cut;
      truncations.increment();
    }
    Prefilter.Hits hits = prefilter.scan(input);
    Rule.Candidates cands = null;
    long spent = 0;
    if (alwaysRules.length > 0) {
      cands = new Rule.Candidates();
      for (int r : alwaysRules) {
        spent += active[r].scanFull(input, 0, r, cands);
      }
    }
    if (hits != null) {
      long[] packed = hits.packed;
      int size = hits.size;
      int i = 0;
      while (i < size) {
        int r = Prefilter.Hits.rule(packed[i]);
        int j = i + 1;
        while (j < size && Prefilter.Hits.rule(packed[j]) == r) {
          j++;
        }
        if (cands == null) {
          cands = new Rule.Candidates();
        }
        Rule rule = active[r];
        spent += rule.lookbehind >= 0 ? rule.scanAround(input, packed, i, j, r, cands)
            : rule.scanFull(input, 0, r, cands);
        i = j;
      }
    }
    if (work != null) {
      work[0] += spent + input.length();
    }
    if (cands == null || cands.size == 0) {
      return truncated ? input + truncationMarker(dropped) : text;
    }
    return rebuild(input, cands, findings, truncated ? truncationMarker(dropped) : null);
  }

  private String rebuild(String input, Rule.Candidates c, List<Finding> findings, String suffix) {
    int k = c.size;
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    // Earliest start, then longest, then rule (catalog) order.
    Arrays.sort(order, (a, b) -> {
      int d = Integer.compare(c.start(a), c.start(b));
      if (d == 0) {
        d = Integer.compare(c.end(b), c.end(a));
      }
      return d != 0 ? d : Integer.compare(c.rule(a), c.rule(b));
    });
    StringBuilder sb = new StringBuilder(input.length() + 24 * k + (suffix == null ? 0 : suffix.length()));
    int copied = 0;
    for (int i = 0; i < k; i++) {
      int idx = order[i];
      int s = c.start(idx);
      int e = c.end(idx);
      if (e <= copied) {
        continue; // inside a span already redacted
      }
      if (s < copied) {
        s = copied; // overlaps the previous span and extends past it: redact the rest too (fail closed)
      }
      int r = c.rule(idx);
      sb.append(input, copied, s).append(active[r].replacement);
      copied = e;
      counters[r].increment();
      if (findings != null) {
        findings.add(new Finding(active[r].id, s, e));
      }
    }
    sb.append(input, copied, input.length());
    if (suffix != null) {
      sb.append(suffix);
    }
    return sb.toString();
  }

  static String truncationMarker(int droppedChars) {
    return "<truncated:" + droppedChars + " chars>";
  }

  /** Where to cut an over-long input: at the budget, backed off to whitespace so that no token is split. */
  static int cutPoint(String text, int max) {
    int cut = max;
    if (cut > 0 && cut < text.length() && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    int limit = Math.max(0, cut - 1024);
    for (int i = cut; i > limit; i--) {
      if (Character.isWhitespace(text.charAt(i - 1))) {
        return i;
      }
    }
    return cut;
  }

  /** Configures an engine. Not thread-safe; {@link #build()} may be called more than once. */
  public static final class Builder {
    private boolean builtInRules = true;
    private final List<Path> rulesFiles = new ArrayList<>();
    private final List<Map.Entry<String, byte[]>> ruleSources = new ArrayList<>();
    private List<String> denyKeys = DEFAULT_DENY_KEYS;
    private List<String> hashKeys = List.of();
    private String hashSalt;
    private int maxInputChars = DEFAULT_MAX_INPUT_CHARS;
    private Consumer<String> testHook;

    private Builder() {}

    /** Whether the shipped catalog is used (default true). */
    public Builder builtInRules(boolean enabled) {
      this.builtInRules = enabled;
      return this;
    }

    /**
     * A custom rule file (same format as the built-in catalog). Its rules are added; a rule whose id is a
     * built-in id replaces the built-in one; {@code "disable": [ids]} or {@code {"id": ..., "enabled": false}}
     * disables rules. May be called several times; files apply in order.
     */
    public Builder rulesFile(Path file) {
      rulesFiles.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Rule file content from somewhere other than a file (the name is used in error messages). */
    Builder rulesSource(String name, String json) {
      ruleSources.add(Map.entry(name, json.getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    /** Replaces the default deny-list ({@link ScrubEngine#DEFAULT_DENY_KEYS}); empty disables key redaction. */
    public Builder denyKeys(Collection<String> keys) {
      this.denyKeys = List.copyOf(keys);
      return this;
    }

    /** Attribute keys whose values are replaced by a keyed hash instead of being kept (needs a salt). */
    public Builder hashKeys(Collection<String> keys) {
      this.hashKeys = List.copyOf(keys);
      return this;
    }

    /** The secret salt (HMAC key) for {@link #hashKeys}; keep it stable so hashes stay stable. */
    public Builder hashSalt(String salt) {
      this.hashSalt = salt;
      return this;
    }

    /** Size budget in chars (default {@value ScrubEngine#DEFAULT_MAX_INPUT_CHARS}); longer inputs are truncated. */
    public Builder maxInputChars(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxInputChars must be positive, got " + max);
      }
      this.maxInputChars = max;
      return this;
    }

    /** Test seam: runs before every scan; an exception it throws exercises the fail-closed path. */
    Builder testHook(Consumer<String> hook) {
      this.testHook = hook;
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws RuleFileException when a rules file is missing, unreadable or invalid (one-line message naming
     *     the file, the rule and the problem)
     * @throws IllegalStateException when hash keys are configured without a salt
     */
    public ScrubEngine build() {
      return new ScrubEngine(this);
    }

    private String lastRulesSource() {
      if (!ruleSources.isEmpty()) {
        return ruleSources.get(ruleSources.size() - 1).getKey();
      }
      return rulesFiles.isEmpty() ? "builtin:" + BUILTIN_RESOURCE : rulesFiles.get(rulesFiles.size() - 1).toString();
    }

    private List<RuleLoader.RuleSet> loadCustom() {
      List<RuleLoader.RuleSet> sets = new ArrayList<>();
      for (Path p : rulesFiles) {
        byte[] content;
        try {
          content = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
          throw RuleLoader.fail(p.toString(), null, -1, "not found");
        } catch (IOException | SecurityException e) {
          throw RuleLoader.fail(p.toString(), null, -1, "cannot be read: " + e);
        }
        sets.add(RuleLoader.parse(p.toString(), content, false));
      }
      for (Map.Entry<String, byte[]> s : ruleSources) {
        sets.add(RuleLoader.parse(s.getKey(), s.getValue(), false));
      }
      return sets;
    }
  }
}
