package dev.telemetryagent.agent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetryagent.scrub.ScrubEngine;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine is built on a thread of its own while premain goes on: whoever needs it first waits for it, and an
 * engine that never comes makes every scrub fail (fail closed), never pass text through.
 */
class PendingEngineTest {

  @Test
  void aRedactorWaitsForTheEngineBeingBuiltAndThenScrubsWithIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    PendingEngine pending = PendingEngine.start(() -> {
      await(release);
      return ScrubEngine.builtIn();
    });
    EngineRedactor redactor = new EngineRedactor(pending);
    assertThat(pending.now()).as("not built yet").isNull();
    assertThat(redactor.toString()).contains("not built");

    new Thread(() -> {
      sleep(200);
      release.countDown();
    }).start();
    long start = System.nanoTime();
    String out = redactor.redact("password=hunter2-secret-value");

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited for the build")
        .isGreaterThanOrEqualTo(150);
    assertThat(out).doesNotContain("hunter2-secret-value");
    assertThat(pending.now()).isNotNull();
  }

  @Test
  void aBuildThatFailsMakesEveryScrubFail() {
    PendingEngine pending = PendingEngine.start(() -> {
      throw new IllegalStateException("broken catalog");
    });
    EngineRedactor redactor = new EngineRedactor(pending);

    assertThatThrownBy(() -> redactor.redact("password=hunter2-secret-value"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThatThrownBy(() -> redactor.redactAttribute("user", "ada@example.com"))
        .isInstanceOf(EngineRedactor.ScrubFailedException.class);
    assertThat(pending.get()).isNull();
  }

  @Test
  void theBuildRunsOnAnAgentThreadOfItsOwn() throws Exception {
    String[] name = new String[1];
    PendingEngine pending = PendingEngine.start(() -> {
      name[0] = Thread.currentThread().getName();
      return ScrubEngine.builtIn();
    });
    assertThat(pending.get()).isNotNull();
    assertThat(name[0]).isEqualTo("telemetry-agent-scrub-init");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
