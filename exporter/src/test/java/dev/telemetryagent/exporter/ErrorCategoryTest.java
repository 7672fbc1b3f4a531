package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.text.ParseException;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorCategoryTest {

  /** A library exception the table does not know, recognised by its name. */
  static final class ReadTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  static final class UserNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** A throwable whose getCause() throws. */
  static final class HostileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("no");
    }
  }

  @Test
  void jdkTypes() {
    assertThat(ErrorCategory.of(new OutOfMemoryError("heap"))).isEqualTo(ErrorCategory.OOM);
    assertThat(ErrorCategory.of(new SocketTimeoutException())).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(ErrorCategory.of(new TimeoutException())).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(ErrorCategory.of(new ConnectException())).isEqualTo(ErrorCategory.CONNECTION);
    assertThat(ErrorCategory.of(new AccessDeniedException("/etc/shadow"))).isEqualTo(ErrorCategory.PERMISSION);
    assertThat(ErrorCategory.of(new SecurityException())).isEqualTo(ErrorCategory.PERMISSION);
    assertThat(ErrorCategory.of(new FileNotFoundException())).isEqualTo(ErrorCategory.NOT_FOUND);
    assertThat(ErrorCategory.of(new NoSuchFileException("x"))).isEqualTo(ErrorCategory.NOT_FOUND);
    assertThat(ErrorCategory.of(new ParseException("x", 0))).isEqualTo(ErrorCategory.PARSE);
    assertThat(ErrorCategory.of(new NumberFormatException())).as("before its superclass IllegalArgumentException")
        .isEqualTo(ErrorCategory.PARSE);
    assertThat(ErrorCategory.of(new DateTimeParseException("x", "y", 0))).isEqualTo(ErrorCategory.PARSE);
    assertThat(ErrorCategory.of(new InterruptedException())).isEqualTo(ErrorCategory.INTERRUPTED);
    assertThat(ErrorCategory.of(new InterruptedIOException())).isEqualTo(ErrorCategory.INTERRUPTED);
    assertThat(ErrorCategory.of(new IllegalStateException())).isEqualTo(ErrorCategory.ILLEGAL_STATE);
    assertThat(ErrorCategory.of(new IllegalArgumentException())).isEqualTo(ErrorCategory.ILLEGAL_ARGUMENT);
    assertThat(ErrorCategory.of(new RuntimeException())).isEqualTo(ErrorCategory.OTHER);
    assertThat(ErrorCategory.of(new NullPointerException())).isEqualTo(ErrorCategory.OTHER);
    assertThat(ErrorCategory.of(null)).isEqualTo(ErrorCategory.OTHER);
  }

  @Test
  void libraryTypesByName() {
    assertThat(ErrorCategory.of(new ReadTimeoutException())).isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(ErrorCategory.of(new UserNotFoundException())).isEqualTo(ErrorCategory.NOT_FOUND);
  }

  @Test
  void causesCountAndTheHighestPriorityWins() {
    assertThat(ErrorCategory.of(new ExecutionException(new SocketTimeoutException("read"))))
        .isEqualTo(ErrorCategory.TIMEOUT);
    assertThat(ErrorCategory.of(new CompletionException(new IllegalStateException(new ConnectException()))))
        .isEqualTo(ErrorCategory.CONNECTION);
    assertThat(ErrorCategory.of(new IllegalStateException("wrapped", new OutOfMemoryError())))
        .isEqualTo(ErrorCategory.OOM);
  }

  @Test
  void cyclesAndHostileThrowablesAreSafe() {
    RuntimeException a = new RuntimeException("a");
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    assertThat(ErrorCategory.of(a)).isEqualTo(ErrorCategory.ILLEGAL_STATE);
    assertThat(ErrorCategory.recoverable(a)).isTrue();
    assertThat(ErrorCategory.of(new HostileException())).isEqualTo(ErrorCategory.OTHER);
    assertThat(ErrorCategory.recoverable(new HostileException())).isTrue();
  }

  @Test
  void recoverable() {
    assertThat(ErrorCategory.recoverable(new OutOfMemoryError())).isFalse();
    assertThat(ErrorCategory.recoverable(new StackOverflowError())).isFalse();
    assertThat(ErrorCategory.recoverable(new NoClassDefFoundError("x"))).isFalse();
    assertThat(ErrorCategory.recoverable(new RuntimeException(new OutOfMemoryError()))).isFalse();
    assertThat(ErrorCategory.recoverable(new SocketTimeoutException())).isTrue();
    assertThat(ErrorCategory.recoverable(new IllegalStateException())).isTrue();
  }
}
