package dev.telemetryagent.exporter;

import io.opentelemetry.exporter.logging.otlp.internal.logs.OtlpStdoutLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Writes OTLP JSON lines, the encoding of the OpenTelemetry Collector's file exporter: one
 * {@code {"resourceLogs":[...]}} object per line, one line per export call, produced by the SDK's own OTLP JSON
 * marshaler ({@link OtlpStdoutLogRecordExporter} with the wrapper object) into a byte buffer first.
 *
 * <p>Files: {@code <directory>/<service>-<pid>.jsonl} is the current file; when it reaches {@code maxFileBytes} it
 * is renamed {@code <service>-<pid>.<n>.jsonl} and the oldest {@code *.jsonl} files of the directory (any service,
 * any pid: restarts must not accumulate) are deleted until, counting the next current file, at most
 * {@code maxFiles} remain. A line is never split across files: a line that would not fit in the current file
 * rotates it first. Total disk use is thus bounded by about {@code maxFiles x maxFileBytes}. The directory is
 * treated as owned by the agent.
 *
 * <p>Failures (unwritable directory, disk full) make the export fail, are reported once to {@link Diagnostics}
 * until the next success, and never throw. A partially written line is truncated away.
 */
final class JsonLinesFileExporter implements LogRecordExporter {

  static final String SUFFIX = ".jsonl";

  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    ByteBuffer view() {
      return ByteBuffer.wrap(buf, 0, count);
    }
  }

  private final Path directory;
  private final String baseName;
  private final Path current;
  private final long maxFileBytes;
  private final int maxFiles;
  private final Diagnostics diagnostics;
  private final Buffer buffer = new Buffer(64 * 1024);
  private final LogRecordExporter json;
  private boolean initialized;
  private long nextIndex = 1;
  private boolean failureReported;
  private boolean shutdown;

  JsonLinesFileExporter(Path directory, String serviceName, long pid, long maxFileBytes, int maxFiles,
      Diagnostics diagnostics) {
    this.directory = directory;
    this.baseName = sanitize(serviceName) + "-" + pid;
    this.current = directory.resolve(baseName + SUFFIX);
    this.maxFileBytes = maxFileBytes;
    this.maxFiles = maxFiles;
    this.diagnostics = diagnostics;
    this.json = OtlpStdoutLogRecordExporter.builder().setWrapperJsonObject(true).setOutput(buffer).build();
  }

  /** The file currently written to. */
  Path currentFile() {
    return current;
  }

  /** A file-name-safe form of {@code name}: [A-Za-z0-9._-] only, no leading dot, at most 64 characters. */
  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder();
    String n = name == null ? "" : name;
    for (int i = 0; i < n.length() && sb.length() < 64; i++) {
      char c = n.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || (c == '.' && sb.length() > 0);
      sb.append(ok ? c : '_');
    }
    return sb.length() == 0 ? "service" : sb.toString();
  }

  @Override
  public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    if (logs.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    buffer.reset();
    CompletableResultCode encoded;
    try {
      encoded = json.export(logs);
    } catch (RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    if (!encoded.isDone() || !encoded.isSuccess() || buffer.size() == 0) {
      return CompletableResultCode.ofExceptionalFailure(new IOException("OTLP JSON encoding failed"));
    }
    try {
      append(buffer.view());
      failureReported = false;
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      if (!failureReported) {
        failureReported = true;
        diagnostics.warn("local-file|" + directory,
            "cannot write telemetry to " + directory + " (records are dropped until it works again)", e);
      }
      return CompletableResultCode.ofExceptionalFailure(e);
    } finally {
      if (buffer.size() > 1024 * 1024) {
        // Do not keep a huge buffer around after one huge batch.
        buffer.reset();
      }
    }
  }

  private void append(ByteBuffer line) throws IOException {
    Files.createDirectories(directory);
    if (!initialized) {
      nextIndex = highestIndex() + 1;
      prune();
      initialized = true;
    }
    long size = sizeOf(current);
    int length = line.remaining();
    if (size > 0 && size + length > maxFileBytes) {
      rotate();
    }
    try (FileChannel channel = FileChannel.open(current,
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long start = channel.size();
      try {
        while (line.hasRemaining()) {
          channel.write(line);
        }
      } catch (IOException e) {
        try {
          channel.truncate(start);
        } catch (IOException ignored) {
          // best effort: keep the file line-aligned
        }
        throw e;
      }
      size = channel.size();
    }
    if (size >= maxFileBytes) {
      rotate();
    }
  }

  private void rotate() throws IOException {
    Path target;
    do {
      target = directory.resolve(baseName + "." + nextIndex++ + SUFFIX);
    } while (Files.exists(target));
    try {
      Files.move(current, target);
    } catch (NoSuchFileException e) {
      // Someone else (another process pruning this directory) already removed it.
    }
    prune();
  }

  private static long sizeOf(Path p) throws IOException {
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** Deletes the oldest *.jsonl files (other than the current one) until at most maxFiles - 1 remain. */
  private void prune() throws IOException {
    List<Candidate> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path p : stream) {
        if (p.equals(current)) {
          continue;
        }
        try {
          if (Files.isRegularFile(p)) {
            files.add(new Candidate(p, Files.getLastModifiedTime(p)));
          }
        } catch (IOException e) {
          // vanished meanwhile
        }
      }
    }
    int excess = files.size() - (maxFiles - 1);
    if (excess <= 0) {
      return;
    }
    files.sort(Comparator.comparing((Candidate c) -> c.modified)
        .thenComparingLong(c -> c.index)
        .thenComparing(c -> c.path.getFileName().toString()));
    for (int i = 0; i < excess; i++) {
      try {
        Files.deleteIfExists(files.get(i).path);
      } catch (IOException e) {
        // cannot delete (permissions): nothing better to do
      }
    }
  }

  private long highestIndex() throws IOException {
    long max = 0;
    String prefix = baseName + ".";
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        long index = name.startsWith(prefix) ? indexOf(name) : Long.MAX_VALUE;
        if (index != Long.MAX_VALUE) {
          max = Math.max(max, index);
        }
      }
    }
    return max;
  }

  /** The rotation index n of {@code x.<n>.jsonl}, or Long.MAX_VALUE (newest) for a file without one. */
  static long indexOf(String fileName) {
    String stem = fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
    int dot = stem.lastIndexOf('.');
    if (dot < 0 || dot == stem.length() - 1) {
      return Long.MAX_VALUE;
    }
    String digits = stem.substring(dot + 1);
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return Long.MAX_VALUE;
      }
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static final class Candidate {
    final Path path;
    final FileTime modified;
    final long index;

    Candidate(Path path, FileTime modified) {
      this.path = path;
      this.modified = modified;
      this.index = indexOf(path.getFileName().toString());
    }
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "JsonLinesFileExporter{" + current + "}";
  }
}
