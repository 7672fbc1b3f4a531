package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

  private static long log(String template) {
    return Fingerprints.ofLog("com.example.Orders", 17, template, null);
  }

  @Test
  void variablePartsOfATemplateAreNormalised() {
    assertThat(log("order 1234 failed for 'bob'")).isEqualTo(log("order 98 failed for 'alice'"));
    assertThat(log("request 550e8400-e29b-41d4-a716-446655440000 timed out"))
        .isEqualTo(log("request 123e4567-e89b-12d3-a456-426614174000 timed out"));
    assertThat(log("peer 10.0.0.12 refused")).isEqualTo(log("peer 192.168.1.7 refused"));
    assertThat(log("object deadbeefcafebabe gone")).isEqualTo(log("object 0123abcd4567ef89 gone"));
    assertThat(log("user \"x\" denied")).isEqualTo(log("user \"someone else entirely\" denied"));
  }

  @Test
  void differentWordsDifferentLoggersAndLevelsAreDifferent() {
    assertThat(log("order 1 failed")).isNotEqualTo(log("order 1 shipped"));
    assertThat(Fingerprints.ofLog("a.B", 17, "x", null)).isNotEqualTo(Fingerprints.ofLog("a.C", 17, "x", null));
    assertThat(Fingerprints.ofLog("a.B", 17, "x", null)).isNotEqualTo(Fingerprints.ofLog("a.B", 13, "x", null));
    assertThat(log(null)).isNotEqualTo(log(""));
  }

  @Test
  void exceptionTypeAndNormalisedMessageOfTheCauseChainCount() {
    long a = Fingerprints.ofLog("l", 17, "failed", new IOException("read 12 bytes",
        new SocketTimeoutException("after 3000 ms")));
    long b = Fingerprints.ofLog("l", 17, "failed", new IOException("read 99 bytes",
        new SocketTimeoutException("after 10 ms")));
    long otherCause = Fingerprints.ofLog("l", 17, "failed", new IOException("read 12 bytes",
        new IllegalStateException("after 3000 ms")));
    long otherType = Fingerprints.ofLog("l", 17, "failed", new IllegalStateException("read 12 bytes"));
    assertThat(a).isEqualTo(b).isNotEqualTo(otherCause).isNotEqualTo(otherType);
  }

  @Test
  void errorPathFingerprintsIncludeTheTopInAppFrames() {
    Throwable here = new IllegalStateException("boom 1");
    Throwable sameSite = new IllegalStateException("boom 2");
    sameSite.setStackTrace(here.getStackTrace());
    Throwable elsewhere = new IllegalStateException("boom 3");
    StackTraceElement[] frames = here.getStackTrace().clone();
    frames[0] = new StackTraceElement("com.example.Other", "run", "Other.java", 7);
    elsewhere.setStackTrace(frames);
    int src = EventSource.UNCAUGHT.ordinal();
    assertThat(Fingerprints.ofError(src, here)).isEqualTo(Fingerprints.ofError(src, sameSite))
        .isNotEqualTo(Fingerprints.ofError(src, elsewhere))
        .isNotEqualTo(Fingerprints.ofError(EventSource.EXECUTOR.ordinal(), here));
  }

  @Test
  void jdkFramesAreNotInApp() {
    assertThat(Fingerprints.inApp("java.util.concurrent.FutureTask")).isFalse();
    assertThat(Fingerprints.inApp("jdk.internal.reflect.X")).isFalse();
    assertThat(Fingerprints.inApp("com.example.Billing")).isTrue();
  }

  @Test
  void theRememberedHashesAreTheHashesOfTheText() {
    // Many texts through both caches (more than their slots, so they also evict each other), each asked for twice
    // (a hit the second time), as the same instance and as an equal new one: always the value of the text alone.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3000; i++) {
        String text = i % 3 == 0 ? "order " + i + " failed" : i % 3 == 1 ? "x".repeat(i % 600) : "timeout " + (i % 7);
        long expected = Fingerprints.normalized(Fingerprints.TEXT_SEED, new String(text));
        assertThat(Fingerprints.messageHash(text)).as(text).isEqualTo(expected);
        assertThat(Fingerprints.messageHash(text)).as(text).isEqualTo(expected);
        assertThat(Fingerprints.textHash(text)).as(text).isEqualTo(expected);
        assertThat(Fingerprints.textHash(text)).as(text).isEqualTo(expected);
      }
    }
    assertThat(Fingerprints.messageHash(null)).isEqualTo(Fingerprints.textHash(null));
  }

  @Test
  void hostileInputNeverThrows() {
    Throwable cyclic = new RuntimeException("a");
    Throwable other = new RuntimeException("b", cyclic);
    cyclic.initCause(other);
    Throwable badMessage = new RuntimeException() {
      @Override
      public String getMessage() {
        throw new IllegalStateException("no");
      }
    };
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      huge.append("'x");
    }
    Fingerprints.ofLog(null, 0, huge.toString(), cyclic);
    Fingerprints.ofLog("l", 17, "'unclosed quote", badMessage);
    Fingerprints.ofError(0, badMessage);
    assertThat(Fingerprints.hex(1L)).isEqualTo("0000000000000001");
    assertThat(Fingerprints.hex(-1L)).isEqualTo("ffffffffffffffff");
  }
}
