package dev.telemetryagent.agent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DeferredRedactorTest {

  private static String onAgentThread(Redactor redactor, String key, String value) throws InterruptedException {
    AtomicReference<Object> out = new AtomicReference<>();
    Thread t = new Thread(() -> {
      Dispatch.markCurrentThreadAsAgent();
      try {
        out.set(redactor.redactAttribute(key, value));
      } catch (RuntimeException e) {
        out.set(e);
      }
    });
    t.start();
    t.join(30_000);
    if (out.get() instanceof RuntimeException) {
      throw (RuntimeException) out.get();
    }
    return (String) out.get();
  }

  @Test
  void theEngineIsBuiltOnceByTheFirstAgentThreadThatNeedsItNotBefore() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    LazyScrubEngine lazy = LazyScrubEngine.lazy(() -> {
      builds.incrementAndGet();
      return ScrubEngine.builtIn();
    }, line -> { });
    DeferredRedactor redactor = new DeferredRedactor(lazy);
    assertThat(builds).hasValue(0);
    assertThat(lazy.peek()).isNull();
    assertThat(onAgentThread(redactor, "db.password", "hunter2")).isEqualTo("<redacted:key:password>");
    assertThat(onAgentThread(redactor, "message", "mail bob@example.com")).contains("<redacted:email-address>");
    assertThat(builds).hasValue(1);
    assertThat(lazy.peek()).isNotNull();
  }

  @Test
  void anApplicationThreadNeverBuildsNorWaitsItGetsAScrubFailureUntilTheEngineIsReady() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    LazyScrubEngine lazy = LazyScrubEngine.lazy(() -> {
      builds.incrementAndGet();
      return ScrubEngine.builtIn();
    }, line -> { });
    DeferredRedactor redactor = new DeferredRedactor(lazy);
    assertThatThrownBy(() -> redactor.redact("password=hunter2"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThat(builds).as("not built by an application thread").hasValue(0);
    onAgentThread(redactor, "k", "v");
    assertThat(redactor.redact("password=hunter2")).doesNotContain("hunter2");
  }

  @Test
  void anEngineThatCannotBeBuiltIsReportedOnceAndFailsClosed() throws Exception {
    List<String> warnings = new ArrayList<>();
    LazyScrubEngine lazy = LazyScrubEngine.lazy(() -> {
      throw new IllegalStateException("broken catalog");
    }, warnings::add);
    DeferredRedactor redactor = new DeferredRedactor(lazy);
    assertThatThrownBy(() -> onAgentThread(redactor, "k", "v"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThatThrownBy(() -> redactor.redact("x")).isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThat(warnings).singleElement().asString().contains("cannot be built").contains("scrub_error");
  }

  @Test
  void scrubbingSwitchedOffIsTheIdentity() throws Exception {
    DeferredRedactor redactor = new DeferredRedactor(LazyScrubEngine.off());
    assertThat(redactor.redact("password=hunter2")).isEqualTo("password=hunter2");
    assertThat(onAgentThread(redactor, "k", "password=hunter2")).isEqualTo("password=hunter2");
  }
}
