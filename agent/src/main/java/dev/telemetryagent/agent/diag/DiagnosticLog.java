package dev.telemetryagent.agent.diag;

import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.exporter.Diagnostics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where the agent's own diagnostic lines go once it runs: the process's stderr by default; with
 * {@code telemetry.agent.diag.file} set, a size-rotated file whose total size is capped
 * ({@code telemetry.agent.diag.max-file-size} x {@code telemetry.agent.diag.max-files}). Start-up problems
 * (configuration, installation) always go to stderr, where whoever starts the JVM sees them.
 */
public final class DiagnosticLog {

  private DiagnosticLog() {}

  /** The diagnostics sink for the export pipeline and everything after start-up. Never throws. */
  public static Diagnostics diagnostics(AgentConfig config, String version, String how) {
    try {
      Path file = config.get(ConfigKeys.DIAG_FILE);
      if (file == null) {
        return Diagnostics.stderr();
      }
      RotatingFileStream stream = new RotatingFileStream(file, config.get(ConfigKeys.DIAG_MAX_FILE_SIZE),
          config.get(ConfigKeys.DIAG_MAX_FILES));
      PrintStream out = new PrintStream(stream, true, StandardCharsets.UTF_8);
      out.println(Diagnostics.PREFIX + Instant.now() + " " + version + " started (" + how + ") in pid "
          + ProcessHandle.current().pid() + "; diagnostics continue here");
      if (stream.lostBytes() > 0) {
        Diagnostics.stderr().warn("diag-file", "cannot write the diagnostic file " + file
            + "; diagnostics stay on stderr");
        return Diagnostics.stderr();
      }
      return new Diagnostics(out, System::nanoTime, Diagnostics.DEFAULT_INTERVAL);
    } catch (Throwable t) {
      return Diagnostics.stderr();
    }
  }
}
