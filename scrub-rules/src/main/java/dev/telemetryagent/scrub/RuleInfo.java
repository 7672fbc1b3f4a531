package dev.telemetryagent.scrub;

import java.util.List;

/** Describes one text rule of an engine (built-in or custom), for documentation and the CLI. */
public final class RuleInfo {
  private final String id;
  private final String description;
  private final String source;
  private final boolean enabled;
  private final boolean builtIn;
  private final String replacement;
  private final List<String> keywords;
  private final String validator;

  RuleInfo(String id, String description, String source, boolean enabled, boolean builtIn,
      String replacement, List<String> keywords, String validator) {
    this.id = id;
    this.description = description;
    this.source = source;
    this.enabled = enabled;
    this.builtIn = builtIn;
    this.replacement = replacement;
    this.keywords = List.copyOf(keywords);
    this.validator = validator;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Where the format is documented (a URL or a short reference); empty for custom rules that give none. */
  public String source() {
    return source;
  }

  public boolean enabled() {
    return enabled;
  }

  /** True for rules of the shipped catalog (even when a rule file replaced their definition: false then). */
  public boolean builtIn() {
    return builtIn;
  }

  public String replacement() {
    return replacement;
  }

  public List<String> keywords() {
    return keywords;
  }

  /** The validator spec ({@code luhn}, {@code iban}, {@code entropy:3.5}, ...), or empty. */
  public String validator() {
    return validator;
  }

  @Override
  public String toString() {
    return id + (enabled ? "" : " (disabled)");
  }
}
