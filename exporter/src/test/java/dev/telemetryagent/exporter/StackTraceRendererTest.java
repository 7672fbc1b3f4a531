package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StackTraceRendererTest {

  private static final StackTraceRenderer UNLIMITED = new StackTraceRenderer(100_000, 1_000_000);

  /** What Throwable.printStackTrace prints, with \n line ends and no trailing newline. */
  private static String printed(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().replace(System.lineSeparator(), "\n").replaceAll("\n$", "");
  }

  private static StackTraceElement frame(String method, int line) {
    return new StackTraceElement("com.example.Service", method, "Service.java", line);
  }

  private static <T extends Throwable> T withFrames(T t, StackTraceElement... frames) {
    t.setStackTrace(frames);
    return t;
  }

  @Test
  void rendersLikePrintStackTrace() {
    Exception e = new IllegalStateException("boom");
    assertThat(UNLIMITED.render(e)).isEqualTo(printed(e));
    assertThat(UNLIMITED.render(e)).startsWith("java.lang.IllegalStateException: boom\n\tat ");
  }

  @Test
  void headerWithoutMessageIsTheTypeAlone() {
    Exception e = withFrames(new RuntimeException(), frame("a", 1));
    assertThat(UNLIMITED.render(e)).isEqualTo("java.lang.RuntimeException\n\tat com.example.Service.a(Service.java:1)");
  }

  @Test
  void causeFoldsFramesInCommonWithTheEnclosingTrace() {
    Exception cause = withFrames(new IllegalArgumentException("bad"),
        frame("inner", 30), frame("middle", 20), frame("outer", 10));
    Exception top = withFrames(new RuntimeException("wrapped", cause), frame("handler", 40), frame("middle", 20),
        frame("outer", 10));
    String rendered = UNLIMITED.render(top);
    assertThat(rendered).isEqualTo(
        "java.lang.RuntimeException: wrapped\n"
            + "\tat com.example.Service.handler(Service.java:40)\n"
            + "\tat com.example.Service.middle(Service.java:20)\n"
            + "\tat com.example.Service.outer(Service.java:10)\n"
            + "Caused by: java.lang.IllegalArgumentException: bad\n"
            + "\tat com.example.Service.inner(Service.java:30)\n"
            + "\t... 2 more");
    assertThat(rendered).isEqualTo(printed(top));
  }

  @Test
  void suppressedAreIndentedWithTheirOwnCauses() {
    Exception suppressedCause = withFrames(new IllegalStateException("root of close"), frame("close0", 5),
        frame("outer", 10));
    Exception suppressed = withFrames(new java.io.IOException("close failed", suppressedCause), frame("close", 6),
        frame("outer", 10));
    Exception cause = withFrames(new IllegalArgumentException("cause"), frame("work", 7), frame("outer", 10));
    Exception top = withFrames(new RuntimeException("top", cause), frame("run", 8), frame("outer", 10));
    top.addSuppressed(suppressed);
    String rendered = UNLIMITED.render(top);
    assertThat(rendered).isEqualTo(
        "java.lang.RuntimeException: top\n"
            + "\tat com.example.Service.run(Service.java:8)\n"
            + "\tat com.example.Service.outer(Service.java:10)\n"
            + "\tSuppressed: java.io.IOException: close failed\n"
            + "\t\tat com.example.Service.close(Service.java:6)\n"
            + "\t\t... 1 more\n"
            + "\tCaused by: java.lang.IllegalStateException: root of close\n"
            + "\t\tat com.example.Service.close0(Service.java:5)\n"
            + "\t\t... 1 more\n"
            + "Caused by: java.lang.IllegalArgumentException: cause\n"
            + "\tat com.example.Service.work(Service.java:7)\n"
            + "\t... 1 more");
    assertThat(rendered).isEqualTo(printed(top));
  }

  @Test
  void realNestedExceptionsMatchPrintStackTrace() {
    Exception e;
    try {
      try {
        Integer.parseInt("x");
        e = null;
      } catch (NumberFormatException nfe) {
        RuntimeException r = new RuntimeException("parse", nfe);
        r.addSuppressed(new IllegalStateException("also"));
        throw r;
      }
    } catch (RuntimeException r) {
      e = r;
    }
    assertThat(UNLIMITED.render(e)).isEqualTo(printed(e));
  }

  @Test
  void causeCycleIsReportedOnce() {
    Exception a = withFrames(new RuntimeException("a"), frame("a", 1));
    Exception b = withFrames(new IllegalStateException("b", a), frame("b", 2));
    a.initCause(b);
    String rendered = UNLIMITED.render(a);
    assertThat(rendered).isEqualTo(
        "java.lang.RuntimeException: a\n"
            + "\tat com.example.Service.a(Service.java:1)\n"
            + "Caused by: java.lang.IllegalStateException: b\n"
            + "\tat com.example.Service.b(Service.java:2)\n"
            + "Caused by: [CIRCULAR REFERENCE: java.lang.RuntimeException: a]");
    assertThat(rendered).isEqualTo(printed(a));
  }

  @Test
  void suppressedCycleIsReportedOnce() {
    Exception a = withFrames(new RuntimeException("a"), frame("a", 1));
    Exception b = withFrames(new RuntimeException("b"), frame("b", 2));
    a.addSuppressed(b);
    b.addSuppressed(a);
    String rendered = UNLIMITED.render(a);
    assertThat(rendered).contains("\t\tSuppressed: [CIRCULAR REFERENCE: java.lang.RuntimeException: a]");
    assertThat(rendered).isEqualTo(printed(a));
  }

  @Test
  void frameLimitStopsTheWalkWithAMarker() {
    Exception cause = withFrames(new IllegalStateException("cause"), frame("c1", 1), frame("c2", 2));
    Exception top = withFrames(new RuntimeException("top", cause), frame("t1", 1), frame("t2", 2), frame("t3", 3));
    String rendered = new StackTraceRenderer(2, 10_000).render(top);
    assertThat(rendered).isEqualTo(
        "java.lang.RuntimeException: top\n"
            + "\tat com.example.Service.t1(Service.java:1)\n"
            + "\tat com.example.Service.t2(Service.java:2)\n"
            + StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void frameLimitCountsFramesAcrossCauses() {
    Exception cause = withFrames(new IllegalStateException("cause"), frame("c1", 1), frame("c2", 2));
    Exception top = withFrames(new RuntimeException("top", cause), frame("t1", 1));
    String rendered = new StackTraceRenderer(2, 10_000).render(top);
    assertThat(rendered).endsWith("Caused by: java.lang.IllegalStateException: cause\n"
        + "\tat com.example.Service.c1(Service.java:1)\n" + StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void exactlyAtTheFrameLimitIsNotTruncated() {
    Exception e = withFrames(new RuntimeException("x"), frame("a", 1), frame("b", 2));
    assertThat(new StackTraceRenderer(2, 10_000).render(e)).doesNotContain("truncated");
  }

  @Test
  void charLimitBoundsTheOutputMarkerIncluded() {
    StackTraceElement[] frames = new StackTraceElement[500];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = frame("method" + i, i);
    }
    Exception e = withFrames(new RuntimeException("many frames"), frames);
    String rendered = new StackTraceRenderer(10_000, 1000).render(e);
    assertThat(rendered.length()).isLessThanOrEqualTo(1000);
    assertThat(rendered).startsWith("java.lang.RuntimeException: many frames\n\tat ");
    assertThat(rendered).endsWith("\n" + StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void hugeMessageIsCutInsideTheHeader() {
    StringBuilder message = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      message.append('m');
    }
    Exception e = new RuntimeException(message.toString());
    String rendered = new StackTraceRenderer(64, 500).render(e);
    assertThat(rendered.length()).isLessThanOrEqualTo(500);
    assertThat(rendered).startsWith("java.lang.RuntimeException: mmm").endsWith(StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void cutNeverSplitsASurrogatePair() {
    StringBuilder message = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      message.append("\uD83D\uDE00"); // an emoji: two chars
    }
    String rendered = new StackTraceRenderer(64, 301).render(new RuntimeException(message.toString()));
    String beforeMarker = rendered.substring(0, rendered.indexOf("\n" + StackTraceRenderer.TRUNCATION_MARKER));
    assertThat(Character.isHighSurrogate(beforeMarker.charAt(beforeMarker.length() - 1))).isFalse();
  }

  @Test
  void throwingToStringFallsBackToTypeAndMessage() {
    Exception e = withFrames(new RuntimeException("msg") {
      private static final long serialVersionUID = 1L;

      @Override
      public String toString() {
        throw new IllegalStateException("no toString for you");
      }
    }, frame("a", 1));
    String rendered = UNLIMITED.render(e);
    assertThat(rendered).startsWith(e.getClass().getName() + ": msg\n\tat com.example.Service.a");
  }

  @Test
  void throwingGetMessageAndToStringFallBackToTheType() {
    Exception e = withFrames(new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("no message");
      }

      @Override
      public String toString() {
        throw new IllegalStateException("no toString");
      }
    }, frame("a", 1));
    assertThat(UNLIMITED.render(e)).startsWith(e.getClass().getName() + " (toString() threw java.lang.IllegalStateException)\n");
    assertThat(StackTraceRenderer.safeMessage(e)).isNull();
  }

  @Test
  void throwingGetMessageAloneIsSurvivedByDefaultToString() {
    Exception e = withFrames(new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("no message");
      }
    }, frame("a", 1));
    // Throwable.toString() calls getLocalizedMessage() -> getMessage(), which throws: fallback is the type.
    assertThat(UNLIMITED.render(e)).startsWith(e.getClass().getName() + " (toString() threw");
  }

  @Test
  void throwingGetCauseAndGetStackTraceAreSurvived() {
    Exception e = new RuntimeException("odd") {
      private static final long serialVersionUID = 1L;

      @Override
      public synchronized Throwable getCause() {
        throw new IllegalStateException();
      }

      @Override
      public StackTraceElement[] getStackTrace() {
        throw new IllegalStateException();
      }
    };
    assertThat(UNLIMITED.render(e)).isEqualTo(e.getClass().getName() + ": odd");
  }

  @Test
  void longCauseChainIsBoundedWithoutRecursion() {
    Throwable t = new RuntimeException("root");
    for (int i = 0; i < 50_000; i++) {
      t = new RuntimeException("level " + i, t);
    }
    String rendered = new StackTraceRenderer(64, 16384).render(t);
    assertThat(rendered.length()).isLessThanOrEqualTo(16384);
    assertThat(rendered).endsWith(StackTraceRenderer.TRUNCATION_MARKER);
  }

  @Test
  void nullRendersEmpty() {
    assertThat(UNLIMITED.render(null)).isEmpty();
  }

  @Test
  void limitsAreValidated() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StackTraceRenderer(-1, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StackTraceRenderer(10, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
