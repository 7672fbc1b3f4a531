package dev.telemetryagent.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The agent's configuration in effect: every {@link ConfigKeys declared key} resolved once, at start-up, from
 * these sources, the first that sets a key wins:
 *
 * <ol>
 *   <li>agent arguments ({@code -javaagent:telemetry-agent.jar=key=value;key=value}, or {@code attach -Dkey=value});
 *   <li>system properties ({@code -Dotel.service.name=...});
 *   <li>environment variables ({@code OTEL_SERVICE_NAME}, {@code TELEMETRY_AGENT_CAPTURE_LEVEL});
 *   <li>the properties file named by {@code telemetry.agent.config.file}.
 * </ol>
 *
 * <p>A value that does not parse produces one line through the warning sink, naming the key, where the value came
 * from and what is accepted, and the default applies: configuration never stops the application. Immutable.
 */
public final class AgentConfig {

  private final Map<ConfigKey<?>, Object> values;
  private final Map<ConfigKey<?>, String> origins;

  private AgentConfig(Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /** Configuration made of defaults only. */
  public static AgentConfig defaults() {
    return load(null, new Properties(), Collections.emptyMap(), w -> {});
  }

  /**
   * Resolves every key.
   *
   * @param agentArgs the agent argument string, may be null
   * @param systemProperties usually {@link System#getProperties()}
   * @param environment usually {@link System#getenv()}
   * @param warnings receives one line per problem (bad value, unknown key, unreadable file)
   */
  public static AgentConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment,
      Consumer<String> warnings) {
    List<Source> sources = new ArrayList<>();
    sources.add(Source.of("agent argument", parseAgentArgs(agentArgs, warnings)));
    sources.add(Source.of("system property", propertiesToMap(systemProperties)));
    sources.add(Source.ofEnvironment(environment));

    // The file is named by the sources above; read it last so they override it.
    Resolved<Path> file = resolve(ConfigKeys.CONFIG_FILE, sources, warnings);
    if (file.value != null) {
      sources.add(Source.of("file " + file.value, readFile(file.value, warnings)));
    }

    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    Map<ConfigKey<?>, String> origins = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.all()) {
      Resolved<?> r = resolve(key, sources, warnings);
      values.put(key, r.value);
      origins.put(key, r.origin);
    }
    for (Source source : sources) {
      source.warnUnknownKeys(warnings);
    }
    return new AgentConfig(Collections.unmodifiableMap(values), Collections.unmodifiableMap(origins));
  }

  /** The value in effect: configured, else the default, else null for keys without a default. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key);
  }

  /** Where the value in effect came from: "default", "system property", "environment variable OTEL_...", ... */
  public String origin(ConfigKey<?> key) {
    return origins.get(key);
  }

  /**
   * The configuration in effect as text, for status output: secret keys show {@code ****} when set, unset keys
   * are left out.
   */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<ConfigKey<?>, Object> e : values.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String shown = e.getKey().isSecret() ? "****" : String.valueOf(e.getValue());
      out.put(e.getKey().name(), shown);
    }
    return out;
  }

  private static <T> Resolved<T> resolve(ConfigKey<T> key, List<Source> sources, Consumer<String> warnings) {
    for (Source source : sources) {
      String raw = source.get(key);
      if (raw == null) {
        continue;
      }
      String trimmed = raw.trim();
      if (trimmed.isEmpty() && key.defaultValue() == null) {
        return new Resolved<>(null, source.describe(key));
      }
      try {
        return new Resolved<>(key.type().parse(trimmed), source.describe(key));
      } catch (RuntimeException e) {
        String shown = key.isSecret() ? "****" : "'" + trimmed + "'";
        warnings.accept("invalid value " + shown + " for " + key.name() + " (" + source.describe(key)
            + "): expected " + key.type().accepted() + "; using "
            + (key.defaultValue() == null ? "no value" : "the default " + key.defaultValue()));
        break;
      }
    }
    T fallback = key.defaultValue() == null ? null : key.type().parse(key.defaultValue());
    return new Resolved<>(fallback, "default");
  }

  static Map<String, String> parseAgentArgs(String agentArgs, Consumer<String> warnings) {
    Map<String, String> out = new HashMap<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return out;
    }
    for (String entry : agentArgs.split("[;\\n]")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (e.startsWith("-D")) {
        e = e.substring(2);
      }
      int eq = e.indexOf('=');
      if (eq <= 0) {
        warnings.accept("ignored agent argument '" + e + "': expected key=value entries separated by ';'");
        continue;
      }
      out.put(e.substring(0, eq).trim(), e.substring(eq + 1));
    }
    return out;
  }

  private static Map<String, String> propertiesToMap(Properties properties) {
    Map<String, String> out = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("otel.") || name.startsWith("telemetry.agent.")) {
        out.put(name, properties.getProperty(name));
      }
    }
    return out;
  }

  private static Map<String, String> readFile(Path file, Consumer<String> warnings) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      warnings.accept("cannot read telemetry.agent.config.file " + file + ": " + e
          + "; continuing without it");
      return Collections.emptyMap();
    }
    return propertiesToMap(p);
  }

  private static final class Resolved<T> {
    final T value;
    final String origin;

    Resolved(T value, String origin) {
      this.value = value;
      this.origin = origin;
    }
  }

  /** One place configuration comes from. */
  private static final class Source {
    private final String name;
    private final Map<String, String> entries;
    private final boolean environment;

    private Source(String name, Map<String, String> entries, boolean environment) {
      this.name = name;
      this.entries = entries;
      this.environment = environment;
    }

    static Source of(String name, Map<String, String> entries) {
      return new Source(name, entries, false);
    }

    static Source ofEnvironment(Map<String, String> env) {
      Map<String, String> relevant = new HashMap<>();
      for (Map.Entry<String, String> e : env.entrySet()) {
        if (e.getKey().startsWith("OTEL_") || e.getKey().startsWith("TELEMETRY_AGENT_")) {
          relevant.put(e.getKey(), e.getValue());
        }
      }
      return new Source("environment variable", relevant, true);
    }

    String get(ConfigKey<?> key) {
      return entries.get(environment ? key.envName() : key.name());
    }

    String describe(ConfigKey<?> key) {
      return environment ? name + " " + key.envName() : name;
    }

    /** Our own prefix is ours: an unknown key there is almost always a typo worth one line. */
    void warnUnknownKeys(Consumer<String> warnings) {
      for (String k : entries.keySet()) {
        boolean ours = environment ? k.startsWith("TELEMETRY_AGENT_") : k.startsWith("telemetry.agent.");
        if (!ours) {
          continue;
        }
        boolean known = false;
        for (ConfigKey<?> key : ConfigKeys.all()) {
          if ((environment ? key.envName() : key.name()).equals(k)) {
            known = true;
            break;
          }
        }
        if (!known && !k.equals("telemetry.agent.installed") && !k.equals("TELEMETRY_AGENT_INSTALLED")) {
          warnings.accept("unknown configuration key " + k + " (" + name + "); see docs/configuration.md");
        }
      }
    }
  }
}
