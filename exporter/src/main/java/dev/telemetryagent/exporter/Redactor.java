package dev.telemetryagent.exporter;

/**
 * Scrubs strings before they leave the process. The pipeline calls it on its worker thread, never on an application
 * thread, for EVERY string that goes onto the wire:
 *
 * <ul>
 *   <li>the log record body: {@link #redact(String)};
 *   <li>every attribute value (thread name, source, message template, context entries, {@code exception.type},
 *       {@code exception.message}, {@code exception.stacktrace}, ...): {@link #redactAttribute(String, String)} with
 *       the attribute key; for an array attribute (the message arguments), each element with the attribute key;
 *   <li>every resource attribute value: {@link #redactAttribute(String, String)} with the resource key;
 *   <li>the instrumentation scope name (the logger name): {@link #redactAttribute(String, String)} with
 *       {@link #SCOPE_NAME_KEY};
 *   <li>the severity text: {@link #redactAttribute(String, String)} with {@link #SEVERITY_TEXT_KEY}.
 * </ul>
 *
 * <p>Implementations must be thread-safe. If a call throws, the record being built is dropped and counted as
 * {@link DropReason#SCRUB_ERROR} (fail closed): nothing is ever exported unscrubbed. A redactor may return
 * {@code null} to remove an attribute (or the body) entirely.
 */
public interface Redactor {

  /** The pseudo attribute key used when the instrumentation scope name (logger name) is redacted. */
  String SCOPE_NAME_KEY = "otel.scope.name";

  /** The pseudo attribute key used when the severity text is redacted. */
  String SEVERITY_TEXT_KEY = "log.record.severity_text";

  /** The identity redactor: returns every string unchanged. */
  Redactor IDENTITY = new Redactor() {
    @Override
    public String redact(String text) {
      return text;
    }

    @Override
    public String redactAttribute(String key, String value) {
      return value;
    }

    @Override
    public String toString() {
      return "Redactor.identity()";
    }
  };

  /** Returns the identity redactor. */
  static Redactor identity() {
    return IDENTITY;
  }

  /**
   * Scrubs free text (the log record body).
   *
   * @param text never null
   * @return the scrubbed text, or null to drop the body
   */
  String redact(String text);

  /**
   * Scrubs the value of an attribute. The default delegates to {@link #redact(String)}.
   *
   * @param key the attribute key (never null)
   * @param value the raw value (never null)
   * @return the scrubbed value, or null to drop the attribute
   */
  default String redactAttribute(String key, String value) {
    return redact(value);
  }
}
