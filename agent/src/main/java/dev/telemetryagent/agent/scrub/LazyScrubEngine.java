package dev.telemetryagent.agent.scrub;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's scrub engine, built when an agent thread first needs it instead of in {@code premain}. Building the
 * catalog (71 patterns compiled, their prefilter) costs about a third of a second of cold start-up, and the first
 * export happens at the earliest one export interval later, so the application's start need not wait for it.
 *
 * <p>What must be said at start-up still is: configuration problems are reported by {@link ScrubSetup#builder}
 * (called in premain, cheap), and a custom rule file is validated there. Only the known-good build is late.
 */
public final class LazyScrubEngine {

  private final boolean enabled;
  private final Supplier<ScrubEngine> build; // null once built, or when there is nothing to build
  private final Consumer<String> warnings;
  private volatile ScrubEngine engine;
  private volatile boolean done;

  private LazyScrubEngine(boolean enabled, Supplier<ScrubEngine> build, ScrubEngine engine,
      Consumer<String> warnings) {
    this.enabled = enabled;
    this.build = build;
    this.engine = engine;
    this.warnings = warnings;
    this.done = build == null;
  }

  /** An engine built by {@code build} on first use; a failure is reported once through {@code warnings}. */
  static LazyScrubEngine lazy(Supplier<ScrubEngine> build, Consumer<String> warnings) {
    return new LazyScrubEngine(true, build, null, warnings);
  }

  /** Scrubbing switched off: no engine, and none needed. */
  static LazyScrubEngine off() {
    return new LazyScrubEngine(false, null, null, line -> { });
  }

  /** Scrubbing on but no engine can exist: callers fail closed. */
  static LazyScrubEngine failed() {
    return new LazyScrubEngine(true, null, null, line -> { });
  }

  /** An engine that is already built. */
  public static LazyScrubEngine of(ScrubEngine engine) {
    return new LazyScrubEngine(true, null, engine, line -> { });
  }

  /** Whether scrubbing is on ({@code telemetry.agent.scrub.enabled}). */
  public boolean enabled() {
    return enabled;
  }

  /** The engine if it has been built, else null. Never builds. */
  public ScrubEngine peek() {
    return engine;
  }

  /** Whether {@link #get} returns at once. */
  public boolean isReady() {
    return done;
  }

  /**
   * The engine, built on the first call (by one thread; others wait for it). Null when scrubbing is off or the
   * engine cannot be built (reported once): the caller must then fail closed.
   */
  public ScrubEngine get() {
    if (done) {
      return engine;
    }
    synchronized (this) {
      if (!done) {
        int state = Dispatch.markCurrentThreadAsAgent(); // building loads classes: never capture our own work
        try {
          engine = build.get();
        } catch (RuntimeException | LinkageError e) {
          warnings.accept("the scrub engine cannot be built (" + e.getClass().getName() + "): every record is "
              + "dropped (scrub_error) rather than exported unscrubbed");
        } finally {
          Dispatch.restoreCurrentThread(state);
          done = true;
        }
      }
      return engine;
    }
  }
}
