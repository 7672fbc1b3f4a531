package dev.telemetryagent.benchmarks.scrub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Benchmark inputs: realistic log lines and adversarial strings. */
final class Inputs {
  private Inputs() {}

  /**
   * 400 lines of a typical service log (~5% carry an e-mail, IP, card, JDBC password, JWT, AWS key, token or
   * home path; ~10% are stack-trace lines). {@code {ghp}} placeholders are filled with a generated token so
   * that no real-looking credential is stored in the repository.
   */
  static List<String> typicalLines() {
    List<String> lines = new ArrayList<>();
    String token = "ghp_" + "Zq7LmX2vT9".repeat(3) + "k4Pw8N";
    try (InputStream in = Inputs.class.getResourceAsStream("typical-log-lines.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line.replace("{ghp}", token));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  static long chars(List<String> lines) {
    long n = 0;
    for (String l : lines) {
      n += l.length();
    }
    return n;
  }

  static String repeatTo(String unit, int length) {
    StringBuilder b = new StringBuilder(length + unit.length());
    while (b.length() < length) {
      b.append(unit);
    }
    b.setLength(length);
    return b.toString();
  }

  /** Adversarial inputs by name, of the given length in chars. */
  static String adversarial(String name, int length) {
    switch (name) {
      case "log-line-1mb":
        // One huge line made of typical log text (secrets included), e.g. a logged request body.
        return repeatTo(String.join(" ", typicalLines()), length);
      case "repeated-a":
        return repeatTo("a", length);
      case "repeated-digits":
        return repeatTo("4", length);
      case "many-at-signs":
        return repeatTo("a@", length);
      case "half-formed-jwts":
        return repeatTo("eyJhbGciOiJIUzI1NiJ9.eyJ", length);
      case "keywords-without-values":
        return repeatTo("password token key secret Authorization Bearer ", length);
      case "unterminated-quotes":
        return repeatTo("password=\"", length);
      case "dotted-numbers":
        return repeatTo("1.2.3.4.", length);
      case "pem-headers":
        return repeatTo("-----BEGIN ", length);
      default:
        throw new IllegalArgumentException("unknown input " + name);
    }
  }
}
