package dev.telemetryagent.agent.scrub;

import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.scrub.RuleFileException;
import dev.telemetryagent.scrub.ScrubEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the scrub engine from the {@code telemetry.agent.scrub.*} keys, the same way for the agent and for the
 * {@code scrub} command. Configuration never stops the application: a bad rule file or hash keys without a salt
 * give one line through the warning sink and the engine is built without them.
 */
public final class ScrubSetup {

  private ScrubSetup() {}

  /**
   * An engine builder from configuration that is known to build: problems are reported (one line each) and left
   * out. {@code telemetry.agent.scrub.enabled} is not looked at here.
   *
   * @throws RuntimeException only when even the built-in catalog cannot be loaded (a broken jar)
   */
  public static ScrubEngine.Builder builder(AgentConfig config, Consumer<String> warnings) {
    List<String> hashKeys = config.get(ConfigKeys.SCRUB_HASH_KEYS);
    String salt = config.get(ConfigKeys.SCRUB_HASH_SALT);
    boolean hashing = !hashKeys.isEmpty();
    if (hashing && (salt == null || salt.isEmpty())) {
      warnings.accept(ConfigKeys.SCRUB_HASH_KEYS.name() + " " + hashKeys + " needs "
          + ConfigKeys.SCRUB_HASH_SALT.name() + " (a secret, stable across restarts): running without hashing; "
          + "the values of those keys get the text rules");
      hashing = false;
    }
    boolean builtIn = config.get(ConfigKeys.SCRUB_BUILTIN_RULES);
    Path rulesFile = config.get(ConfigKeys.SCRUB_RULES_FILE);
    if (rulesFile != null) {
      ScrubEngine.Builder b = base(config, hashing).builtInRules(builtIn).rulesFile(rulesFile);
      try {
        b.build(); // validates the file now, so that a bad one is reported once, at start-up
        return b;
      } catch (RuleFileException e) {
        warnings.accept("scrub rules rejected (" + ConfigKeys.SCRUB_RULES_FILE.name() + "): " + e.getMessage()
            + "; running with the built-in rules");
      }
    } else if (!builtIn) {
      warnings.accept(ConfigKeys.SCRUB_BUILTIN_RULES.name() + "=false needs " + ConfigKeys.SCRUB_RULES_FILE.name()
          + " (there would be no text rules): running with the built-in rules");
    }
    return base(config, hashing);
  }

  /** The built-in catalog, no rule file; deny keys, size budget and (when {@code hashing}) hash keys as configured. */
  private static ScrubEngine.Builder base(AgentConfig config, boolean hashing) {
    ScrubEngine.Builder b = ScrubEngine.builder()
        .denyKeys(config.get(ConfigKeys.SCRUB_DENY_KEYS))
        .maxInputChars(config.get(ConfigKeys.SCRUB_MAX_INPUT_CHARS));
    if (hashing) {
      b.hashKeys(config.get(ConfigKeys.SCRUB_HASH_KEYS)).hashSalt(config.get(ConfigKeys.SCRUB_HASH_SALT));
    }
    return b;
  }

  /** The engine from configuration, or null when scrubbing is switched off or the engine cannot be built at all. */
  public static ScrubEngine engine(AgentConfig config, Consumer<String> warnings) {
    if (!config.get(ConfigKeys.SCRUB_ENABLED)) {
      warnDisabled(warnings);
      return null;
    }
    try {
      return builder(config, warnings).build();
    } catch (RuntimeException | LinkageError e) {
      warnings.accept("the scrub engine cannot be built (" + e.getClass().getName() + "): every record is "
          + "dropped (scrub_error) rather than exported unscrubbed");
      return null;
    }
  }

  private static void warnDisabled(Consumer<String> warnings) {
    warnings.accept(ConfigKeys.SCRUB_ENABLED.name() + "=false: NOTHING is scrubbed, every string is exported as "
        + "captured, credentials included");
  }

  /**
   * Starts building the engine from configuration on a thread of its own ({@link PendingEngine}); null when
   * scrubbing is switched off (said once through {@code warnings}). Problems with the configuration are reported
   * through {@code warnings} from that thread; an engine that cannot be built at all makes every scrub fail, so
   * every record is dropped ({@code scrub_error}) rather than exported unscrubbed.
   */
  public static PendingEngine startEngine(AgentConfig config, Consumer<String> warnings) {
    if (!config.get(ConfigKeys.SCRUB_ENABLED)) {
      warnDisabled(warnings);
      return null;
    }
    return PendingEngine.start(() -> engine(config, warnings));
  }

  /** The redactor over an engine being built by {@link #startEngine}; {@link Redactor#identity()} for null. */
  public static Redactor redactor(PendingEngine engine) {
    return engine == null ? Redactor.identity() : new EngineRedactor(engine);
  }
}
