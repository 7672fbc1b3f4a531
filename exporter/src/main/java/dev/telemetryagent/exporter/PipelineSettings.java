package dev.telemetryagent.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Immutable configuration of a {@link TelemetryPipeline}. Build with {@link #builder()}; every value has a default
 * and everything is validated by {@link Builder#build()}, which throws {@link IllegalArgumentException} with a clear
 * message. Nothing is validated later, at run time.
 *
 * <p>Where records go: to OTLP/HTTP (protobuf) when {@link #otlpEndpoint()} is set, otherwise to OTLP JSON lines
 * files in {@link #localDirectory()}.
 */
public final class PipelineSettings {

  public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";
  public static final String DEFAULT_DISTRO_NAME = "telemetry-agent";
  public static final String LOGS_PATH = "/v1/logs";
  public static final Duration DEFAULT_OTLP_TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_LOCAL_MAX_FILE_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_LOCAL_MAX_FILES = 5;
  /** The smallest accepted {@code localMaxFileBytes}. */
  public static final long MIN_LOCAL_MAX_FILE_BYTES = 1024;
  public static final int DEFAULT_STACK_TRACE_MAX_CHARS = 16384;
  public static final int DEFAULT_STACK_TRACE_MAX_FRAMES = 64;
  public static final int DEFAULT_QUEUE_CAPACITY = 8192;
  /** The largest accepted queue capacity. */
  public static final int MAX_QUEUE_CAPACITY = 1 << 20;
  public static final int DEFAULT_BATCH_SIZE = 512;
  public static final Duration DEFAULT_EXPORT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** OpenTelemetry severity number of WARN: records from this level up are folded by default. */
  public static final int DEFAULT_DEDUPE_MIN_SEVERITY = 13;
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofSeconds(10);
  public static final int DEFAULT_DEDUPE_MAX_FINGERPRINTS = 2048;
  public static final double DEFAULT_RATE_LIMIT_EVENTS_PER_SECOND = 20_000;

  /** Headers the JDK HTTP client refuses to let callers set. */
  private static final Set<String> RESTRICTED_HEADERS = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    Collections.addAll(RESTRICTED_HEADERS, "connection", "content-length", "expect", "host", "upgrade",
        "content-type", "content-encoding");
  }

  private final String serviceName;
  private final Map<String, String> resourceAttributes;
  private final String distroName;
  private final String distroVersion;
  private final String otlpEndpoint;
  private final String otlpLogsEndpoint;
  private final Map<String, String> otlpHeaders;
  private final Duration otlpTimeout;
  private final String otlpCompression;
  private final boolean otlpRetry;
  private final boolean sdkDisabled;
  private final Path localDirectory;
  private final long localMaxFileBytes;
  private final int localMaxFiles;
  private final int stackTraceMaxChars;
  private final int stackTraceMaxFrames;
  private final int queueCapacity;
  private final int batchSize;
  private final Duration exportInterval;
  private final Duration shutdownTimeout;
  private final Redactor redactor;
  private final Diagnostics diagnostics;
  private final boolean dedupeEnabled;
  private final int dedupeMinSeverity;
  private final Duration dedupeWindow;
  private final int dedupeMaxFingerprints;
  private final double rateLimitEventsPerSecond;
  private final long rateLimitBurst;
  private final java.util.function.LongSupplier nanoClock;

  private PipelineSettings(Builder b, String otlpLogsEndpoint, String compression, Path localDirectory) {
    this.serviceName = b.serviceName;
    this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.resourceAttributes));
    this.distroName = b.distroName;
    this.distroVersion = b.distroVersion;
    this.otlpEndpoint = b.otlpEndpoint;
    this.otlpLogsEndpoint = otlpLogsEndpoint;
    this.otlpHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.otlpHeaders));
    this.otlpTimeout = b.otlpTimeout;
    this.otlpCompression = compression;
    this.otlpRetry = b.otlpRetry;
    this.sdkDisabled = b.sdkDisabled;
    this.localDirectory = localDirectory;
    this.localMaxFileBytes = b.localMaxFileBytes;
    this.localMaxFiles = b.localMaxFiles;
    this.stackTraceMaxChars = b.stackTraceMaxChars;
    this.stackTraceMaxFrames = b.stackTraceMaxFrames;
    this.queueCapacity = b.queueCapacity;
    // A batch can never be larger than what the queue holds.
    this.batchSize = Math.min(b.batchSize, b.queueCapacity);
    this.exportInterval = b.exportInterval;
    this.shutdownTimeout = b.shutdownTimeout;
    this.redactor = b.redactor;
    this.diagnostics = b.diagnostics;
    this.dedupeEnabled = b.dedupeEnabled;
    this.dedupeMinSeverity = b.dedupeMinSeverity;
    this.dedupeWindow = b.dedupeWindow;
    this.dedupeMaxFingerprints = b.dedupeMaxFingerprints;
    this.rateLimitEventsPerSecond = b.rateLimitEventsPerSecond;
    this.rateLimitBurst = b.rateLimitBurst > 0 ? b.rateLimitBurst
        : Math.max(1, (long) Math.ceil(b.rateLimitEventsPerSecond));
    this.nanoClock = b.nanoClock;
  }

  /** Whether repeats of the same event are folded into rollups (docs/processor.md); default true. */
  public boolean dedupeEnabled() {
    return dedupeEnabled;
  }

  /** The lowest OpenTelemetry severity number that is folded; default 13 (WARN). */
  public int dedupeMinSeverity() {
    return dedupeMinSeverity;
  }

  /** The dedupe window; default 10 s. */
  public Duration dedupeWindow() {
    return dedupeWindow;
  }

  /** Fingerprints tracked at most; default 2048. */
  public int dedupeMaxFingerprints() {
    return dedupeMaxFingerprints;
  }

  /** The global budget in events per second across all fingerprints; 0 for none. Default 20000. */
  public double rateLimitEventsPerSecond() {
    return rateLimitEventsPerSecond;
  }

  /** Events the budget admits at once beyond the steady rate; default one second's worth. */
  public long rateLimitBurst() {
    return rateLimitBurst;
  }

  /** The monotonic clock of windows and budgets ({@code System::nanoTime} outside tests). */
  public java.util.function.LongSupplier nanoClock() {
    return nanoClock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.serviceName = serviceName;
    b.resourceAttributes.putAll(resourceAttributes);
    b.distroName = distroName;
    b.distroVersion = distroVersion;
    b.otlpEndpoint = otlpEndpoint;
    b.otlpHeaders.putAll(otlpHeaders);
    b.otlpTimeout = otlpTimeout;
    b.otlpCompression = otlpCompression;
    b.otlpRetry = otlpRetry;
    b.sdkDisabled = sdkDisabled;
    b.localDirectory = localDirectory;
    b.localMaxFileBytes = localMaxFileBytes;
    b.localMaxFiles = localMaxFiles;
    b.stackTraceMaxChars = stackTraceMaxChars;
    b.stackTraceMaxFrames = stackTraceMaxFrames;
    b.queueCapacity = queueCapacity;
    b.batchSize = batchSize;
    b.exportInterval = exportInterval;
    b.shutdownTimeout = shutdownTimeout;
    b.redactor = redactor;
    b.diagnostics = diagnostics;
    b.dedupeEnabled = dedupeEnabled;
    b.dedupeMinSeverity = dedupeMinSeverity;
    b.dedupeWindow = dedupeWindow;
    b.dedupeMaxFingerprints = dedupeMaxFingerprints;
    b.rateLimitEventsPerSecond = rateLimitEventsPerSecond;
    b.rateLimitBurst = rateLimitBurst;
    b.nanoClock = nanoClock;
    return b;
  }

  /** {@code service.name}; default {@value #DEFAULT_SERVICE_NAME}. */
  public String serviceName() {
    return serviceName;
  }

  /** Extra resource attributes (never null, unmodifiable). They cannot override service.name or telemetry.distro.*. */
  public Map<String, String> resourceAttributes() {
    return resourceAttributes;
  }

  /** {@code telemetry.distro.name}; default {@value #DEFAULT_DISTRO_NAME}. */
  public String distroName() {
    return distroName;
  }

  /** {@code telemetry.distro.version}; default the version of this jar. */
  public String distroVersion() {
    return distroVersion;
  }

  /** The OTLP/HTTP endpoint as configured (base URL or full {@code /v1/logs} URL), or null for local files. */
  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  /** The URL logs are POSTed to ({@code <base>/v1/logs}), or null when no endpoint is set. */
  public String otlpLogsEndpoint() {
    return otlpLogsEndpoint;
  }

  /** Extra HTTP headers sent with every export (never null, unmodifiable). */
  public Map<String, String> otlpHeaders() {
    return otlpHeaders;
  }

  /** Total time allowed for one export, retries included; default 10 s. */
  public Duration otlpTimeout() {
    return otlpTimeout;
  }

  /** "gzip" or "none"; default "none". */
  public String otlpCompression() {
    return otlpCompression;
  }

  /** Whether the OTLP exporter retries transient failures (429, 502, 503, 504, connect errors) within its timeout. */
  public boolean otlpRetry() {
    return otlpRetry;
  }

  /** When true the pipeline is a no-op: it starts no thread, accepts nothing and counts nothing. */
  public boolean sdkDisabled() {
    return sdkDisabled;
  }

  /** Where JSON lines files go when no endpoint is set; default {@code ${java.io.tmpdir}/telemetry-agent}. */
  public Path localDirectory() {
    return localDirectory;
  }

  /** Size at which the current local file is rotated; default 10 MiB. */
  public long localMaxFileBytes() {
    return localMaxFileBytes;
  }

  /** Maximum number of {@code *.jsonl} files kept in {@link #localDirectory()}; default 5. */
  public int localMaxFiles() {
    return localMaxFiles;
  }

  public int stackTraceMaxChars() {
    return stackTraceMaxChars;
  }

  public int stackTraceMaxFrames() {
    return stackTraceMaxFrames;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** Maximum records per export call; default 512, never more than {@link #queueCapacity()} (clamped). */
  public int batchSize() {
    return batchSize;
  }

  public Duration exportInterval() {
    return exportInterval;
  }

  /**
   * Bound on the whole of {@link TelemetryPipeline#close()}: drain, export, close the exporter; default 5 s. Zero
   * means do not wait: whatever is pending is counted as dropped at once.
   */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  public Redactor redactor() {
    return redactor;
  }

  /** Where the pipeline reports its own problems; default {@link Diagnostics#stderr()}. */
  public Diagnostics diagnostics() {
    return diagnostics;
  }

  @Override
  public String toString() {
    // Header values may be credentials: print only their names.
    return "PipelineSettings{serviceName=" + serviceName
        + ", destination=" + (otlpLogsEndpoint != null ? otlpLogsEndpoint : localDirectory)
        + ", otlpHeaders=" + otlpHeaders.keySet()
        + ", otlpTimeout=" + otlpTimeout
        + ", otlpCompression=" + otlpCompression
        + ", sdkDisabled=" + sdkDisabled
        + ", queueCapacity=" + queueCapacity
        + ", batchSize=" + batchSize
        + ", exportInterval=" + exportInterval
        + ", shutdownTimeout=" + shutdownTimeout + "}";
  }

  /** The version of this jar, from a resource filtered at build time; "unknown" when unavailable. */
  static String jarVersion() {
    try (InputStream in = PipelineSettings.class.getResourceAsStream("telemetry-agent-exporter.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown";
  }

  /** Builder for {@link PipelineSettings}; not thread-safe. Setters accept anything; {@link #build()} validates. */
  public static final class Builder {
    private String serviceName = DEFAULT_SERVICE_NAME;
    private final Map<String, String> resourceAttributes = new LinkedHashMap<>();
    private String distroName = DEFAULT_DISTRO_NAME;
    private String distroVersion = jarVersion();
    private String otlpEndpoint;
    private final Map<String, String> otlpHeaders = new LinkedHashMap<>();
    private Duration otlpTimeout = DEFAULT_OTLP_TIMEOUT;
    private String otlpCompression = "none";
    private boolean otlpRetry = true;
    private boolean sdkDisabled;
    private Path localDirectory;
    private long localMaxFileBytes = DEFAULT_LOCAL_MAX_FILE_BYTES;
    private int localMaxFiles = DEFAULT_LOCAL_MAX_FILES;
    private int stackTraceMaxChars = DEFAULT_STACK_TRACE_MAX_CHARS;
    private int stackTraceMaxFrames = DEFAULT_STACK_TRACE_MAX_FRAMES;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration exportInterval = DEFAULT_EXPORT_INTERVAL;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private Redactor redactor = Redactor.identity();
    private Diagnostics diagnostics = Diagnostics.stderr();
    private boolean dedupeEnabled = true;
    private int dedupeMinSeverity = DEFAULT_DEDUPE_MIN_SEVERITY;
    private Duration dedupeWindow = DEFAULT_DEDUPE_WINDOW;
    private int dedupeMaxFingerprints = DEFAULT_DEDUPE_MAX_FINGERPRINTS;
    private double rateLimitEventsPerSecond = DEFAULT_RATE_LIMIT_EVENTS_PER_SECOND;
    private long rateLimitBurst;
    private java.util.function.LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    /** Replaces the extra resource attributes. */
    public Builder resourceAttributes(Map<String, String> attributes) {
      resourceAttributes.clear();
      if (attributes != null) {
        resourceAttributes.putAll(attributes);
      }
      return this;
    }

    public Builder putResourceAttribute(String key, String value) {
      resourceAttributes.put(key, value);
      return this;
    }

    public Builder distroName(String distroName) {
      this.distroName = distroName;
      return this;
    }

    public Builder distroVersion(String distroVersion) {
      this.distroVersion = distroVersion;
      return this;
    }

    /**
     * The OTLP/HTTP endpoint: a base URL such as {@code http://127.0.0.1:4318} (logs go to
     * {@code <base>/v1/logs}) or a full URL ending in {@code /v1/logs} (used as is). Null or blank: local files.
     */
    public Builder otlpEndpoint(String otlpEndpoint) {
      this.otlpEndpoint = otlpEndpoint;
      return this;
    }

    /** Replaces the extra HTTP headers. */
    public Builder otlpHeaders(Map<String, String> headers) {
      otlpHeaders.clear();
      if (headers != null) {
        otlpHeaders.putAll(headers);
      }
      return this;
    }

    public Builder putOtlpHeader(String name, String value) {
      otlpHeaders.put(name, value);
      return this;
    }

    public Builder otlpTimeout(Duration otlpTimeout) {
      this.otlpTimeout = otlpTimeout;
      return this;
    }

    /** "gzip" or "none" (case-insensitive). */
    public Builder otlpCompression(String otlpCompression) {
      this.otlpCompression = otlpCompression;
      return this;
    }

    public Builder otlpRetry(boolean otlpRetry) {
      this.otlpRetry = otlpRetry;
      return this;
    }

    public Builder sdkDisabled(boolean sdkDisabled) {
      this.sdkDisabled = sdkDisabled;
      return this;
    }

    public Builder localDirectory(Path localDirectory) {
      this.localDirectory = localDirectory;
      return this;
    }

    public Builder localMaxFileBytes(long localMaxFileBytes) {
      this.localMaxFileBytes = localMaxFileBytes;
      return this;
    }

    public Builder localMaxFiles(int localMaxFiles) {
      this.localMaxFiles = localMaxFiles;
      return this;
    }

    public Builder stackTraceMaxChars(int stackTraceMaxChars) {
      this.stackTraceMaxChars = stackTraceMaxChars;
      return this;
    }

    public Builder stackTraceMaxFrames(int stackTraceMaxFrames) {
      this.stackTraceMaxFrames = stackTraceMaxFrames;
      return this;
    }

    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder exportInterval(Duration exportInterval) {
      this.exportInterval = exportInterval;
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    public Builder redactor(Redactor redactor) {
      this.redactor = redactor;
      return this;
    }

    public Builder diagnostics(Diagnostics diagnostics) {
      this.diagnostics = diagnostics;
      return this;
    }

    public Builder dedupeEnabled(boolean enabled) {
      this.dedupeEnabled = enabled;
      return this;
    }

    /** The lowest OpenTelemetry severity number folded (1 TRACE ... 9 INFO, 13 WARN, 17 ERROR, 21 FATAL). */
    public Builder dedupeMinSeverity(int severityNumber) {
      this.dedupeMinSeverity = severityNumber;
      return this;
    }

    public Builder dedupeWindow(Duration window) {
      this.dedupeWindow = window;
      return this;
    }

    public Builder dedupeMaxFingerprints(int max) {
      this.dedupeMaxFingerprints = max;
      return this;
    }

    /** The global budget in events per second; 0 switches it off. */
    public Builder rateLimitEventsPerSecond(double eventsPerSecond) {
      this.rateLimitEventsPerSecond = eventsPerSecond;
      return this;
    }

    /** Burst size of the budget; 0 (the default) for one second's worth. */
    public Builder rateLimitBurst(long burst) {
      this.rateLimitBurst = burst;
      return this;
    }

    /** The monotonic clock for windows and budgets (tests inject one). */
    public Builder nanoClock(java.util.function.LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /** Validates and builds. @throws IllegalArgumentException naming the offending setting */
    public PipelineSettings build() {
      require(serviceName != null && !serviceName.trim().isEmpty(), "serviceName must not be blank");
      for (Map.Entry<String, String> e : resourceAttributes.entrySet()) {
        require(e.getKey() != null && !e.getKey().trim().isEmpty(), "resource attribute keys must not be blank");
        require(e.getValue() != null, "resource attribute '" + e.getKey() + "' must not have a null value");
      }
      require(distroName != null && !distroName.trim().isEmpty(), "distroName must not be blank");
      require(distroVersion != null && !distroVersion.trim().isEmpty(), "distroVersion must not be blank");

      String endpoint = otlpEndpoint == null || otlpEndpoint.trim().isEmpty() ? null : otlpEndpoint.trim();
      String logsEndpoint = endpoint == null ? null : logsEndpoint(endpoint);
      for (Map.Entry<String, String> e : otlpHeaders.entrySet()) {
        String name = e.getKey();
        require(name != null && !name.isEmpty() && isToken(name),
            "otlpHeaders: '" + name + "' is not a valid HTTP header name");
        require(!RESTRICTED_HEADERS.contains(name), "otlpHeaders: header '" + name + "' cannot be set");
        String value = e.getValue();
        require(value != null && value.indexOf('\r') < 0 && value.indexOf('\n') < 0,
            "otlpHeaders: the value of '" + name + "' must be non-null and must not contain CR or LF");
      }
      requirePositive(otlpTimeout, "otlpTimeout");
      require(otlpCompression != null, "otlpCompression must be \"gzip\" or \"none\", was null");
      String compression = otlpCompression.trim().toLowerCase(Locale.ROOT);
      require(compression.equals("gzip") || compression.equals("none"),
          "otlpCompression must be \"gzip\" or \"none\", was \"" + otlpCompression + "\"");

      Path directory = localDirectory != null
          ? localDirectory
          : Paths.get(System.getProperty("java.io.tmpdir", "."), "telemetry-agent");
      require(localMaxFileBytes >= MIN_LOCAL_MAX_FILE_BYTES,
          "localMaxFileBytes must be >= " + MIN_LOCAL_MAX_FILE_BYTES + ", was " + localMaxFileBytes);
      require(localMaxFiles >= 1, "localMaxFiles must be >= 1, was " + localMaxFiles);
      require(stackTraceMaxChars >= StackTraceRenderer.MIN_CHARS,
          "stackTraceMaxChars must be >= " + StackTraceRenderer.MIN_CHARS + ", was " + stackTraceMaxChars);
      require(stackTraceMaxFrames >= 0, "stackTraceMaxFrames must be >= 0, was " + stackTraceMaxFrames);
      require(queueCapacity >= 1 && queueCapacity <= MAX_QUEUE_CAPACITY,
          "queueCapacity must be between 1 and " + MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
      require(batchSize >= 1, "batchSize must be >= 1, was " + batchSize);
      requirePositive(exportInterval, "exportInterval");
      require(shutdownTimeout != null && !shutdownTimeout.isNegative()
              && shutdownTimeout.compareTo(Duration.ofDays(1)) <= 0,
          "shutdownTimeout must be between 0 and one day, was " + shutdownTimeout);
      require(redactor != null, "redactor must not be null (use Redactor.identity())");
      require(diagnostics != null, "diagnostics must not be null");
      require(dedupeMinSeverity >= 1 && dedupeMinSeverity <= 24,
          "dedupeMinSeverity must be a severity number between 1 and 24, was " + dedupeMinSeverity);
      requirePositive(dedupeWindow, "dedupeWindow");
      require(dedupeMaxFingerprints >= 1 && dedupeMaxFingerprints <= 1_000_000,
          "dedupeMaxFingerprints must be between 1 and 1000000, was " + dedupeMaxFingerprints);
      require(rateLimitEventsPerSecond >= 0 && rateLimitEventsPerSecond <= 1e9,
          "rateLimitEventsPerSecond must be between 0 (off) and 1e9, was " + rateLimitEventsPerSecond);
      require(rateLimitBurst >= 0, "rateLimitBurst must be >= 0, was " + rateLimitBurst);
      require(nanoClock != null, "nanoClock must not be null");
      return new PipelineSettings(this, logsEndpoint, compression, directory);
    }

    private static String logsEndpoint(String endpoint) {
      URI uri;
      try {
        uri = new URI(endpoint);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("otlpEndpoint is not a valid URL: \"" + endpoint + "\"", e);
      }
      String scheme = uri.getScheme();
      require(scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")),
          "otlpEndpoint must be an http:// or https:// URL, was \"" + endpoint + "\"");
      require(uri.getHost() != null && !uri.getHost().isEmpty(),
          "otlpEndpoint must name a host, was \"" + endpoint + "\"");
      require(uri.getRawQuery() == null && uri.getRawFragment() == null,
          "otlpEndpoint must not have a query or fragment, was \"" + endpoint + "\"");
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if (path.endsWith(LOGS_PATH)) {
        return endpoint;
      }
      String base = endpoint;
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      return base + LOGS_PATH;
    }

    private static boolean isToken(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private static void requirePositive(Duration d, String name) {
      require(d != null && !d.isNegative() && !d.isZero(), name + " must be a positive duration, was " + d);
      require(d.compareTo(Duration.ofDays(1)) <= 0, name + " must be at most one day, was " + d);
    }

    private static void require(boolean condition, String message) {
      if (!condition) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
