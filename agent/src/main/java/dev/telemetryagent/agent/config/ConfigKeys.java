package dev.telemetryagent.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of the agent, declared once. {@code docs/configuration.md} is generated from this list
 * ({@link ConfigDocs}) and a test fails when the page is stale.
 */
public final class ConfigKeys {

  private static final List<ConfigKey<?>> ALL = new ArrayList<>();

  private static <T> ConfigKey<T> add(ConfigKey<T> key) {
    ALL.add(key);
    return key;
  }

  private static final ConfigType<String> LEVEL =
      ConfigType.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF");

  // --- Where configuration comes from -------------------------------------------------------------------------

  public static final ConfigKey<java.nio.file.Path> CONFIG_FILE = add(ConfigKey.of(
      "telemetry.agent.config.file", ConfigType.PATH, null,
      "A properties file read after system properties and environment variables (it fills in what they do not set)."));

  // --- Service identity and the OpenTelemetry SDK -------------------------------------------------------------

  public static final ConfigKey<String> SERVICE_NAME = add(ConfigKey.of(
      "otel.service.name", ConfigType.STRING, null,
      "The `service.name` resource attribute. Unset: `service.name` from `otel.resource.attributes`, else the "
          + "application's jar file name (without `.jar`) or main class simple name."));

  public static final ConfigKey<Map<String, String>> RESOURCE_ATTRIBUTES = add(ConfigKey.of(
      "otel.resource.attributes", ConfigType.MAP, null,
      "Extra resource attributes, `key=value` pairs separated by commas (values are scrubbed like everything else)."));

  public static final ConfigKey<Boolean> RESOURCE_COMMAND_LINE = add(ConfigKey.of(
      "telemetry.agent.resource.command-line", ConfigType.BOOLEAN, "false",
      "`true` adds the JVM's command line (JVM options, main class or jar, program arguments) to the resource as "
          + "`process.command_line` (the semantic conventions' one-string form), scrubbed like everything else; "
          + "the values of secret keys of this page (`-D...headers=`, `-D...hash-salt=`) are masked first. Off by "
          + "default: command lines often carry credentials."));

  public static final ConfigKey<Boolean> SDK_DISABLED = add(ConfigKey.of(
      "otel.sdk.disabled", ConfigType.BOOLEAN, "false",
      "`true` turns the agent into a no-op: no instrumentation is installed and nothing is exported."));

  // --- OTLP export --------------------------------------------------------------------------------------------

  public static final ConfigKey<String> OTLP_ENDPOINT = add(ConfigKey.of(
      "otel.exporter.otlp.endpoint", ConfigType.STRING, null,
      "OTLP/HTTP base URL, e.g. `http://collector:4318` (logs go to `/v1/logs`). Unset: records go to the local "
          + "file exporter instead."));

  public static final ConfigKey<String> OTLP_PROTOCOL = add(ConfigKey.of(
      "otel.exporter.otlp.protocol", ConfigType.oneOf("http/protobuf"), "http/protobuf",
      "The OTLP protocol. Only `http/protobuf` is supported (it needs no gRPC stack in the agent jar)."));

  public static final ConfigKey<Map<String, String>> OTLP_HEADERS = add(ConfigKey.secret(
      "otel.exporter.otlp.headers", ConfigType.MAP,
      "Headers sent with every export request, `key=value` pairs separated by commas (values are masked in status "
          + "output)."));

  public static final ConfigKey<Duration> OTLP_TIMEOUT = add(ConfigKey.of(
      "otel.exporter.otlp.timeout", ConfigType.duration(Duration.ofMillis(100), Duration.ofMinutes(5)), "10s",
      "How long one export request may take."));

  public static final ConfigKey<String> OTLP_COMPRESSION = add(ConfigKey.of(
      "otel.exporter.otlp.compression", ConfigType.oneOf("none", "gzip"), "none",
      "Compression of export requests."));

  // --- Local file export (no endpoint) ------------------------------------------------------------------------

  public static final ConfigKey<java.nio.file.Path> FILE_DIRECTORY = add(ConfigKey.of(
      "telemetry.agent.file.directory", ConfigType.PATH, null,
      "Directory of the local file exporter (OTLP JSON lines, the OpenTelemetry Collector file exporter's "
          + "encoding). Unset: `<java.io.tmpdir>/telemetry-agent`."));

  public static final ConfigKey<Long> FILE_MAX_FILE_SIZE = add(ConfigKey.of(
      "telemetry.agent.file.max-file-size", ConfigType.size(4096, 1L << 32), "10MiB",
      "A local file is rotated when it reaches this size."));

  public static final ConfigKey<Integer> FILE_MAX_FILES = add(ConfigKey.of(
      "telemetry.agent.file.max-files", ConfigType.intRange(1, 1000), "5",
      "How many local files are kept in the directory (the oldest are deleted), so the disk use is bounded by "
          + "about max-files x max-file-size."));

  // --- Capture ------------------------------------------------------------------------------------------------

  public static final ConfigKey<String> CAPTURE_LEVEL = add(ConfigKey.of(
      "telemetry.agent.capture.level", LEVEL, "INFO",
      "The minimum level captured from every logging framework (JUL levels map to these: SEVERE=ERROR, "
          + "WARNING=WARN, INFO=INFO, CONFIG and FINE=DEBUG, FINER and FINEST=TRACE)."));

  public static final ConfigKey<String> CAPTURE_LEVEL_JUL = add(ConfigKey.of(
      "telemetry.agent.capture.level.jul", LEVEL, null,
      "The minimum level for java.util.logging; unset: `telemetry.agent.capture.level`."));

  public static final ConfigKey<String> CAPTURE_LEVEL_LOG4J = add(ConfigKey.of(
      "telemetry.agent.capture.level.log4j", LEVEL, null,
      "The minimum level for Log4j 2; unset: `telemetry.agent.capture.level`."));

  public static final ConfigKey<String> CAPTURE_LEVEL_LOGBACK = add(ConfigKey.of(
      "telemetry.agent.capture.level.logback", LEVEL, null,
      "The minimum level for Logback (SLF4J); unset: `telemetry.agent.capture.level`."));

  public static final ConfigKey<List<String>> CAPTURE_CONTEXT_KEYS = add(ConfigKey.of(
      "telemetry.agent.capture.context-keys", ConfigType.LIST, "",
      "MDC / ThreadContext keys exported as log record attributes. Empty (the default) exports none: deny by "
          + "default."));

  public static final ConfigKey<Boolean> CAPTURE_ARGUMENTS = add(ConfigKey.of(
      "telemetry.agent.capture.arguments", ConfigType.BOOLEAN, "false",
      "`true` exports the message arguments of each captured log call as the string-array attribute "
          + "`telemetry.agent.message.arguments` (at most 32, each cut to 1024 characters), every element scrubbed "
          + "like everything else. Off by default: the arguments duplicate the body, may hold personal data, and "
          + "rendering them calls the application's `toString()` a second time, on the logging thread."));

  // --- Error paths no appender sees (docs/errors.md) -------------------------------------------------------

  public static final ConfigKey<Boolean> CAPTURE_EXCEPTIONS = add(ConfigKey.of(
      "telemetry.agent.capture.exceptions", ConfigType.BOOLEAN, "true",
      "`false` switches off all exception export from error paths no appender sees (uncaught, printStackTrace, "
          + "executor failures), whatever the three keys below say; log capture is not affected."));

  public static final ConfigKey<Boolean> CAPTURE_UNCAUGHT = add(ConfigKey.of(
      "telemetry.agent.capture.uncaught", ConfigType.BOOLEAN, "true",
      "Export uncaught exceptions (platform and virtual threads) as ERROR records, FATAL when they end `main`."));

  public static final ConfigKey<Boolean> CAPTURE_PRINT_STACK_TRACE = add(ConfigKey.of(
      "telemetry.agent.capture.print-stack-trace", ConfigType.BOOLEAN, "true",
      "Export `Throwable.printStackTrace()` calls that write to `System.err` or `System.out`."));

  public static final ConfigKey<Boolean> CAPTURE_EXECUTOR_FAILURES = add(ConfigKey.of(
      "telemetry.agent.capture.executor-failures", ConfigType.BOOLEAN, "true",
      "Export executor work that fails: tasks whose exception goes into their `Future` (`submit`, `invokeAll`, "
          + "scheduled and periodic tasks), `CompletableFuture` stages whose function throws, and `execute()` "
          + "tasks that throw."));

  public static final ConfigKey<Boolean> TRACE_CORRELATION = add(ConfigKey.of(
      "telemetry.agent.trace-correlation", ConfigType.BOOLEAN, "true",
      "When the application has an active OpenTelemetry span (its own SDK, or the OpenTelemetry Java agent), "
          + "records carry its trace and span ids."));

  public static final ConfigKey<Boolean> EXCEPTION_SPAN_EVENTS = add(ConfigKey.of(
      "telemetry.agent.exceptions.span-events", ConfigType.BOOLEAN, "true",
      "With trace correlation: an exception (from a log call or an error path) also becomes an `exception` event "
          + "on the active span, and an ERROR-or-worse one sets the span's status to ERROR. Switched off with "
          + "`telemetry.agent.capture.exceptions=false` too."));

  public static final ConfigKey<Boolean> EXCEPTION_SPANS = add(ConfigKey.of(
      "telemetry.agent.exceptions.spans", ConfigType.BOOLEAN, "true",
      "An executor task failure or an uncaught exception outside any application span becomes a short span of its "
          + "own (`task failed` / `uncaught exception`, INTERNAL, status ERROR, the exception as its event), "
          + "exported to `<endpoint>/v1/traces`; its log record carries the span's ids. Only with an OTLP endpoint."));

  // --- Scrubbing (docs/rules.md): every string that can reach the wire passes the scrub-rules engine -----------

  public static final ConfigKey<Boolean> SCRUB_ENABLED = add(ConfigKey.of(
      "telemetry.agent.scrub.enabled", ConfigType.BOOLEAN, "true",
      "`false` switches scrubbing off: bodies, attributes, span events and resource values are exported exactly "
          + "as captured, credentials included. Dangerous; only for a controlled test environment."));

  public static final ConfigKey<java.nio.file.Path> SCRUB_RULES_FILE = add(ConfigKey.of(
      "telemetry.agent.scrub.rules.file", ConfigType.PATH, null,
      "A custom rule file (the built-in catalog's format, docs/rules.md): adds rules, replaces built-in rules with "
          + "the same id, disables rules by id. A file that is missing or invalid is reported in one line on stderr "
          + "at start-up and the agent runs with the built-in rules. Test it first with "
          + "`java -jar telemetry-agent.jar scrub --rules FILE`."));

  public static final ConfigKey<Boolean> SCRUB_BUILTIN_RULES = add(ConfigKey.of(
      "telemetry.agent.scrub.builtin-rules", ConfigType.BOOLEAN, "true",
      "Use the built-in rule catalog. `false` keeps only the rules of `telemetry.agent.scrub.rules.file` (and the "
          + "key rules below); without a valid rules file the built-in catalog is used anyway."));

  public static final ConfigKey<List<String>> SCRUB_DENY_KEYS = add(ConfigKey.of(
      "telemetry.agent.scrub.deny-keys", ConfigType.LIST,
      String.join(",", dev.telemetryagent.scrub.ScrubEngine.DEFAULT_DENY_KEYS),
      "Attribute keys whose values are replaced by `<redacted:key:ENTRY>` whatever they look like, matched by words "
          + "(`password` matches `db.password`, `DB_PASSWORD`, `userPassword`; `key` matches `apiKey` but not "
          + "`monkey`). They apply to keys that come from the application (context keys, `otel.resource.attributes`), "
          + "not to the agent's own attributes (`exception.*`, `thread.name`, `telemetry.agent.*`, ...), whose "
          + "values get the text rules. Empty: no key-based redaction."));

  public static final ConfigKey<List<String>> SCRUB_HASH_KEYS = add(ConfigKey.of(
      "telemetry.agent.scrub.hash-keys", ConfigType.LIST, "",
      "Attribute keys (matched by words, like the deny-list, which wins) whose values are replaced by a keyed hash "
          + "`hash:HEX` (HMAC-SHA256 with `telemetry.agent.scrub.hash-salt`), so equal values stay correlatable. "
          + "Needs the salt: without it the agent says so at start-up and runs without hashing."));

  public static final ConfigKey<String> SCRUB_HASH_SALT = add(ConfigKey.secret(
      "telemetry.agent.scrub.hash-salt", ConfigType.STRING,
      "The secret key of the keyed hash of `telemetry.agent.scrub.hash-keys`; keep it stable so hashes stay "
          + "comparable across restarts."));

  public static final ConfigKey<Integer> SCRUB_MAX_INPUT_CHARS = add(ConfigKey.of(
      "telemetry.agent.scrub.max-input-chars", ConfigType.intRange(1024, 16 * 1024 * 1024),
      String.valueOf(dev.telemetryagent.scrub.ScrubEngine.DEFAULT_MAX_INPUT_CHARS),
      "Longer strings are cut (at whitespace) to this many characters before scanning and marked "
          + "`<truncated:N chars>`: scrubbing time per string is bounded."));

  // --- Records ------------------------------------------------------------------------------------------------

  public static final ConfigKey<Integer> STACKTRACE_MAX_FRAMES = add(ConfigKey.of(
      "telemetry.agent.stacktrace.max-frames", ConfigType.intRange(1, 10_000), "64",
      "The most stack frames rendered into `exception.stacktrace`, across the whole cause chain."));

  public static final ConfigKey<Integer> STACKTRACE_MAX_CHARS = add(ConfigKey.of(
      "telemetry.agent.stacktrace.max-chars", ConfigType.intRange(256, 1 << 20), "16384",
      "The most characters of `exception.stacktrace`."));

  // --- Pipeline -----------------------------------------------------------------------------------------------

  public static final ConfigKey<Integer> QUEUE_SIZE = add(ConfigKey.of(
      "telemetry.agent.queue.size", ConfigType.intRange(16, 1 << 20), "8192",
      "Captured events waiting for export. When full, new events are dropped and counted (`queue_full`): the "
          + "application never waits."));

  public static final ConfigKey<Integer> EXPORT_BATCH_SIZE = add(ConfigKey.of(
      "telemetry.agent.export.batch-size", ConfigType.intRange(1, 10_000), "512",
      "The most records in one export request."));

  public static final ConfigKey<Duration> EXPORT_INTERVAL = add(ConfigKey.of(
      "telemetry.agent.export.interval", ConfigType.duration(Duration.ofMillis(10), Duration.ofMinutes(1)), "1s",
      "The longest a captured record waits before it is exported."));

  public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = add(ConfigKey.of(
      "telemetry.agent.shutdown.timeout", ConfigType.duration(Duration.ZERO, Duration.ofMinutes(1)), "5s",
      "At JVM exit, the most time spent draining and exporting what is pending; then the rest is dropped and "
          + "counted (`shutdown`)."));

  // --- Dedupe and rate limit (docs/processor.md) ---------------------------------------------------------------

  public static final ConfigKey<Boolean> DEDUPE_ENABLED = add(ConfigKey.of(
      "telemetry.agent.dedupe.enabled", ConfigType.BOOLEAN, "true",
      "Fold repeats of the same event (same fingerprint) inside a window into one rollup record with a count. The "
          + "first occurrence in each window is exported at once."));

  public static final ConfigKey<String> DEDUPE_MIN_LEVEL = add(ConfigKey.of(
      "telemetry.agent.dedupe.min-level", LEVEL, "WARN",
      "The lowest level that is folded; records below it keep their variety (they still count against the "
          + "global budget)."));

  public static final ConfigKey<Duration> DEDUPE_WINDOW = add(ConfigKey.of(
      "telemetry.agent.dedupe.window", ConfigType.duration(Duration.ofMillis(100), Duration.ofHours(1)), "10s",
      "Length of a dedupe window: a storm of one error costs one exported record plus one rollup per window."));

  public static final ConfigKey<Integer> DEDUPE_MAX_FINGERPRINTS = add(ConfigKey.of(
      "telemetry.agent.dedupe.max-fingerprints", ConfigType.intRange(16, 1_000_000), "2048",
      "Fingerprints tracked at once (bounds memory). When full, new fingerprints are exported unfolded and the "
          + "oldest windows are closed early (rollup reason `capacity`)."));

  public static final ConfigKey<Integer> RATE_LIMIT_EVENTS_PER_SECOND = add(ConfigKey.of(
      "telemetry.agent.rate-limit.events-per-second", ConfigType.intRange(0, 100_000_000), "20000",
      "Global budget across all fingerprints and levels (token bucket); events beyond it are dropped and counted "
          + "(`rate_limited`), and a rollup record per window says how many were shed across how many "
          + "fingerprints. Folded repeats cost no budget. 0 switches the budget off."));

  public static final ConfigKey<Integer> RATE_LIMIT_BURST = add(ConfigKey.of(
      "telemetry.agent.rate-limit.burst", ConfigType.intRange(0, 100_000_000), "0",
      "Events the budget admits at once above the steady rate; 0 means one second's worth."));

  // --- Diagnostics --------------------------------------------------------------------------------------------

  public static final ConfigKey<Boolean> DEBUG = add(ConfigKey.of(
      "telemetry.agent.debug", ConfigType.BOOLEAN, "false",
      "Print the agent's start-up summary and instrumentation events to stderr. Off: the agent prints nothing "
          + "unless something is wrong."));

  // --- Attach, status, own diagnostics ---------------------------------------------------------------------

  public static final ConfigKey<Boolean> JMX_ENABLED = add(ConfigKey.of(
      "telemetry.agent.jmx.enabled", ConfigType.BOOLEAN, "true",
      "Register the status and kill-switch MXBean `dev.telemetryagent:type=Agent` in the platform MBean server "
          + "(read by `java -jar telemetry-agent.jar status`, JConsole, any JMX tool)."));

  public static final ConfigKey<Integer> RETRANSFORM_BATCH_SIZE = add(ConfigKey.of(
      "telemetry.agent.retransform.batch-size", ConfigType.intRange(1, 1000), "4",
      "Already-loaded classes retransformed per batch (one safepoint pause each) when the agent starts, above all "
          + "when attached to a running JVM; the agent yields between batches. A pause costs about the same for 1 "
          + "or 4 classes (docs/benchmarks.md), so smaller batches mean more pauses, not shorter ones."));

  public static final ConfigKey<java.nio.file.Path> DIAG_FILE = add(ConfigKey.of(
      "telemetry.agent.diag.file", ConfigType.PATH, null,
      "A file for the agent's own diagnostic lines after start-up (export problems and the like), rotated by size "
          + "and capped in total. Unset: they go to stderr. Start-up problems always go to stderr."));

  public static final ConfigKey<Long> DIAG_MAX_FILE_SIZE = add(ConfigKey.of(
      "telemetry.agent.diag.max-file-size", ConfigType.size(4096, 1L << 30), "1MiB",
      "The diagnostic file is rotated (to `<file>.1`, `<file>.2`, ...) when it reaches this size."));

  public static final ConfigKey<Integer> DIAG_MAX_FILES = add(ConfigKey.of(
      "telemetry.agent.diag.max-files", ConfigType.intRange(1, 100), "3",
      "Diagnostic files kept, the current one included: the disk used is at most max-files x max-file-size."));

  public static final ConfigKey<Boolean> METRICS_ENABLED = add(ConfigKey.of(
      "telemetry.agent.metrics.enabled", ConfigType.BOOLEAN, "false",
      "Export the agent's own counters as OpenTelemetry metrics `telemetry.agent.*` (OTLP/JSON to "
          + "`<endpoint>/v1/metrics`; with no endpoint, JSON lines in `<file directory>/metrics/`)."));

  public static final ConfigKey<Duration> METRICS_INTERVAL = add(ConfigKey.of(
      "telemetry.agent.metrics.interval", ConfigType.duration(Duration.ofSeconds(1), Duration.ofHours(1)), "60s",
      "How often the self-metrics are exported."));

  private ConfigKeys() {}

  /** Every declared key, in declaration order. */
  public static List<ConfigKey<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The key with this name, or null. */
  public static ConfigKey<?> byName(String name) {
    for (ConfigKey<?> key : ALL) {
      if (key.name().equals(name)) {
        return key;
      }
    }
    return null;
  }
}
