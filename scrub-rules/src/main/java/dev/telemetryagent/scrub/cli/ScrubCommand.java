package dev.telemetryagent.scrub.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.telemetryagent.scrub.Finding;
import dev.telemetryagent.scrub.RuleFileException;
import dev.telemetryagent.scrub.RuleInfo;
import dev.telemetryagent.scrub.ScrubEngine;
import dev.telemetryagent.scrub.ScrubResult;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code telemetry-agent scrub}: reads text on standard input and writes it scrubbed, one record per line.
 * Exit codes: 0 ok, 1 bad rules file (or malformed input records in {@code --json} mode), 2 usage error.
 */
public final class ScrubCommand {
  public static final int OK = 0;
  public static final int BAD_INPUT = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT = String.join("\n",
      "Usage: telemetry-agent scrub [--explain] [--json] [--rules FILE]... [--no-builtin] [--list-rules] [--help]",
      "",
      "Reads text on standard input and writes it scrubbed to standard output, one record per line.",
      "",
      "  --json         each input line is one JSON string (\"...\"); each output line is the scrubbed JSON string",
      "  --explain      after each record, list which rule fired where: one line",
      "                   [explain] line N [START,END) RULE-ID",
      "                 per finding (offsets into the original record; the secret itself is never printed).",
      "                 With --json, each output line is {\"text\": ..., \"findings\": [{\"rule\",\"start\",\"end\"}]}",
      "  --rules FILE   custom rules file (same format as the built-in catalog): adds rules, replaces built-in",
      "                 rules with the same id, disables rules by id; may be repeated",
      "  --no-builtin   do not use the built-in catalog (only the --rules files)",
      "  --list-rules   print the rules in effect (id, enabled, description) and exit",
      "  --help         print this help and exit",
      "",
      "Exit codes: 0 ok, 1 bad rules file or malformed --json input, 2 usage error.",
      "");

  private ScrubCommand() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command; never calls System.exit. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, null, in, out, err);
  }

  /**
   * Runs the command starting from an engine configured elsewhere (the agent's settings): {@code --rules} files are
   * added to it and {@code --no-builtin} switches its built-in catalog off. Never calls System.exit.
   *
   * @param base the configured builder, or null for the engine defaults
   */
  public static int run(String[] args, ScrubEngine.Builder base, InputStream in, PrintStream out,
      PrintStream err) {
    boolean explain = false;
    boolean json = false;
    boolean builtIn = true;
    boolean listRules = false;
    List<Path> rules = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help":
        case "-h":
          out.print(USAGE_TEXT);
          out.flush();
          return OK;
        case "--explain":
          explain = true;
          break;
        case "--json":
          json = true;
          break;
        case "--no-builtin":
          builtIn = false;
          break;
        case "--list-rules":
          listRules = true;
          break;
        case "--rules":
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            err.println("telemetry-agent scrub: --rules needs a FILE argument");
            err.print(USAGE_TEXT);
            return USAGE;
          }
          rules.add(Paths.get(args[++i]));
          break;
        default:
          if (a.startsWith("--rules=")) {
            rules.add(Paths.get(a.substring("--rules=".length())));
            break;
          }
          err.println("telemetry-agent scrub: unknown option " + a);
          err.print(USAGE_TEXT);
          return USAGE;
      }
    }
    if (!builtIn && rules.isEmpty()) {
      err.println("telemetry-agent scrub: --no-builtin needs at least one --rules FILE (there would be no rules)");
      return USAGE;
    }
    ScrubEngine engine;
    try {
      ScrubEngine.Builder b = base != null ? base : ScrubEngine.builder();
      if (!builtIn) {
        b.builtInRules(false);
      }
      for (Path p : rules) {
        b.rulesFile(p);
      }
      engine = b.build();
    } catch (RuleFileException e) {
      err.println("telemetry-agent scrub: " + e.getMessage());
      return BAD_INPUT;
    }
    if (listRules) {
      for (RuleInfo r : engine.rules()) {
        out.println(r.id() + "\t" + (r.enabled() ? "enabled" : "disabled") + "\t" + r.description());
      }
      out.flush();
      return OK;
    }
    try {
      return scrubStream(engine, in, out, err, explain, json);
    } catch (IOException e) {
      err.println("telemetry-agent scrub: cannot read standard input: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  private static int scrubStream(ScrubEngine engine, InputStream in, PrintStream out, PrintStream err,
      boolean explain, boolean json) throws IOException {
    JsonFactory jf = new JsonFactory();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int code = OK;
    long lineNo = 0;
    long findings = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      String text = line;
      if (json) {
        text = parseJsonString(jf, line);
        if (text == null) {
          err.println("telemetry-agent scrub: line " + lineNo + ": not a JSON string (expected one \"...\" per line);"
              + " wrote " + ScrubEngine.ERROR_MARKER + " instead");
          code = BAD_INPUT;
          text = ScrubEngine.ERROR_MARKER;
          out.println(json(jf, text));
          continue;
        }
      }
      if (!explain) {
        String scrubbed = engine.scrub(text);
        out.println(json ? json(jf, scrubbed) : scrubbed);
        continue;
      }
      ScrubResult r = engine.scrubWithFindings(text);
      findings += r.findings().size();
      if (json) {
        out.println(explained(jf, r));
      } else {
        out.println(r.text());
        for (Finding f : r.findings()) {
          out.println("[explain] line " + lineNo + " [" + f.start() + "," + f.end() + ") " + f.ruleId());
        }
        if (r.truncated()) {
          out.println("[explain] line " + lineNo + " truncated to " + engine.maxInputChars() + " chars before scanning");
        }
      }
    }
    out.flush();
    if (explain) {
      StringBuilder summary = new StringBuilder("telemetry-agent scrub: ").append(lineNo).append(" records, ")
          .append(findings).append(" findings");
      Map<String, Long> byRule = engine.stats().findingsByRule();
      if (!byRule.isEmpty()) {
        summary.append(": ");
        boolean first = true;
        for (Map.Entry<String, Long> e : byRule.entrySet()) {
          summary.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
          first = false;
        }
      }
      err.println(summary);
    }
    return code;
  }

  /** The string value if the line is exactly one JSON string, else null. */
  static String parseJsonString(JsonFactory jf, String line) {
    try (JsonParser p = jf.createParser(line)) {
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      String value = p.getText();
      return p.nextToken() == null ? value : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String json(JsonFactory jf, String s) {
    StringWriter w = new StringWriter(s.length() + 2);
    try (JsonGenerator g = jf.createGenerator(w)) {
      g.writeString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }

  private static String explained(JsonFactory jf, ScrubResult r) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = jf.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("text", r.text());
      g.writeArrayFieldStart("findings");
      for (Finding f : r.findings()) {
        g.writeStartObject();
        g.writeStringField("rule", f.ruleId());
        g.writeNumberField("start", f.start());
        g.writeNumberField("end", f.end());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (r.truncated()) {
        g.writeBooleanField("truncated", true);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
