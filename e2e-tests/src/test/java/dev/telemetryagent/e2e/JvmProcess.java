package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A JVM started in its own process: a chosen JDK, optionally {@code -javaagent:}, system properties, a main jar or a
 * class path and main class, arguments and a working directory. Stdout and stderr go to files in its output
 * directory ({@code target/e2e/<test>/<run>/stdout.txt}, {@code stderr.txt}, and {@code command.txt}), so they
 * survive the test for inspection. {@link #close()} kills it (and its descendants) if it is still running.
 */
public final class JvmProcess implements AutoCloseable {

  private final String name;
  private final List<String> command;
  private final Path outputDir;
  private final Path stdout;
  private final Path stderr;
  private final Process process;

  private JvmProcess(String name, List<String> command, Path workDir, Path outputDir) throws IOException {
    this.name = name;
    this.command = List.copyOf(command);
    this.outputDir = outputDir;
    Files.createDirectories(outputDir);
    this.stdout = outputDir.resolve("stdout.txt");
    this.stderr = outputDir.resolve("stderr.txt");
    Files.writeString(outputDir.resolve("command.txt"),
        "cd " + workDir + System.lineSeparator() + String.join(" \\" + System.lineSeparator() + "  ", command)
            + System.lineSeparator(), StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    // The app must see only what the test sets: no inherited agent or JVM options.
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("_JAVA_OPTIONS");
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TELEMETRY_AGENT"));
    this.process = pb.start();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> command() {
    return command;
  }

  public Path outputDir() {
    return outputDir;
  }

  public Path stdoutFile() {
    return stdout;
  }

  public Path stderrFile() {
    return stderr;
  }

  /** Stdout so far (the whole of it once the process has exited). */
  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  public List<String> stdoutLines() {
    return lines(stdout());
  }

  public List<String> stderrLines() {
    return lines(stderr());
  }

  /**
   * Waits for the process to exit and returns its exit code; when it does not exit in time it is killed and the
   * test fails with the tail of its output.
   */
  public int waitFor(Duration timeout) {
    boolean exited;
    try {
      exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new AssertionError("interrupted waiting for " + describe(), e);
    }
    if (!exited) {
      close();
      throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s and was killed; "
          + describe());
    }
    return process.exitValue();
  }

  /**
   * Waits for exit and asserts the contract every e2e run shares: exit code 0, and no {@code [telemetry-agent]}
   * error line on stderr.
   */
  public JvmProcess assertExitsCleanly(Duration timeout) {
    int code = waitFor(timeout);
    assertThat(code).as("exit code of %s; %s", name, describe()).isZero();
    assertThat(E2e.agentErrorLines(stderrLines()))
        .as("[telemetry-agent] error lines on stderr of %s; %s", name, describe())
        .isEmpty();
    return this;
  }

  /** The command, where the output went, and the last lines of stdout and stderr. */
  public String describe() {
    return "command: " + String.join(" ", command) + System.lineSeparator()
        + "output in " + outputDir + System.lineSeparator()
        + "--- stdout (tail) ---" + System.lineSeparator() + tail(stdoutLines(), 25)
        + "--- stderr (tail) ---" + System.lineSeparator() + tail(stderrLines(), 40);
  }

  /**
   * Asks the process to stop as {@code kill} (SIGTERM on Unix) would: its shutdown hooks run, the agent's
   * included. Does not wait; see {@link #waitFor}.
   */
  public void terminate() {
    process.destroy();
  }

  /** Kills the process and everything it started, if still running. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "JvmProcess{" + name + ", pid=" + process.pid() + ", " + outputDir + "}";
  }

  private static String tail(List<String> lines, int n) {
    List<String> tail = lines.subList(Math.max(0, lines.size() - n), lines.size());
    return tail.stream().map(l -> "  " + l + System.lineSeparator()).collect(Collectors.joining());
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(Arrays.asList(text.split("\\R", -1)));
    if (out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static File nullFile() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** Builds and starts a {@link JvmProcess}. */
  public static final class Builder {
    private final String name;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Path agentJar;
    private String agentOptions;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private Path mainJar;
    private List<Path> classpath;
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private Path workDir;
    private Path outputDir;
    private Consumer<JvmProcess> onStart = p -> { };

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    public Builder jdk(Jdk jdk) {
      return javaHome(jdk.home());
    }

    /** {@code -javaagent:<jar>}; null for none. */
    public Builder agent(Path agentJar) {
      this.agentJar = agentJar;
      return this;
    }

    /** {@code -javaagent:<jar>=<options>}. */
    public Builder agent(Path agentJar, String options) {
      this.agentJar = agentJar;
      this.agentOptions = options;
      return this;
    }

    public Builder systemProperty(String key, Object value) {
      systemProperties.put(key, String.valueOf(value));
      return this;
    }

    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    /** Runs {@code -jar <jar>}. */
    public Builder jar(Path jar) {
      this.mainJar = jar;
      this.classpath = null;
      this.mainClass = null;
      return this;
    }

    /** Runs {@code -cp <classpath> <mainClass>}. */
    public Builder classpath(List<Path> classpath, String mainClass) {
      this.classpath = List.copyOf(classpath);
      this.mainClass = mainClass;
      this.mainJar = null;
      return this;
    }

    public Builder args(String... more) {
      args.addAll(Arrays.asList(more));
      return this;
    }

    /** The working directory; by default the output directory. */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Where stdout, stderr and the command line are written. */
    public Builder outputDir(Path outputDir) {
      this.outputDir = outputDir;
      return this;
    }

    Builder onStart(Consumer<JvmProcess> onStart) {
      this.onStart = onStart;
      return this;
    }

    public JvmProcess start() {
      if (outputDir == null) {
        throw new IllegalStateException("outputDir not set for " + name);
      }
      if (mainJar == null && mainClass == null) {
        throw new IllegalStateException("neither a main jar nor a main class for " + name);
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(new Jdk(javaHome).javaExecutable().toString());
      cmd.add("-Xmx256m");
      if (agentJar != null) {
        cmd.add("-javaagent:" + agentJar.toAbsolutePath() + (agentOptions == null ? "" : "=" + agentOptions));
      }
      cmd.addAll(jvmArgs);
      systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
      if (mainJar != null) {
        cmd.add("-jar");
        cmd.add(mainJar.toAbsolutePath().toString());
      } else {
        cmd.add("-cp");
        cmd.add(classpath.stream().map(p -> p.toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator)));
        cmd.add(mainClass);
      }
      cmd.addAll(args);
      try {
        Path wd = workDir != null ? workDir : outputDir;
        Files.createDirectories(wd);
        JvmProcess p = new JvmProcess(name, cmd, wd, outputDir);
        onStart.accept(p);
        return p;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name + ": " + cmd, e);
      }
    }
  }
}
