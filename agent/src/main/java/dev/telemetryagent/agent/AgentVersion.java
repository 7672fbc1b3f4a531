package dev.telemetryagent.agent;

import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version, from the jar's {@code telemetry-agent/version.properties}. A class of its own, linking to
 * nothing else of the agent: the CLI runs without the bootstrap classes, so it must not load (and so verify)
 * classes such as {@code AgentInstaller} that refer to them.
 */
public final class AgentVersion {

  private AgentVersion() {}

  /** The version, or "unknown" when the resource is missing (a build from an IDE). */
  public static String get() {
    try (InputStream in = AgentVersion.class.getClassLoader()
        .getResourceAsStream("telemetry-agent/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (Exception ignored) {
      // fall through
    }
    return "unknown";
  }
}
