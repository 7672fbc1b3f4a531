package dev.telemetryagent.scrub;

/**
 * Reaches the engine builder's package-private test seam from the agent's tests (same package name, same class
 * loader on the test class path): an engine that fails on some inputs exercises the real fail-closed path.
 */
public final class TestEngines {

  private TestEngines() {}

  /** The built-in engine, except that scrubbing any string containing {@code needle} fails inside the engine. */
  public static ScrubEngine failingOn(String needle) {
    return ScrubEngine.builder().testHook(text -> {
      if (text.contains(needle)) {
        throw new IllegalStateException("test hook: " + text); // the engine must never let this text out
      }
    }).build();
  }
}
