package dev.telemetryagent.scrub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads rule files (the built-in catalog and custom files share one format) and compiles their rules with
 * RE2/J. Every problem becomes a {@link RuleFileException} with a one-line message naming the file, the rule
 * and the problem.
 */
final class RuleLoader {
  static final int FORMAT_VERSION = 1;

  static final int SHAPE_CARD = 1;
  static final int SHAPE_SSN = 2;
  static final int SHAPE_IPV4 = 4;
  static final int SHAPE_IPV6 = 8;
  static final int SHAPE_IBAN = 16;

  static final Map<String, Integer> SHAPES = new LinkedHashMap<>();

  static {
    SHAPES.put("card-digits", SHAPE_CARD);
    SHAPES.put("ssn-digits", SHAPE_SSN);
    SHAPES.put("ipv4", SHAPE_IPV4);
    SHAPES.put("ipv6", SHAPE_IPV6);
    SHAPES.put("iban", SHAPE_IBAN);
  }

  static final int MAX_LOOKBEHIND = 256;

  private static final Set<String> FILE_FIELDS = Set.of("formatVersion", "description", "rules", "disable");
  private static final Set<String> RULE_FIELDS = Set.of("id", "description", "source", "keywords", "prefilter",
      "pattern", "validator", "replacement", "allow", "notPrecededBy", "notFollowedBy", "lookbehind", "lookbehindChars", "followedBy", "caseSensitiveKeywords", "enabled");

  private static final String[] EMPTY_MATCH_PROBES = {"", " ", "a", "Z", "0", "-", "\n", "x y", "a=b"};

  /** jackson-core only (see {@link JsonValue}): comments and trailing commas allowed, duplicate keys an error. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The content of one rule file: rules it defines (enabled or not) and ids it disables. */
  static final class RuleSet {
    final String name;
    final List<Rule> rules = new ArrayList<>();
    final List<Boolean> enabled = new ArrayList<>();
    final List<String> disable = new ArrayList<>();

    RuleSet(String name) {
      this.name = name;
    }
  }

  private RuleLoader() {}

  static RuleSet parse(String fileName, byte[] content, boolean builtIn) {
    JsonValue root;
    try (JsonParser p = JSON.createParser(content)) {
      root = JsonValue.read(p);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw fail(fileName, null, -1, "malformed JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw fail(fileName, null, -1, "cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw fail(fileName, null, -1, "must be a JSON object with \"formatVersion\" and \"rules\"");
    }
    for (String f : root.fieldNames()) {
      if (!FILE_FIELDS.contains(f)) {
        throw fail(fileName, null, -1, "unknown top-level field \"" + f + "\" (known: " + sorted(FILE_FIELDS) + ")");
      }
    }
    JsonValue version = root.get("formatVersion");
    if (version == null) {
      throw fail(fileName, null, -1, "missing \"formatVersion\" (this version reads formatVersion " + FORMAT_VERSION + ")");
    }
    if (!version.isInt() || version.intValue() != FORMAT_VERSION) {
      throw fail(fileName, null, -1, "unsupported formatVersion " + version + " (this version reads formatVersion "
          + FORMAT_VERSION + ")");
    }
    RuleSet set = new RuleSet(fileName);
    JsonValue rules = root.get("rules");
    if (rules != null && !rules.isArray()) {
      throw fail(fileName, null, -1, "\"rules\" must be an array");
    }
    Set<String> seen = new java.util.HashSet<>();
    if (rules != null) {
      for (int i = 0; i < rules.size(); i++) {
        parseRule(fileName, rules.get(i), i, builtIn, set, seen);
      }
    }
    JsonValue disable = root.get("disable");
    if (disable != null) {
      if (!disable.isArray()) {
        throw fail(fileName, null, -1, "\"disable\" must be an array of rule ids");
      }
      for (JsonValue d : disable) {
        if (!d.isTextual() || d.asText().isBlank()) {
          throw fail(fileName, null, -1, "\"disable\" must contain rule ids (strings), found " + d);
        }
        set.disable.add(d.asText());
      }
    }
    return set;
  }

  private static void parseRule(String file, JsonValue node, int index, boolean builtIn, RuleSet set,
      Set<String> seen) {
    if (node == null || !node.isObject()) {
      throw fail(file, null, index, "must be a JSON object");
    }
    String id = text(file, node, "id", null, index);
    if (id == null) {
      throw fail(file, null, index, "missing \"id\"");
    }
    if (!validId(id)) {
      throw fail(file, id, index, "bad id: use 1-80 characters from [A-Za-z0-9._-], starting with a letter or digit");
    }
    if (!seen.add(id)) {
      throw fail(file, id, index, "duplicate id in this file");
    }
    for (String f : node.fieldNames()) {
      if (!RULE_FIELDS.contains(f)) {
        throw fail(file, id, index, "unknown field \"" + f + "\" (known: " + sorted(RULE_FIELDS) + ")");
      }
    }
    boolean enabled = true;
    JsonValue en = node.get("enabled");
    if (en != null) {
      if (!en.isBoolean()) {
        throw fail(file, id, index, "\"enabled\" must be true or false");
      }
      enabled = en.booleanValue();
    }
    String patternText = text(file, node, "pattern", id, index);
    if (patternText == null) {
      if (!enabled && node.size() <= 2) {
        set.disable.add(id); // {"id": "...", "enabled": false} disables a rule defined elsewhere
        return;
      }
      throw fail(file, id, index, "missing \"pattern\"");
    }
    if (patternText.isEmpty()) {
      throw fail(file, id, index, "empty \"pattern\"");
    }
    Pattern pattern = compile(file, id, index, "pattern", patternText);
    if (!builtIn) {
      // The built-in catalog passes this check in BuiltInCatalogTest; skipping it here saves start-up time.
      String problem = emptyMatch(pattern);
      if (problem != null) {
        throw fail(file, id, index, problem);
      }
    }
    List<Integer> secretGroups = new ArrayList<>();
    Map<String, Integer> named = pattern.namedGroups();
    named.entrySet().stream()
        .filter(e -> e.getKey().startsWith("secret"))
        .map(Map.Entry::getValue)
        .sorted()
        .forEach(secretGroups::add);

    List<String> keywords = new ArrayList<>();
    JsonValue kw = node.get("keywords");
    if (kw != null) {
      if (!kw.isArray()) {
        throw fail(file, id, index, "\"keywords\" must be an array of strings");
      }
      for (JsonValue k : kw) {
        if (!k.isTextual() || k.asText().isEmpty()) {
          throw fail(file, id, index, "\"keywords\" must contain non-empty strings, found " + k);
        }
        if (k.asText().length() > 64) {
          throw fail(file, id, index, "keyword longer than 64 characters");
        }
        keywords.add(k.asText());
      }
    }
    String prefilter = text(file, node, "prefilter", id, index);
    int shapes = 0;
    if (prefilter != null) {
      Integer s = SHAPES.get(prefilter.toLowerCase(Locale.ROOT));
      if (s == null) {
        throw fail(file, id, index, "unknown prefilter \"" + prefilter + "\" (known: " + SHAPES.keySet() + ")");
      }
      shapes = s;
    }
    String validatorSpec = text(file, node, "validator", id, index);
    Validators.Validator validator;
    try {
      validator = Validators.parse(validatorSpec);
    } catch (IllegalArgumentException e) {
      throw fail(file, id, index, e.getMessage());
    }
    String replacement = text(file, node, "replacement", id, index);
    if (replacement == null) {
      replacement = "<redacted:" + id + ">";
    }
    List<Pattern> allow = new ArrayList<>();
    JsonValue al = node.get("allow");
    if (al != null) {
      if (!al.isArray()) {
        throw fail(file, id, index, "\"allow\" must be an array of patterns");
      }
      for (int i = 0; i < al.size(); i++) {
        JsonValue a = al.get(i);
        if (!a.isTextual() || a.asText().isEmpty()) {
          throw fail(file, id, index, "\"allow\" must contain non-empty pattern strings, found " + a);
        }
        allow.add(compile(file, id, index, "allow[" + i + "]", a.asText()));
      }
    }
    String npb = text(file, node, "notPrecededBy", id, index);
    String nfb = text(file, node, "notFollowedBy", id, index);
    String description = text(file, node, "description", id, index);
    String source = text(file, node, "source", id, index);
    if (builtIn && (description == null || source == null)) {
      throw fail(file, id, index, "built-in rules need \"description\" and \"source\"");
    }
    int lookbehind = -1;
    JsonValue lb = node.get("lookbehind");
    if (lb != null && !lb.isNull()) {
      if (!lb.isInt() || lb.intValue() < 0 || lb.intValue() > MAX_LOOKBEHIND) {
        throw fail(file, id, index, "\"lookbehind\" must be an integer from 0 to " + MAX_LOOKBEHIND);
      }
      if (keywords.isEmpty()) {
        throw fail(file, id, index, "\"lookbehind\" needs \"keywords\" (it bounds how far before a keyword a match starts)");
      }
      lookbehind = lb.intValue();
    }
    String lbChars = text(file, node, "lookbehindChars", id, index);
    CharClass lookbehindChars = null;
    if (lbChars != null) {
      if (lookbehind < 0) {
        throw fail(file, id, index, "\"lookbehindChars\" needs \"lookbehind\" (the most characters to walk back)");
      }
      Pattern cls = compile(file, id, index, "lookbehindChars", lbChars);
      if (cls.matches("") || cls.matches("aa") || cls.matches("00")) {
        throw fail(file, id, index, "\"lookbehindChars\" must be a single-character class such as [A-Za-z0-9._-]");
      }
      lookbehindChars = new CharClass(cls);
    }
    char[] followChars = null;
    int followWithin = 0;
    JsonValue fb = node.get("followedBy");
    if (fb != null && !fb.isNull()) {
      JsonValue chars = fb.get("chars");
      JsonValue within = fb.get("within");
      if (!fb.isObject() || fb.size() != 2 || chars == null || !chars.isTextual() || chars.asText().isEmpty()
          || within == null || !within.isInt() || within.intValue() < 1 || within.intValue() > 4096) {
        throw fail(file, id, index, "\"followedBy\" must be {\"chars\": \"...\", \"within\": 1..4096}");
      }
      if (keywords.isEmpty() || lookbehind < 0) {
        throw fail(file, id, index, "\"followedBy\" needs \"keywords\" and \"lookbehind\"");
      }
      followChars = chars.asText().toCharArray();
      followWithin = within.intValue();
    }
    boolean caseSensitiveKeywords = false;
    JsonValue csk = node.get("caseSensitiveKeywords");
    if (csk != null && !csk.isNull()) {
      if (!csk.isBoolean()) {
        throw fail(file, id, index, "\"caseSensitiveKeywords\" must be true or false");
      }
      caseSensitiveKeywords = csk.booleanValue();
    }
    int shapeStart = 0;
    if (keywords.isEmpty() && shapes == SHAPE_CARD) {
      // The card detector fires at group starts of long digit-group runs: anchored attempts exactly there.
      lookbehind = 0;
    } else if (keywords.isEmpty() && shapes != 0) {
      // The shape's detector knows where the run it saw starts: anchored attempts there, no lead-in.
      lookbehind = 0;
      shapeStart = shapes;
    }
    int[] groups = secretGroups.stream().mapToInt(Integer::intValue).toArray();
    Rule rule = new Rule(id, description == null ? "" : description, source == null ? "" : source, builtIn,
        replacement, keywords, shapes, prefilter, pattern, groups, validatorSpec, validator,
        allow.toArray(new Pattern[0]),
        npb == null ? null : compile(file, id, index, "notPrecededBy", npb),
        nfb == null ? null : compile(file, id, index, "notFollowedBy", nfb), lookbehind, lookbehindChars, shapeStart,
        followChars, followWithin, caseSensitiveKeywords);
    set.rules.add(rule);
    set.enabled.add(enabled);
  }

  /** Why {@code pattern} is unusable as a rule (it can match the empty string), or null when it is fine. */
  static String emptyMatch(Pattern pattern) {
    for (String probe : EMPTY_MATCH_PROBES) {
      com.google.re2j.Matcher m = pattern.matcher(probe);
      for (int p = 0; p <= probe.length() && m.find(p); p = m.end() + 1) {
        if (m.end() == m.start()) {
          return "pattern can match the empty string (e.g. at offset " + m.start() + " of \""
              + probe.replace("\n", "\\n") + "\"); make it require at least one character";
        }
      }
    }
    return null;
  }

  private static Pattern compile(String file, String id, int index, String field, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw fail(file, id, index, field + " does not compile with RE2 (linear-time syntax: no lookaround, "
          + "no backreferences, no possessive or atomic groups): " + e.getMessage());
    } catch (RuntimeException e) {
      throw fail(file, id, index, field + " does not compile with RE2: " + e);
    }
  }

  private static String text(String file, JsonValue node, String field, String id, int index) {
    JsonValue v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw fail(file, id, index, "\"" + field + "\" must be a string");
    }
    return v.asText();
  }

  static boolean validId(String id) {
    if (id.isEmpty() || id.length() > 80) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  static RuleFileException fail(String file, String id, int index, String problem) {
    StringBuilder b = new StringBuilder("rules file ").append(file).append(": ");
    if (id != null) {
      b.append("rule \"").append(id).append("\"");
      if (index >= 0) {
        b.append(" (#").append(index + 1).append(')');
      }
      b.append(": ");
    } else if (index >= 0) {
      b.append("rule #").append(index + 1).append(": ");
    }
    return new RuleFileException(b.append(problem).toString());
  }

  private static String sorted(Set<String> s) {
    return new java.util.TreeSet<>(s).toString();
  }
}
