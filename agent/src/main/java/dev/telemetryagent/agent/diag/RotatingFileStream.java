package dev.telemetryagent.agent.diag;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output stream to {@code file} that rotates by size: when a write would take the file past {@code maxFileBytes},
 * {@code file} becomes {@code file.1}, {@code file.1} becomes {@code file.2}, and so on; {@code file.<maxFiles-1>} is
 * deleted. The disk used is therefore at most about {@code maxFiles x maxFileBytes}, however long the JVM runs.
 *
 * <p>Total: an I/O error never reaches the caller; the bytes are counted as lost ({@link #lostBytes()}) and the next
 * write tries again.
 */
public final class RotatingFileStream extends OutputStream {

  private final Path file;
  private final long maxFileBytes;
  private final int maxFiles;
  private OutputStream out;
  private long size;
  private long lostBytes;

  /**
   * @param file the current file; rotated files get {@code .1}, {@code .2}, ... appended
   * @param maxFileBytes the size at which the file is rotated (a single write larger than this is truncated)
   * @param maxFiles how many files are kept, the current one included (at least 1)
   */
  public RotatingFileStream(Path file, long maxFileBytes, int maxFiles) {
    this.file = file.toAbsolutePath();
    this.maxFileBytes = Math.max(1024, maxFileBytes);
    this.maxFiles = Math.max(1, maxFiles);
  }

  public Path file() {
    return file;
  }

  /** Bytes that could not be written (I/O errors). */
  public synchronized long lostBytes() {
    return lostBytes;
  }

  @Override
  public synchronized void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    try {
      int n = (int) Math.min(len, maxFileBytes);
      if (out == null) {
        open();
      }
      if (size > 0 && size + n > maxFileBytes) {
        rotate();
      }
      out.write(b, off, n);
      size += n;
      lostBytes += len - n;
    } catch (IOException | RuntimeException e) {
      lostBytes += len;
      closeQuietly();
    }
  }

  @Override
  public synchronized void flush() {
    try {
      if (out != null) {
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly();
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void open() throws IOException {
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    closeQuietly();
    Files.deleteIfExists(numbered(maxFiles - 1));
    for (int i = maxFiles - 2; i >= 1; i--) {
      Path from = numbered(i);
      if (Files.exists(from)) {
        Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (maxFiles > 1) {
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(file);
    }
    open();
  }

  Path numbered(int i) {
    return i == 0 ? file : Paths.get(file + "." + i);
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException | RuntimeException ignored) {
        // nothing more to do
      }
      out = null;
    }
  }
}
