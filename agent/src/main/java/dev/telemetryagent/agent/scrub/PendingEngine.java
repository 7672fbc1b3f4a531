package dev.telemetryagent.agent.scrub;

import dev.telemetryagent.agent.jmx.AgentMBeans;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The scrub engine, built on a thread of its own while {@code premain} goes on installing the rest of the agent:
 * compiling the catalog is the largest single part of start-up, and on a machine with a second core it then costs
 * the application nothing.
 *
 * <p>Whoever needs the engine before it is ready waits for it, never longer than {@link #WAIT_MILLIS}: the export
 * worker for its first record, and an application thread only when it records an exception on its own span in the
 * first moments after start-up. A wait that runs out (or a build that failed) counts as a scrub failure, so the
 * string is never exported unscrubbed (the record is dropped and counted as {@code scrub_error}).
 */
public final class PendingEngine implements Supplier<ScrubEngine> {

  /** The longest anyone waits for the engine (it takes about 0.15 s on two cores when nothing else runs). */
  static final long WAIT_MILLIS = 5_000;

  private final FutureTask<ScrubEngine> build;

  private PendingEngine(FutureTask<ScrubEngine> build) {
    this.build = build;
  }

  /** Starts building {@code engine} on a daemon thread ({@code telemetry-agent-scrub-init}) of the agent's own. */
  public static PendingEngine start(Supplier<ScrubEngine> engine) {
    FutureTask<ScrubEngine> task = new FutureTask<>(engine::get);
    Thread t = new Thread(() -> {
      AgentMBeans.markAgentThread();
      task.run();
    }, "telemetry-agent-scrub-init");
    t.setDaemon(true);
    t.start();
    return new PendingEngine(task);
  }

  /** An engine that is ready now. */
  public static PendingEngine of(ScrubEngine engine) {
    FutureTask<ScrubEngine> task = new FutureTask<>(() -> engine);
    task.run();
    return new PendingEngine(task);
  }

  /**
   * The engine, waiting for it if needed; null when it could not be built or did not come within
   * {@link #WAIT_MILLIS}.
   */
  @Override
  public ScrubEngine get() {
    try {
      return build.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  /** The engine if it is ready, else null (never waits). */
  public ScrubEngine now() {
    return build.isDone() ? get() : null;
  }
}
