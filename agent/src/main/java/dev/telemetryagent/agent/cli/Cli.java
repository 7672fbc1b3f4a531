package dev.telemetryagent.agent.cli;

import dev.telemetryagent.agent.AgentEntry;
import dev.telemetryagent.agent.AgentVersion;
import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKey;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.agent.scrub.ScrubSetup;
import dev.telemetryagent.scrub.cli.ScrubCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code java -jar telemetry-agent.jar <command>}: attach the agent to a running JVM and see what it does.
 *
 * <p>Exit codes (also in {@code docs/operations.md}):
 *
 * <ul>
 *   <li>0: success (for {@code attach}, also "the same version already runs there, nothing loaded");
 *   <li>1: the command failed; the reason is on stderr;
 *   <li>2: usage error;
 *   <li>3: the target is not in the state the command needs: {@code attach} found a different version of the agent
 *       already running (nothing loaded); {@code status}/{@code capture} found no agent running.
 * </ul>
 */
public final class Cli {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int WRONG_STATE = 3;

  static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

  private Cli() {}

  public static int run(String[] args) {
    return run(args, System.in, System.out, System.err);
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      usage(err);
      return USAGE;
    }
    String command = args[0];
    List<String> rest = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      rest.add(args[i]);
    }
    try {
      switch (command) {
        case "-h":
        case "--help":
        case "help":
          if (!rest.isEmpty() && HELP.containsKey(rest.get(0))) {
            out.print(HELP.get(rest.get(0)));
          } else {
            usage(out);
          }
          return OK;
        case "version":
        case "--version":
          out.println("telemetry-agent " + version());
          return OK;
        case "attach":
        case "status":
        case "capture":
        case "list":
          if (rest.contains("--help") || rest.contains("-h")) {
            out.print(HELP.get(command));
            return OK;
          }
          return withAttachModule(command, rest, out, err);
        case "scrub":
          return scrub(rest, in, out, err);
        default:
          err.println("telemetry-agent: unknown command '" + command + "'");
          usage(err);
          return USAGE;
      }
    } catch (CliException e) {
      err.println("telemetry-agent " + command + ": " + e.getMessage());
      if (e.exitCode() == USAGE && HELP.containsKey(command)) {
        err.print(HELP.get(command));
      }
      return e.exitCode();
    } catch (RuntimeException | LinkageError e) {
      err.println("telemetry-agent " + command + ": unexpected error: " + e);
      return FAILED;
    }
  }

  private static int withAttachModule(String command, List<String> args, PrintStream out, PrintStream err)
      throws CliException {
    try {
      Vms.requireAttachModule();
    } catch (LinkageError e) {
      throw new CliException(FAILED, AttachFailures.noAttachModule(System.getProperty("java.home")));
    }
    switch (command) {
      case "attach":
        return attach(args, out);
      case "status":
        return status(args, out);
      case "capture":
        return capture(args, out);
      default:
        return list(args, out);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // attach
  // ---------------------------------------------------------------------------------------------------------------

  static int attach(List<String> args, PrintStream out) throws CliException {
    Options o = Options.parse(args, true);
    if (o.positional.size() != 1) {
      throw new CliException(USAGE, "expected one target: a pid or text matching the main class or jar");
    }
    String agentArgs = agentArguments(o.settings);
    long pid = resolve(o.positional.get(0));
    ProcessChecks.check(pid, Vms.isListed(pid), true);
    String jar = ownJar().toString();
    String mine = version();
    return Vms.withVm(pid, o.timeoutMillis, vm -> {
      Properties props = Vms.systemProperties(vm);
      String marker = props.getProperty(AgentEntry.INSTALLED_MARKER);
      if (marker != null) {
        return alreadyInstalled(pid, marker, mine, out);
      }
      String spec = props.getProperty("java.specification.version", "");
      if (spec.startsWith("1.") || spec.equals("9") || spec.equals("10")) {
        throw new CliException(FAILED, AttachFailures.javaTooOld(pid, spec));
      }
      long start = System.nanoTime();
      Vms.loadAgent(vm, jar, agentArgs);
      long millis = (System.nanoTime() - start) / 1_000_000;
      String after = Vms.systemProperties(vm).getProperty(AgentEntry.INSTALLED_MARKER);
      if (after == null) {
        throw new CliException(FAILED, "the agent was loaded into pid " + pid + " but did not start; the reason "
            + "is on that JVM's stderr, in lines starting with [telemetry-agent].");
      }
      Marker m = Marker.parse(after);
      if (m.disabled) {
        out.println("telemetry-agent " + m.version + " loaded into pid " + pid + " but disabled by its "
            + "configuration (otel.sdk.disabled=true): nothing is captured.");
        return OK;
      }
      out.println("telemetry-agent " + m.version + " attached to pid " + pid + " ("
          + describeTarget(props) + ") in " + millis + " ms.");
      out.println("Live figures: java -jar " + jar + " status " + pid);
      return OK;
    });
  }

  private static int alreadyInstalled(long pid, String marker, String mine, PrintStream out) throws CliException {
    Marker m = Marker.parse(marker);
    String how = "start-up".equals(m.how) ? "at start-up (-javaagent)" : "by " + m.how;
    if (m.version.equals(mine)) {
      out.println("telemetry-agent " + m.version + " is already running in pid " + pid + " (installed " + how
          + (m.disabled ? ", disabled by its configuration" : "") + "): nothing loaded, events are not captured "
          + "twice.");
      return OK;
    }
    throw new CliException(WRONG_STATE, "a different version of telemetry-agent, " + m.version + ", is already "
        + "running in pid " + pid + " (installed " + how + "); this is " + mine + ". Nothing loaded: one agent per "
        + "JVM. Restart the JVM to change versions.");
  }

  /** The agent argument string: {@code key=value;key=value}, each setting validated against {@link ConfigKeys}. */
  static String agentArguments(Map<String, String> settings) throws CliException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (value.indexOf(';') >= 0 || value.indexOf('\n') >= 0) {
        throw new CliException(USAGE, "the value of " + key + " may not contain ';' or a line break "
            + "(use telemetry.agent.config.file for such values)");
      }
      ConfigKey<?> declared = ConfigKeys.byName(key);
      if (declared == null && key.startsWith("telemetry.agent.")) {
        throw new CliException(USAGE, "unknown setting " + key + "; see docs/configuration.md");
      }
      if (declared != null && !value.trim().isEmpty()) {
        try {
          declared.type().parse(value.trim());
        } catch (RuntimeException ex) {
          throw new CliException(USAGE, "invalid value for " + key + ": expected " + declared.type().accepted());
        }
      }
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(key).append('=').append(value);
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // status and capture
  // ---------------------------------------------------------------------------------------------------------------

  static int status(List<String> args, PrintStream out) throws CliException {
    Options o = Options.parse(args, false);
    if (o.positional.size() != 1) {
      throw new CliException(USAGE, "expected one target: a pid or text matching the main class or jar");
    }
    long pid = resolve(o.positional.get(0));
    ProcessChecks.check(pid, Vms.isListed(pid), false);
    Map<String, Object> snapshot = Vms.withVm(pid, o.timeoutMillis, vm -> {
      requireAgent(pid, Vms.systemProperties(vm));
      return Vms.withAgentBean(vm, pid, bean -> StatusReport.snapshot(pid, bean));
    });
    if (o.json) {
      out.println(Json.write(snapshot));
    } else {
      StatusReport.printText(snapshot, out);
    }
    return OK;
  }

  static int capture(List<String> args, PrintStream out) throws CliException {
    Options o = Options.parse(args, false);
    if (o.positional.size() != 2 || !("on".equals(o.positional.get(1)) || "off".equals(o.positional.get(1)))) {
      throw new CliException(USAGE, "expected a target and on or off");
    }
    boolean on = "on".equals(o.positional.get(1));
    long pid = resolve(o.positional.get(0));
    ProcessChecks.check(pid, Vms.isListed(pid), false);
    boolean before = Vms.withVm(pid, o.timeoutMillis, vm -> {
      requireAgent(pid, Vms.systemProperties(vm));
      return Vms.withAgentBean(vm, pid, bean -> {
        boolean was = bean.isCaptureEnabled();
        bean.setCaptureEnabled(on);
        return was;
      });
    });
    out.println("capture in pid " + pid + " is " + (on ? "on" : "off")
        + (before == on ? " (it already was)" : " (was " + (before ? "on" : "off") + ")") + ".");
    return OK;
  }

  private static void requireAgent(long pid, Properties props) throws CliException {
    String marker = props.getProperty(AgentEntry.INSTALLED_MARKER);
    if (marker == null) {
      throw new CliException(WRONG_STATE, "telemetry-agent is not running in pid " + pid + " ("
          + describeTarget(props) + "); attach it with: java -jar telemetry-agent.jar attach " + pid);
    }
    Marker m = Marker.parse(marker);
    if (m.disabled) {
      throw new CliException(WRONG_STATE, "telemetry-agent " + m.version + " is installed in pid " + pid
          + " but disabled by its configuration (otel.sdk.disabled=true): it captures nothing and has no figures.");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // list
  // ---------------------------------------------------------------------------------------------------------------

  static int list(List<String> args, PrintStream out) throws CliException {
    Options o = Options.parse(args, false);
    if (!o.positional.isEmpty()) {
      throw new CliException(USAGE, "list takes no target");
    }
    List<Vms.Listed> vms = Vms.list();
    long perVmTimeout = Math.min(o.timeoutMillis, 10_000);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, vms.size())), r -> {
      Thread t = new Thread(r, "telemetry-agent-cli-list");
      t.setDaemon(true);
      return t;
    });
    List<Future<Map<String, Object>>> futures = new ArrayList<>();
    for (Vms.Listed vm : vms) {
      futures.add(pool.submit(() -> describe(vm, perVmTimeout)));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Future<Map<String, Object>> f : futures) {
      try {
        rows.add(f.get(perVmTimeout + 2_000, TimeUnit.MILLISECONDS));
      } catch (Exception e) {
        // describe() never throws; a timeout here means the pool is saturated by hung targets
      }
    }
    pool.shutdownNow();
    if (o.json) {
      out.println(Json.write(rows));
      return OK;
    }
    out.println(String.format("%-8s %-8s %-34s %s", "PID", "JAVA", "TELEMETRY-AGENT", "MAIN CLASS OR JAR"));
    for (Map<String, Object> r : rows) {
      Object agent = r.get("agent_version") == null ? (r.get("error") == null ? "-" : "?")
          : r.get("agent_version") + " (" + r.get("agent_installed_by") + ")";
      out.println(String.format("%-8s %-8s %-34s %s", r.get("pid"),
          r.get("java_version") == null ? "?" : r.get("java_version"), agent, r.get("main")
              + (r.get("error") == null ? "" : "  [" + r.get("error") + "]")));
    }
    if (rows.isEmpty()) {
      out.println("(no other JVMs of user " + System.getProperty("user.name") + ")");
    }
    return OK;
  }

  private static Map<String, Object> describe(Vms.Listed vm, long timeoutMillis) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pid", vm.pid);
    r.put("main", vm.displayName == null || vm.displayName.isEmpty() ? "?" : vm.displayName);
    r.put("java_version", null);
    r.put("agent_version", null);
    r.put("agent_installed_by", null);
    try {
      Properties p = Vms.withVm(vm.pid, timeoutMillis, Vms::systemProperties);
      r.put("java_version", p.getProperty("java.version"));
      String marker = p.getProperty(AgentEntry.INSTALLED_MARKER);
      if (marker != null) {
        Marker m = Marker.parse(marker);
        r.put("agent_version", m.version);
        r.put("agent_installed_by", m.disabled ? m.how + ", disabled" : m.how);
      }
    } catch (CliException e) {
      r.put("error", e.getMessage());
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // scrub
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Runs the scrub-rules engine's command on standard input (it handles its own options and --help) with the engine
   * the agent would build from the same {@code telemetry.agent.scrub.*} settings (system properties,
   * {@code TELEMETRY_AGENT_*} environment variables, {@code telemetry.agent.config.file}); {@code --rules} files
   * come on top. Configuration problems are reported on stderr exactly as the agent would, with the same fallback.
   */
  static int scrub(List<String> args, InputStream in, PrintStream out, PrintStream err) {
    return scrub(args, System.getProperties(), System.getenv(), in, out, err);
  }

  static int scrub(List<String> args, Properties systemProperties, Map<String, String> environment, InputStream in,
      PrintStream out, PrintStream err) {
    String[] argv = args.toArray(new String[0]);
    if (args.contains("--help") || args.contains("-h")) {
      return ScrubCommand.run(argv, in, out, err);
    }
    Consumer<String> warnings = line -> err.println("[telemetry-agent] " + line);
    AgentConfig config = AgentConfig.load(null, systemProperties, environment, warnings);
    return ScrubCommand.run(argv, ScrubSetup.builder(config, warnings), in, out, err);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Shared
  // ---------------------------------------------------------------------------------------------------------------

  /** A pid, or text that matches exactly one listed JVM's main class or jar. */
  static long resolve(String target) throws CliException {
    if (target.matches("\\d{1,18}")) {
      return Long.parseLong(target);
    }
    List<Vms.Listed> matches = new ArrayList<>();
    for (Vms.Listed vm : Vms.list()) {
      if (vm.displayName != null
          && (vm.displayName.contains(target) || jarMainClass(vm.displayName).contains(target))) {
        matches.add(vm);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0).pid;
    }
    if (matches.isEmpty()) {
      throw new CliException(FAILED, "no JVM of user " + System.getProperty("user.name") + " has a main class or "
          + "jar matching '" + target + "'; `java -jar telemetry-agent.jar list` shows them");
    }
    StringBuilder sb = new StringBuilder("'" + target + "' matches " + matches.size()
        + " JVMs; give the pid of one:");
    for (Vms.Listed vm : matches) {
      sb.append(System.lineSeparator()).append("  ").append(vm.pid).append("  ").append(vm.displayName);
    }
    throw new CliException(FAILED, sb.toString());
  }

  /** For a JVM started with {@code -jar app.jar}, the jar's Main-Class; else an empty string. */
  static String jarMainClass(String displayName) {
    String first = displayName.trim().split("\\s+")[0];
    if (!first.endsWith(".jar")) {
      return "";
    }
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(first)) {
      java.util.jar.Manifest manifest = jar.getManifest();
      String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      return main == null ? "" : main;
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  private static String describeTarget(Properties props) {
    String command = props.getProperty("sun.java.command", "?").trim();
    int space = command.indexOf(' ');
    String main = space > 0 ? command.substring(0, space) : command;
    return main + ", Java " + props.getProperty("java.version", "?");
  }

  /** The jar this CLI runs from: the one to load into the target. */
  static Path ownJar() throws CliException {
    try {
      Path p = Paths.get(AgentEntry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        return p.toAbsolutePath();
      }
      throw new CliException(FAILED, "run this command from telemetry-agent.jar (java -jar telemetry-agent.jar "
          + "attach ...), not from " + p);
    } catch (URISyntaxException | RuntimeException e) {
      throw new CliException(FAILED, "cannot locate telemetry-agent.jar: " + e);
    }
  }

  static String version() {
    return AgentVersion.get();
  }

  /** The installed marker, "version;how" or "version;how;disabled". */
  static final class Marker {
    final String version;
    final String how;
    final boolean disabled;

    private Marker(String version, String how, boolean disabled) {
      this.version = version;
      this.how = how;
      this.disabled = disabled;
    }

    static Marker parse(String value) {
      String[] parts = value.split(";", -1);
      return new Marker(parts[0], parts.length > 1 ? parts[1] : "unknown",
          parts.length > 2 && "disabled".equals(parts[2]));
    }
  }

  /** Parsed options: positional arguments, {@code -Dkey=value} settings, {@code --json}, {@code --timeout}. */
  static final class Options {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    boolean json;
    long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;

    static Options parse(List<String> args, boolean allowSettings) throws CliException {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--json")) {
          o.json = true;
        } else if (a.equals("--timeout") || a.startsWith("--timeout=")) {
          String v = a.startsWith("--timeout=") ? a.substring("--timeout=".length())
              : (i + 1 < args.size() ? args.get(++i) : "");
          try {
            o.timeoutMillis = Math.max(1, Long.parseLong(v.trim())) * 1000;
          } catch (NumberFormatException e) {
            throw new CliException(USAGE, "--timeout takes a number of seconds, not '" + v + "'");
          }
        } else if (a.startsWith("-D") && allowSettings) {
          int eq = a.indexOf('=');
          if (eq <= 2) {
            throw new CliException(USAGE, "expected -Dkey=value, not '" + a + "'");
          }
          o.settings.put(a.substring(2, eq), a.substring(eq + 1));
        } else if (a.startsWith("-")) {
          throw new CliException(USAGE, "unknown option '" + a + "'");
        } else {
          o.positional.add(a);
        }
      }
      return o;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Help
  // ---------------------------------------------------------------------------------------------------------------

  private static final String NL = System.lineSeparator();
  private static final String EXIT_CODES = "exit codes: 0 success, 1 failed (reason on stderr), 2 usage error, "
      + "3 target not in the needed state" + NL;

  static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("list", "usage: java -jar telemetry-agent.jar list [--json] [--timeout SECONDS]" + NL + NL
        + "The JVMs of this user that can be attached to: pid, Java version, whether telemetry-agent runs there"
        + NL + "(version, and how: start-up or attach), and the main class or jar." + NL + NL + EXIT_CODES);
    HELP.put("attach", "usage: java -jar telemetry-agent.jar attach <pid | text matching the main class or jar>"
        + NL + "           [-Dkey=value ...] [--timeout SECONDS]" + NL + NL
        + "Loads the agent into a running JVM; -Dkey=value settings (docs/configuration.md) go to the agent, e.g."
        + NL + "  attach 12345 -Dotel.exporter.otlp.endpoint=http://collector:4318 -Dotel.service.name=billing" + NL
        + "If telemetry-agent already runs there, nothing is loaded (exit 0 for the same version, 3 for another)."
        + NL + "JDK 21+ targets print a warning about dynamically loaded agents; start them with"
        + NL + "-XX:+EnableDynamicAgentLoading to silence it. -XX:-EnableDynamicAgentLoading refuses the attach."
        + NL + NL + EXIT_CODES);
    HELP.put("status", "usage: java -jar telemetry-agent.jar status <pid | text> [--json] [--timeout SECONDS]"
        + NL + NL + "The live figures of the agent in a JVM, read from its MXBean (dev.telemetryagent:type=Agent)"
        + NL + "through the JVM's local management agent: state, version, configuration (secrets masked), captured"
        + NL + "by source, exported, folded, dropped by reason, pending, redactions by rule, top fingerprints,"
        + NL + "exporter health. --json prints the same as one JSON object." + NL + NL + EXIT_CODES);
    HELP.put("capture", "usage: java -jar telemetry-agent.jar capture <pid | text> on|off [--timeout SECONDS]"
        + NL + NL + "The kill switch: off makes the agent skip every logging call at its first check (the"
        + NL + "application's own logging is untouched); on resumes capture. Same as setting the MXBean's"
        + NL + "CaptureEnabled attribute from JConsole." + NL + NL + EXIT_CODES);
    HELP.put("scrub", "usage: java -jar telemetry-agent.jar scrub [--explain] [--json] [engine options] < input"
        + NL + NL + "Runs the scrub-rules engine on standard input with the rules the agent would use given the"
        + NL + "same settings (telemetry.agent.scrub.* as -D system properties, TELEMETRY_AGENT_SCRUB_*"
        + NL + "environment variables or telemetry.agent.config.file), to test custom rules before deploying them."
        + NL + "--rules FILE adds a rule file on top; --list-rules prints the rules in effect." + NL + NL + EXIT_CODES);
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar telemetry-agent.jar <command> [options]");
    out.println();
    out.println("commands:");
    out.println("  list       the JVMs of this user that can be attached to, and whether the agent runs there");
    out.println("  attach     load the agent into a running JVM (pid or text matching its main class)");
    out.println("  status     the live figures of the agent in a JVM (--json for scripts)");
    out.println("  capture    switch capture on or off in a JVM (the kill switch)");
    out.println("  scrub      run the scrub rules on standard input (--explain, --json)");
    out.println("  version    print this agent's version");
    out.println("  help [command]");
    out.println();
    out.print(EXIT_CODES);
    out.println("As an agent: java -javaagent:telemetry-agent.jar -jar service.jar (docs/configuration.md,");
    out.println("docs/operations.md)");
  }
}
