package dev.telemetryagent.scrub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The scrub quality corpus ({@code corpus/corpus.json}): per kind, secret templates expanded with a seeded
 * generator and placed into many contexts, plus near-miss negatives and global hard negatives.
 */
final class Corpus {
  static final String RESOURCE = "corpus/corpus.json";

  /** A text containing a planted secret of one kind. */
  static final class Positive {
    final String kind;
    final String text;
    final String secret;

    Positive(String kind, String text, String secret) {
      this.kind = kind;
      this.text = text;
      this.secret = secret;
    }

    @Override
    public String toString() {
      return kind + ": " + text.replace("\n", "\\n");
    }
  }

  static final class Kind {
    final String id;
    final List<Positive> positives = new ArrayList<>();
    final List<String> negatives = new ArrayList<>();
    /** The first secret, bare: used to check that the kind's own rule fires. */
    String bareSecret;

    Kind(String id) {
      this.id = id;
    }
  }

  final Map<String, Kind> kinds = new LinkedHashMap<>();
  final List<String> hardNegatives = new ArrayList<>();

  private static Corpus instance;

  static synchronized Corpus load() {
    if (instance == null) {
      instance = new Corpus(readTree());
    }
    return instance;
  }

  private static JsonNode readTree() {
    try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from test resources");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Corpus(JsonNode root) {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    root.get("contextSets").fields().forEachRemaining(e -> {
      List<String> l = new ArrayList<>();
      e.getValue().forEach(n -> l.add(n.asText()));
      sets.put(e.getKey(), l);
    });
    root.get("hardNegatives").forEach(n -> hardNegatives.add(n.asText()));
    for (JsonNode k : root.get("kinds")) {
      Kind kind = new Kind(k.get("id").asText());
      int variants = k.has("variants") ? k.get("variants").asInt() : 2;
      Random random = new Random(kind.id.hashCode());
      List<String> contexts = new ArrayList<>();
      for (JsonNode c : k.get("contexts")) {
        String t = c.asText();
        if (t.startsWith("@")) {
          contexts.addAll(sets.get(t.substring(1)));
        } else {
          contexts.add(t);
        }
      }
      for (JsonNode s : k.get("secrets")) {
        for (int v = 0; v < variants; v++) {
          String secret = expand(s.asText(), random);
          if (kind.bareSecret == null) {
            kind.bareSecret = secret;
          }
          for (String context : contexts) {
            kind.positives.add(new Positive(kind.id, place(context, secret), secret));
          }
          if (!s.asText().contains("{")) {
            break; // a literal secret has only one variant
          }
        }
      }
      if (k.has("negatives")) {
        for (JsonNode n : k.get("negatives")) {
          kind.negatives.add(expand(n.asText(), random));
        }
      }
      kinds.put(kind.id, kind);
    }
  }

  static String place(String context, String secret) {
    return context.replace("{SJ}", jsonEscape(secret)).replace("{S}", secret).replace("{{", "{").replace("}}", "}");
  }

  static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String DIGITS = "0123456789";

  /** Expands {alnum:N}-style placeholders with the given random source. */
  static String expand(String template, Random random) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = open < 0 ? -1 : template.indexOf('}', open);
      int colon = open < 0 ? -1 : template.indexOf(':', open);
      if (open < 0 || close < 0 || colon < 0 || colon > close || !isGenerator(template.substring(open + 1, colon))) {
        out.append(template, i, open < 0 ? template.length() : open + 1);
        i = open < 0 ? template.length() : open + 1;
        continue;
      }
      out.append(template, i, open);
      String name = template.substring(open + 1, colon);
      int n = Integer.parseInt(template.substring(colon + 1, close));
      String alphabet = alphabet(name);
      for (int k = 0; k < n; k++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      i = close + 1;
    }
    return out.toString();
  }

  private static boolean isGenerator(String name) {
    return alphabet(name) != null;
  }

  private static String alphabet(String name) {
    switch (name) {
      case "alnum":
        return LOWER + UPPER + DIGITS;
      case "ALNUM":
        return UPPER + DIGITS;
      case "lower":
        return LOWER;
      case "upper":
        return UPPER;
      case "hex":
        return "0123456789abcdef";
      case "HEX":
        return "0123456789ABCDEF";
      case "digits":
        return DIGITS;
      case "b64":
        return LOWER + UPPER + DIGITS + "+/";
      case "b64url":
        return LOWER + UPPER + DIGITS + "_-";
      case "base32":
        return UPPER + "234567";
      case "bech32":
        return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
      default:
        return null;
    }
  }

  /** True when the secret (or any 8+ char alphanumeric run of it) survives in the output. */
  static boolean survives(String output, String secret) {
    if (output.contains(secret)) {
      return true;
    }
    int n = secret.length();
    int i = 0;
    while (i < n) {
      int j = i;
      while (j < n && Character.isLetterOrDigit(secret.charAt(j))) {
        j++;
      }
      if (j - i >= 8 && output.contains(secret.substring(i, j))) {
        return true;
      }
      i = j + 1;
    }
    return false;
  }
}
