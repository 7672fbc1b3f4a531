package dev.telemetryagent.agent.scrub;

import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.scrub.ScrubEngine;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's {@link Redactor}: every string the exporter puts on the wire (log record bodies and attributes, scope
 * names, severity texts, resource values, exception spans, span events on the application's spans, self-metrics
 * resources) goes through the shared {@link ScrubEngine}.
 *
 * <ul>
 *   <li>{@link #redact(String)} runs the text rules ({@link ScrubEngine#scrub(String)});
 *   <li>{@link #redactAttribute(String, String)} runs {@link ScrubEngine#scrubAttribute(String, String)}: the
 *       deny-list and hash keys by key, else the text rules. Keys the agent itself sets ({@link #isAgentKey}) only
 *       get the text rules: their names are ours, not the application's, and a word such as {@code key} in one of
 *       them must not wipe, say, a fingerprint or a stack trace.
 * </ul>
 *
 * <p>Fail closed: when the engine reports a failure (it returns the {@link ScrubEngine#ERROR_MARKER} instance for a
 * string that was not that marker) this redactor throws {@link ScrubFailedException}, so the pipeline drops the
 * record and counts it as {@code scrub_error} instead of exporting a half-scrubbed one.
 */
public final class EngineRedactor implements Redactor {

  /** Attribute keys the agent sets itself, besides everything under {@link #AGENT_KEY_PREFIX}. */
  static final Set<String> AGENT_KEYS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
      "thread.name", "thread.id",
      "exception.type", "exception.message", "exception.stacktrace", "exception.source",
      Redactor.SCOPE_NAME_KEY, Redactor.SEVERITY_TEXT_KEY,
      "service.name", "telemetry.distro.name", "telemetry.distro.version",
      "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version",
      "process.command_line")));

  /** The agent's own attribute namespace ({@code telemetry.agent.source}, {@code telemetry.agent.fingerprint}...). */
  static final String AGENT_KEY_PREFIX = "telemetry.agent.";

  private final PendingEngine engine;

  public EngineRedactor(ScrubEngine engine) {
    this(PendingEngine.of(Objects.requireNonNull(engine, "engine")));
  }

  /** A redactor over an engine that may still be building (see {@link PendingEngine}). */
  public EngineRedactor(PendingEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /**
   * The engine, once built (waits for it, within bounds).
   *
   * @throws ScrubFailedException when there is none: it could not be built, or did not come in time
   */
  public ScrubEngine engine() {
    ScrubEngine e = engine.get();
    if (e == null) {
      throw new ScrubFailedException();
    }
    return e;
  }

  @Override
  public String redact(String text) {
    return checked(text, engine().scrub(text));
  }

  @Override
  public String redactAttribute(String key, String value) {
    ScrubEngine e = engine();
    String out = isAgentKey(key) ? e.scrub(value) : e.scrubAttribute(key, value);
    return checked(value, out);
  }

  /** Whether the attribute key is one the agent sets itself (deny-list and hash keys do not apply to it). */
  static boolean isAgentKey(String key) {
    return key != null && (AGENT_KEYS.contains(key) || key.startsWith(AGENT_KEY_PREFIX));
  }

  @SuppressWarnings("StringEquality")
  private static String checked(String in, String out) {
    // The engine never throws; it signals a failure by returning its marker instance. Identity, not equality: a
    // string that merely reads like the marker and matched nothing comes back as itself.
    if (out == ScrubEngine.ERROR_MARKER && in != ScrubEngine.ERROR_MARKER) {
      throw new ScrubFailedException();
    }
    return out;
  }

  @Override
  public String toString() {
    ScrubEngine e = engine.now();
    if (e == null) {
      return "EngineRedactor{engine not built}";
    }
    return "EngineRedactor{rules=" + e.rules().size() + ", denyKeys=" + e.denyKeys().size()
        + ", hashKeys=" + e.hashKeys().size() + "}";
  }

  /** Scrubbing a string failed. Carries no text at all: the string may hold the very secret. */
  public static final class ScrubFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScrubFailedException() {
      super("scrub engine failed", null, false, false);
    }
  }
}
