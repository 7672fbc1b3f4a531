package dev.telemetryagent.exporter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns a {@link CapturedEvent} into OpenTelemetry {@link LogRecordData} through the SDK (an
 * {@link SdkLoggerProvider} whose only processor is a terminal collector), scrubbing every string on the way.
 * Confined to the pipeline's worker thread: not thread-safe.
 */
final class RecordMapper {

  static final String DEFAULT_SCOPE = "telemetry-agent";

  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("telemetry.agent.source");
  static final AttributeKey<String> MESSAGE_TEMPLATE = AttributeKey.stringKey("telemetry.agent.message.template");
  /** The rendered message arguments, when the agent captures them ({@link CapturedEvent#arguments()}). */
  static final AttributeKey<List<String>> MESSAGE_ARGUMENTS =
      AttributeKey.stringArrayKey("telemetry.agent.message.arguments");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<String> EXCEPTION_SOURCE = AttributeKey.stringKey("exception.source");
  static final AttributeKey<String> ERROR_CATEGORY = AttributeKey.stringKey("telemetry.agent.error.category");
  static final AttributeKey<Boolean> ERROR_RECOVERABLE = AttributeKey.booleanKey("telemetry.agent.error.recoverable");
  /** The event name of records from error paths no appender sees (OpenTelemetry's exception event). */
  static final String EXCEPTION_EVENT_NAME = "exception";

  static final String SERVICE_NAME = "service.name";
  static final String DISTRO_NAME = "telemetry.distro.name";
  static final String DISTRO_VERSION = "telemetry.distro.version";

  /** Distinct scope names kept before the SDK logger registry is recreated (bounds memory for dynamic names). */
  static final int MAX_SCOPES = 1024;

  private static final Severity[] SEVERITY_BY_NUMBER = new Severity[25];

  static {
    for (Severity s : Severity.values()) {
      int n = s.getSeverityNumber();
      if (n >= 0 && n < SEVERITY_BY_NUMBER.length) {
        SEVERITY_BY_NUMBER[n] = s;
      }
    }
  }

  /** The redactor threw: the record must be dropped (fail closed). */
  static final class ScrubException extends Exception {
    private static final long serialVersionUID = 1L;
    final String key;

    ScrubException(String key, Throwable cause) {
      super("redactor failed for " + key + ": " + StackTraceRenderer.typeName(cause), null, false, false);
      this.key = key;
    }
  }

  /** The terminal processor: keeps the one record just emitted. */
  private static final class Collector implements LogRecordProcessor {
    LogRecordData last;

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
      last = logRecord.toLogRecordData();
    }
  }

  private final PipelineSettings settings;
  private final Redactor redactor;
  private final StackTraceRenderer renderer;
  private final Clock clock = Clock.getDefault();
  private final Collector collector = new Collector();
  private final Map<String, Logger> loggers = new HashMap<>();
  private Resource resource;
  private SdkLoggerProvider provider;

  RecordMapper(PipelineSettings settings) {
    this.settings = settings;
    this.redactor = settings.redactor();
    this.renderer = new StackTraceRenderer(settings.stackTraceMaxFrames(), settings.stackTraceMaxChars());
  }

  /**
   * Maps one event. Nothing is emitted unless every string was scrubbed.
   *
   * @return the record, or null if the SDK did not emit one
   * @throws ScrubException when the redactor threw
   */
  LogRecordData map(CapturedEvent event) throws ScrubException {
    return map(event, null, 0);
  }

  static final AttributeKey<Long> ROLLUP_COUNT = AttributeKey.longKey("telemetry.agent.rollup.count");
  static final AttributeKey<String> ROLLUP_REASON = AttributeKey.stringKey("telemetry.agent.rollup.reason");
  static final AttributeKey<Long> ROLLUP_WINDOW_SEQ = AttributeKey.longKey("telemetry.agent.rollup.window_seq");
  static final AttributeKey<String> ROLLUP_FIRST_SEEN = AttributeKey.stringKey("telemetry.agent.rollup.first_seen");
  static final AttributeKey<String> ROLLUP_LAST_SEEN = AttributeKey.stringKey("telemetry.agent.rollup.last_seen");
  static final AttributeKey<Long> ROLLUP_FINGERPRINTS = AttributeKey.longKey("telemetry.agent.rollup.fingerprints");
  static final AttributeKey<String> FINGERPRINT = AttributeKey.stringKey("telemetry.agent.fingerprint");

  /**
   * Maps a rollup: the record of the event that opened the window (its scrubbed message, exception and attributes;
   * rebuilt from what admission saw when that event never arrived) plus the rollup attributes, timestamped at the
   * last repeat. A rate-limit rollup is a WARN record of the agent's own scope. The rollup attributes are the agent's
   * own values (numbers, fixed words, a hex fingerprint, timestamps): they carry no application data and are not
   * passed through the redactor, so a key rule can never blank them.
   */
  LogRecordData mapRollup(Deduper.Rollup r) throws ScrubException {
    AttributesBuilder extra = Attributes.builder()
        .put(ROLLUP_COUNT, r.count)
        .put(ROLLUP_REASON, r.reason.value)
        .put(ROLLUP_WINDOW_SEQ, r.seq)
        .put(ROLLUP_FIRST_SEEN, java.time.Instant.ofEpochSecond(0, r.firstSeenEpochNanos).toString())
        .put(ROLLUP_LAST_SEEN, java.time.Instant.ofEpochSecond(0, r.lastSeenEpochNanos).toString());
    CapturedEvent event;
    if (r.window == null) {
      extra.put(ROLLUP_FINGERPRINTS, r.fingerprints);
      event = CapturedEvent.builder(EventSource.AGENT)
          .severity(13, "WARN")
          .formattedMessage("rate limit: " + r.count + " records across " + r.fingerprints
              + " fingerprints were shed")
          .build();
    } else {
      extra.put(FINGERPRINT, Fingerprints.hex(r.fingerprint));
      Deduper.Window w = r.window;
      event = w.first;
      if (event == null) {
        event = CapturedEvent.builder(w.source)
            .severity(w.severityNumber, severity(w.severityNumber).name())
            .loggerName(w.loggerName)
            .template(w.template)
            .throwable(w.thrown)
            .build();
      }
    }
    return map(event, extra.build(), r.lastSeenEpochNanos);
  }

  private LogRecordData map(CapturedEvent event, Attributes extra, long timestampNanos) throws ScrubException {
    SdkLoggerProvider sdk = provider();
    long now = clock.now();

    String scope = event.loggerName() == null ? DEFAULT_SCOPE : attribute(Redactor.SCOPE_NAME_KEY, event.loggerName());
    if (scope == null || scope.isEmpty()) {
      scope = DEFAULT_SCOPE;
    }

    Throwable thrown = event.throwable();
    String rawBody = event.formattedMessage();
    if (rawBody == null) {
      rawBody = event.template();
    }
    if (rawBody == null && thrown != null) {
      rawBody = StackTraceRenderer.safeToString(thrown);
    }
    String body = rawBody == null ? null : text(rawBody);
    String severityText = event.severityText() == null ? null
        : attribute(Redactor.SEVERITY_TEXT_KEY, event.severityText());

    AttributesBuilder attributes = Attributes.builder();
    for (Map.Entry<String, String> e : event.context().entrySet()) {
      put(attributes, AttributeKey.stringKey(e.getKey()), e.getValue());
    }
    String template = event.template();
    if (template != null && !template.equals(rawBody)) {
      put(attributes, MESSAGE_TEMPLATE, template);
    }
    putArray(attributes, MESSAGE_ARGUMENTS, event.arguments());
    if (event.threadName() != null) {
      put(attributes, THREAD_NAME, event.threadName());
    }
    if (event.threadId() > 0) {
      attributes.put(THREAD_ID, event.threadId());
    }
    put(attributes, SOURCE, event.source().metricName());
    if (extra != null) {
      attributes.putAll(extra);
    }
    if (thrown != null) {
      put(attributes, EXCEPTION_TYPE, StackTraceRenderer.typeName(thrown));
      String message = StackTraceRenderer.safeMessage(thrown);
      if (message != null) {
        put(attributes, EXCEPTION_MESSAGE, message);
      }
      put(attributes, EXCEPTION_STACKTRACE, renderer.render(thrown));
      put(attributes, EXCEPTION_SOURCE, event.source().attributeValue());
      put(attributes, ERROR_CATEGORY, ErrorCategory.of(thrown).value());
      attributes.put(ERROR_RECOVERABLE, ErrorCategory.recoverable(thrown));
    }

    LogRecordBuilder builder = logger(sdk, scope).logRecordBuilder()
        .setContext(context(event))
        .setTimestamp(timestampNanos > 0 ? timestampNanos : event.epochNanos() > 0 ? event.epochNanos() : now,
            TimeUnit.NANOSECONDS)
        .setObservedTimestamp(now, TimeUnit.NANOSECONDS)
        .setSeverity(severity(event.severityNumber()))
        .setAllAttributes(attributes.build());
    if (severityText != null) {
      builder.setSeverityText(severityText);
    }
    if (body != null) {
      builder.setBody(body);
    }
    if (thrown != null && !event.source().isLog()) {
      builder.setEventName(EXCEPTION_EVENT_NAME);
    }
    collector.last = null;
    builder.emit();
    LogRecordData data = collector.last;
    collector.last = null;
    return data;
  }

  /** The root context, or one holding the application's span that was active at capture (trace correlation). */
  static Context context(CapturedEvent event) {
    if (event.traceId() == null) {
      return Context.root();
    }
    SpanContext span = SpanContext.create(event.traceId(), event.spanId(), TraceFlags.fromByte(event.traceFlags()),
        TraceState.getDefault());
    return span.isValid() ? Context.root().with(Span.wrap(span)) : Context.root();
  }

  /** The resource, once built (null before the first successful {@link #map}). */
  Resource resource() {
    return resource;
  }

  void shutdown() {
    SdkLoggerProvider p = provider;
    provider = null;
    loggers.clear();
    if (p != null) {
      try {
        p.shutdown();
      } catch (Throwable t) {
        // nothing held but our collector
      }
    }
  }

  static Severity severity(int number) {
    Severity s = number >= 0 && number < SEVERITY_BY_NUMBER.length ? SEVERITY_BY_NUMBER[number] : null;
    return s == null ? Severity.UNDEFINED_SEVERITY_NUMBER : s;
  }

  private SdkLoggerProvider provider() throws ScrubException {
    if (provider == null) {
      if (resource == null) {
        // Built lazily, here on the worker thread, so the resource values are scrubbed like everything else;
        // if the redactor throws, this record is dropped and the next one tries again.
        resource = buildResource();
      }
      provider = SdkLoggerProvider.builder()
          .setResource(resource)
          .setMeterProvider(MeterProvider::noop)
          .addLogRecordProcessor(collector)
          .build();
    }
    return provider;
  }

  private Logger logger(SdkLoggerProvider sdk, String scope) {
    Logger logger = loggers.get(scope);
    if (logger == null) {
      if (loggers.size() >= MAX_SCOPES) {
        // Applications that create loggers with dynamic names must not grow the SDK's registry without bound.
        loggers.clear();
        SdkLoggerProvider old = provider;
        provider = null;
        try {
          old.shutdown();
        } catch (Throwable t) {
          // ignore
        }
        try {
          sdk = provider();
        } catch (ScrubException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
      logger = sdk.get(scope);
      loggers.put(scope, logger);
    }
    return logger;
  }

  private Resource buildResource() throws ScrubException {
    AttributesBuilder scrubbed = Attributes.builder();
    // telemetry.sdk.* from the SDK's default resource (never process.* attributes: no command line on the wire).
    for (Map.Entry<AttributeKey<?>, Object> e : Resource.getDefault().getAttributes().asMap().entrySet()) {
      String key = e.getKey().getKey();
      if (!key.equals(SERVICE_NAME) && e.getValue() instanceof String) {
        putResource(scrubbed, key, (String) e.getValue());
      }
    }
    for (Map.Entry<String, String> e : settings.resourceAttributes().entrySet()) {
      String key = e.getKey();
      if (!key.equals(SERVICE_NAME) && !key.equals(DISTRO_NAME) && !key.equals(DISTRO_VERSION)) {
        putResource(scrubbed, key, e.getValue());
      }
    }
    putResource(scrubbed, SERVICE_NAME, settings.serviceName());
    putResource(scrubbed, DISTRO_NAME, settings.distroName());
    putResource(scrubbed, DISTRO_VERSION, settings.distroVersion());
    return Resource.create(scrubbed.build());
  }

  private void putResource(AttributesBuilder b, String key, String value) throws ScrubException {
    String v = attribute(key, value);
    if (v != null) {
      b.put(key, v);
    }
  }

  private void put(AttributesBuilder b, AttributeKey<String> key, String value) throws ScrubException {
    if (value == null) {
      return;
    }
    String v = attribute(key.getKey(), value);
    if (v != null) {
      b.put(key, v);
    }
  }

  /**
   * Puts a string-array attribute, every element scrubbed like a string attribute of that key. Nothing is put when
   * there are no values, or when the redactor removes any element (a denied key removes the whole attribute).
   */
  private void putArray(AttributesBuilder b, AttributeKey<List<String>> key, List<String> values)
      throws ScrubException {
    if (values.isEmpty()) {
      return;
    }
    String[] scrubbed = new String[values.size()];
    for (int i = 0; i < scrubbed.length; i++) {
      String v = attribute(key.getKey(), values.get(i));
      if (v == null) {
        return;
      }
      scrubbed[i] = v;
    }
    b.put(key, Arrays.asList(scrubbed));
  }

  private String text(String value) throws ScrubException {
    try {
      return redactor.redact(value);
    } catch (Throwable t) {
      throw new ScrubException("body", t);
    }
  }

  private String attribute(String key, String value) throws ScrubException {
    try {
      return redactor.redactAttribute(key, value);
    } catch (Throwable t) {
      throw new ScrubException(key, t);
    }
  }
}
