package dev.telemetryagent.agent.cli;

import java.io.PrintStream;

/**
 * {@code java -jar telemetry-agent.jar <command>}. Exit codes: 0 success, 1 the command failed, 2 usage error.
 */
public final class Cli {

  private Cli() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? 2 : 0;
    }
    switch (args[0]) {
      case "version":
      case "--version":
        out.println("telemetry-agent " + dev.telemetryagent.agent.AgentInstaller.class.getPackage()
            .getImplementationVersion());
        return 0;
      default:
        err.println("telemetry-agent: unknown command '" + args[0] + "'");
        usage(err);
        return 2;
    }
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar telemetry-agent.jar <command>");
    out.println();
    out.println("commands:");
    out.println("  version    print the agent's version");
    out.println("  help       print this help");
    out.println();
    out.println("As an agent: java -javaagent:telemetry-agent.jar -jar service.jar (see docs/configuration.md)");
  }
}
