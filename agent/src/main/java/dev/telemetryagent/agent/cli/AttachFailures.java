package dev.telemetryagent.agent.cli;

import java.util.Locale;

/**
 * Maps what the attach API throws to a message a person can act on. Pure (no attach API types), so every mapping is
 * unit-tested.
 */
final class AttachFailures {

  static final String DYNAMIC_LOADING_DISABLED_FLAG = "-XX:-EnableDynamicAgentLoading";
  static final String ATTACH_DISABLED_FLAG = "-XX:+DisableAttachMechanism";

  private AttachFailures() {}

  /** No process has this pid. */
  static String noSuchProcess(long pid) {
    return "no process with pid " + pid + " (it may have exited). `java -jar telemetry-agent.jar list` shows the "
        + "JVMs you can attach to.";
  }

  /** The process runs as another user. */
  static String otherUser(long pid, String owner, String me) {
    return "pid " + pid + " belongs to user '" + owner + "', and this command runs as '" + me + "': the attach API "
        + "only reaches JVMs of the same user. Run it as that user, e.g. sudo -u " + owner
        + " <that JVM's java> -jar telemetry-agent.jar ...";
  }

  /** The process is not a Java virtual machine. */
  static String notAJvm(long pid, String command) {
    return "pid " + pid + (command == null ? "" : " (" + command + ")") + " is not a Java virtual machine; "
        + "nothing was attached. `java -jar telemetry-agent.jar list` shows the JVMs you can attach to.";
  }

  static String dynamicLoadingDisabled(long pid) {
    return "pid " + pid + " was started with " + DYNAMIC_LOADING_DISABLED_FLAG + ": it refuses agents loaded at run "
        + "time. Restart it with -javaagent:telemetry-agent.jar (or without that flag) to use the agent.";
  }

  static String attachDisabled(long pid) {
    return "pid " + pid + " was started with " + ATTACH_DISABLED_FLAG + ": it does not accept attach requests. "
        + "Restart it with -javaagent:telemetry-agent.jar (or without that flag) to use the agent.";
  }

  static String noAttachModule(String javaHome) {
    return "this Java runtime (" + javaHome + ") has no jdk.attach module (a JRE or a jlink image without it). "
        + "Run the command with a full JDK's java, e.g. /path/to/jdk/bin/java -jar telemetry-agent.jar ...";
  }

  static String notAnswering(long pid, long timeoutMillis) {
    return "the JVM with pid " + pid + " did not answer within " + timeoutMillis / 1000 + " s: it may be stopped "
        + "(SIGSTOP, a debugger), overloaded, in a long GC pause, or in another container or /tmp. Retry, or raise "
        + "--timeout.";
  }

  /** Too old for the agent (it needs Java 11+). */
  static String javaTooOld(long pid, String specVersion) {
    return "pid " + pid + " runs Java " + specVersion + "; telemetry-agent needs Java 11 or newer.";
  }

  /**
   * A message for a failure of {@code VirtualMachine.attach} / {@code loadAgent} / reading properties.
   *
   * @param pid the target
   * @param error what the attach API threw
   * @param targetCommandLine the target's command line if known (to spot the JVM flags), may be null
   */
  static String describe(long pid, Throwable error, String targetCommandLine) {
    String type = error.getClass().getName();
    String msg = String.valueOf(error.getMessage());
    String lower = msg.toLowerCase(Locale.ROOT);
    if (lower.contains("dynamic agent loading is not enabled")
        || (targetCommandLine != null && targetCommandLine.contains(DYNAMIC_LOADING_DISABLED_FLAG)
            && type.endsWith("AgentLoadException"))) {
      return dynamicLoadingDisabled(pid);
    }
    if (targetCommandLine != null && targetCommandLine.contains(ATTACH_DISABLED_FLAG)) {
      return attachDisabled(pid);
    }
    if (lower.contains("no such process")) {
      return noSuchProcess(pid);
    }
    if (lower.contains("permission denied") || lower.contains("operation not permitted")
        || lower.contains("well-known file") && lower.contains("not secure")) {
      return "permission denied attaching to pid " + pid + ": the attach API only reaches JVMs of the same user "
          + "(and, in containers, the same /tmp). Run the command as the JVM's user. (" + msg + ")";
    }
    if (lower.contains("unable to open socket file") || lower.contains("not respond")
        || lower.contains("timed out") || lower.contains("connection refused")) {
      return "the JVM with pid " + pid + " did not answer the attach request: it may be stopped or hung, started "
          + "with " + ATTACH_DISABLED_FLAG + ", or running as another user or in another container. (" + msg + ")";
    }
    if (type.endsWith("AgentLoadException")) {
      return "pid " + pid + " refused to load the agent: " + msg;
    }
    if (type.endsWith("AgentInitializationException")) {
      return "the agent failed to start in pid " + pid + ": " + msg
          + "; see the lines starting with [telemetry-agent] on that JVM's stderr.";
    }
    return "attaching to pid " + pid + " failed: " + type + ": " + msg;
  }
}
