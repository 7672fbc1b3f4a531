package dev.telemetryagent.agent.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key, declared once: its name, type, default, and what it does. The environment variable and
 * the documentation are derived from the declaration, so they cannot drift.
 *
 * @param <T> the parsed value's type
 */
public final class ConfigKey<T> {

  private final String name;
  private final ConfigType<T> type;
  private final String defaultValue;
  private final String description;
  private final boolean secret;

  private ConfigKey(String name, ConfigType<T> type, String defaultValue, String description, boolean secret) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description);
    this.secret = secret;
    if (defaultValue != null) {
      type.parse(defaultValue); // a bad default is a programming error: fail at class initialisation, in tests
    }
  }

  /** A key whose value has a default ({@code defaultValue} may be null: then the key is unset unless configured). */
  public static <T> ConfigKey<T> of(String name, ConfigType<T> type, String defaultValue, String description) {
    return new ConfigKey<>(name, type, defaultValue, description, false);
  }

  /** A key whose value is masked wherever configuration is shown (status, errors, docs examples). */
  public static <T> ConfigKey<T> secret(String name, ConfigType<T> type, String description) {
    return new ConfigKey<>(name, type, null, description, true);
  }

  public String name() {
    return name;
  }

  public ConfigType<T> type() {
    return type;
  }

  /** The default as it would be written in configuration, or null when the key is unset by default. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return secret;
  }

  /** The environment variable: the name in upper case with dots and dashes as underscores. */
  public String envName() {
    return toEnvName(name);
  }

  static String toEnvName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  @Override
  public String toString() {
    return name;
  }
}
