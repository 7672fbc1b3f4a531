package dev.telemetryagent.agent.scrub;

import dev.telemetryagent.bootstrap.Dispatch;
import dev.telemetryagent.exporter.Redactor;

/**
 * The agent's redactor over a {@link LazyScrubEngine}. Agent threads (the export worker, the span worker, the
 * self-metrics thread) build the engine on first use or wait for it. An application thread (span events on the
 * application's own spans) never waits and never builds: until the engine is ready its strings count as a scrub
 * failure, so the span event is left out rather than recorded unscrubbed. Once the engine is there every call goes
 * straight to it, fail-closed as {@link EngineRedactor}.
 */
public final class DeferredRedactor implements Redactor {

  private final LazyScrubEngine engine;
  private volatile Redactor resolved;

  public DeferredRedactor(LazyScrubEngine engine) {
    this.engine = engine;
  }

  private Redactor current() {
    Redactor r = resolved;
    if (r != null) {
      return r;
    }
    if (!engine.isReady() && !Dispatch.isAgentThread()) {
      throw new EngineRedactor.ScrubFailedException();
    }
    r = ScrubSetup.redactor(engine.enabled(), engine.get());
    resolved = r;
    return r;
  }

  @Override
  public String redact(String text) {
    return current().redact(text);
  }

  @Override
  public String redactAttribute(String key, String value) {
    return current().redactAttribute(key, value);
  }

  @Override
  public String toString() {
    Redactor r = resolved;
    return r != null ? r.toString() : "Redactor(scrub engine built on first use)";
  }
}
