package dev.telemetryagent.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * What can be learnt about a pid without the attach API, so that nothing is sent to a process that cannot take it
 * (HotSpot's attach handshake sends SIGQUIT, which would kill a process that is not a JVM).
 */
final class ProcessChecks {

  private ProcessChecks() {}

  /**
   * Throws a {@link CliException} with an actionable message when {@code pid} cannot be attached to: no such process,
   * another user's process, not a JVM, or a JVM started with a flag that refuses attach or agents.
   *
   * @param listed whether the attach API lists this pid (its perf data is visible): then it is our user's JVM
   * @param forLoading whether an agent is to be loaded (not only properties read)
   */
  static void check(long pid, boolean listed, boolean forLoading) throws CliException {
    if (pid == ProcessHandle.current().pid()) {
      throw new CliException(1, "pid " + pid + " is this command's own process");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (!handle.isPresent() || !handle.get().isAlive()) {
      throw new CliException(1, AttachFailures.noSuchProcess(pid));
    }
    ProcessHandle.Info info = handle.get().info();
    String me = System.getProperty("user.name");
    String owner = info.user().orElse(null);
    if (!listed && owner != null && !owner.equals(me) && !"root".equals(me) && !sameUserByUid(pid)) {
      throw new CliException(1, AttachFailures.otherUser(pid, owner, me));
    }
    if (!listed && !looksLikeJvm(pid, info)) {
      throw new CliException(1, AttachFailures.notAJvm(pid, info.command().orElse(null)));
    }
    String commandLine = commandLine(pid);
    if (commandLine != null && commandLine.contains(AttachFailures.ATTACH_DISABLED_FLAG)) {
      throw new CliException(1, AttachFailures.attachDisabled(pid));
    }
    if (forLoading && commandLine != null && commandLine.contains(AttachFailures.DYNAMIC_LOADING_DISABLED_FLAG)) {
      throw new CliException(1, AttachFailures.dynamicLoadingDisabled(pid));
    }
  }

  /** On Linux, /proc/<pid> is owned by the process's user. */
  private static boolean sameUserByUid(long pid) {
    try {
      Path proc = Paths.get("/proc", Long.toString(pid));
      Path self = Paths.get("/proc/self");
      return Files.exists(proc) && Files.getOwner(proc).equals(Files.getOwner(self.toRealPath()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * A JVM maps libjvm (Linux); elsewhere, or when the maps are not readable, the executable is named java. A process
   * we cannot inspect at all is given the benefit of the doubt only if its executable looks like Java.
   */
  static boolean looksLikeJvm(long pid, ProcessHandle.Info info) {
    Path maps = Paths.get("/proc", Long.toString(pid), "maps");
    if (Files.isReadable(maps)) {
      try {
        String text = new String(Files.readAllBytes(maps), StandardCharsets.ISO_8859_1);
        return text.contains("/libjvm.so");
      } catch (IOException | RuntimeException e) {
        // fall through to the executable's name
      }
    }
    String exe = info.command().orElse("");
    String name = exe.substring(exe.lastIndexOf('/') + 1);
    return name.equals("java") || name.equals("java.exe") || name.equals("javaw.exe");
  }

  /** The process's command line (arguments separated by spaces), or null when it cannot be read. */
  static String commandLine(long pid) {
    Path cmdline = Paths.get("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').trim();
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse(null);
  }
}
