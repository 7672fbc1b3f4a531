package dev.telemetryagent.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code java -jar telemetry-agent.jar <command>} with a given JDK, one process per call. */
final class AgentCli {

  /** One finished CLI run. */
  static final class Result {
    final List<String> args;
    final int exitCode;
    final String stdout;
    final String stderr;

    Result(List<String> args, int exitCode, String stdout, String stderr) {
      this.args = args;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    /** A top-level number of {@code status --json}, e.g. "exported". */
    long number(String field) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\": (-?\\d+)").matcher(stdout);
      if (!m.find()) {
        throw new AssertionError("no number \"" + field + "\" in: " + this);
      }
      return Long.parseLong(m.group(1));
    }

    String string(String field) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\": \"([^\"]*)\"").matcher(stdout);
      if (!m.find()) {
        throw new AssertionError("no string \"" + field + "\" in: " + this);
      }
      return m.group(1);
    }

    @Override
    public String toString() {
      return "telemetry-agent " + String.join(" ", args) + " -> exit " + exitCode + System.lineSeparator()
          + "--- stdout ---" + System.lineSeparator() + stdout + "--- stderr ---" + System.lineSeparator() + stderr;
    }
  }

  private final JvmProcesses jvms;
  private final Jdk jdk;
  private final AtomicInteger runs = new AtomicInteger();

  AgentCli(JvmProcesses jvms, Jdk jdk) {
    this.jvms = jvms;
    this.jdk = jdk;
  }

  Result run(String... args) {
    List<String> list = new ArrayList<>(Arrays.asList(args));
    JvmProcess p = jvms.builder("cli-" + runs.incrementAndGet() + "-" + args[0])
        .jdk(jdk)
        .jar(E2e.requireAgentJar())
        .args(args)
        .start();
    int code = p.waitFor(Duration.ofSeconds(90));
    return new Result(list, code, p.stdout(), p.stderr());
  }
}
