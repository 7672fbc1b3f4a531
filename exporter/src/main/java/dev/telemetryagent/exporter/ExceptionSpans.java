package dev.telemetryagent.exporter;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Short spans of the agent's own for failures that happen outside any span of the application: an executor task
 * that failed ({@value #TASK_FAILED}) or an uncaught exception ({@value #UNCAUGHT}), kind INTERNAL, status ERROR,
 * the exception as their {@code exception} event, exported over OTLP/HTTP to {@code <base>/v1/traces}, so such
 * failures show up in trace views. The log record of the same failure carries the span's ids.
 *
 * <p>Separate from {@link TelemetryPipeline} on purpose: it has its own small bounded queue and one agent-owned
 * daemon worker ({@value #WORKER_THREAD_NAME}); {@link #submit} never blocks and counts what it must drop. These
 * failures are rare, so the queue is small and a full queue means something is failing in a loop.
 *
 * <p>The span ids are chosen on the application thread ({@link #newTraceId()}, {@link #newSpanId()}) and carried by
 * the {@link CapturedEvent}, so the log record can name them before the span exists. Every string is scrubbed and
 * the stack trace rendered with the pipeline's bounds, as for log records.
 */
public final class ExceptionSpans implements AutoCloseable {

  public static final String WORKER_THREAD_NAME = "telemetry-agent-spans";
  public static final String HTTP_THREAD_NAME_PREFIX = "telemetry-agent-spans-http-";
  public static final String TRACES_PATH = "/v1/traces";
  public static final String TASK_FAILED = "task failed";
  public static final String UNCAUGHT = "uncaught exception";

  static final int QUEUE_CAPACITY = 256;
  static final int BATCH_SIZE = 64;

  private final PipelineSettings settings;
  private final SpanExporter exporter;
  private final ArrayBlockingQueue<CapturedEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final LongAdder submitted = new LongAdder();
  private final LongAdder exported = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Redactor redactor;
  private final StackTraceRenderer renderer;
  private final Thread worker;
  private volatile boolean accepting = true;
  private volatile boolean stopping;
  private volatile boolean busy;
  private volatile ExecutorService ownedExecutor;

  // Worker-confined.
  private SdkTracerProvider provider;
  private Tracer tracer;
  private final List<SpanData> ended = new ArrayList<>();
  private String nextTraceId;
  private String nextSpanId;

  private ExceptionSpans(PipelineSettings settings, SpanExporter exporter) {
    this.settings = settings;
    this.exporter = exporter;
    this.redactor = settings.redactor();
    this.renderer = new StackTraceRenderer(settings.stackTraceMaxFrames(), settings.stackTraceMaxChars());
    this.worker = AgentThreads.newThread(WORKER_THREAD_NAME, this::run, settings.diagnostics());
  }

  /** Starts exporting to {@code <base>/v1/traces}; null when there is no OTLP endpoint (local files) or no SDK. */
  public static ExceptionSpans start(PipelineSettings settings) {
    if (settings.sdkDisabled() || settings.otlpLogsEndpoint() == null) {
      return null;
    }
    // The HTTP client's threads are agent-marked daemons: nothing that happens on them is ever captured.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8),
        AgentThreads.factory(HTTP_THREAD_NAME_PREFIX, settings.diagnostics()), new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    try {
      // Built on the spans worker at its first export: keeps the HTTP client's start-up cost off premain.
      String endpoint = tracesEndpoint(settings.otlpLogsEndpoint());
      ExceptionSpans spans = start(settings, new LazySpanExporter(() -> createOtlpExporter(settings, executor),
          "otlp " + endpoint, settings.diagnostics()));
      spans.ownedExecutor = executor;
      return spans;
    } catch (RuntimeException | Error e) {
      executor.shutdownNow();
      throw e;
    }
  }

  /** Starts with a caller-supplied exporter (tests). */
  public static ExceptionSpans start(PipelineSettings settings, SpanExporter exporter) {
    ExceptionSpans spans = new ExceptionSpans(settings, exporter);
    spans.worker.start();
    return spans;
  }

  static String tracesEndpoint(String logsEndpoint) {
    String base = logsEndpoint.endsWith(PipelineSettings.LOGS_PATH)
        ? logsEndpoint.substring(0, logsEndpoint.length() - PipelineSettings.LOGS_PATH.length())
        : logsEndpoint;
    return base + TRACES_PATH;
  }

  private static SpanExporter createOtlpExporter(PipelineSettings settings, ExecutorService executor) {
    Duration timeout = settings.otlpTimeout();
    OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
        .setExecutorService(executor)
        .setEndpoint(tracesEndpoint(settings.otlpLogsEndpoint()))
        .setTimeout(timeout)
        .setCompression(settings.otlpCompression())
        .setMeterProvider(MeterProvider::noop)
        .setComponentLoader(new ComponentLoader() {
          @Override
          public <T> Iterable<T> load(Class<T> spiClass) {
            if (spiClass == HttpSenderProvider.class) {
              return Collections.singletonList(spiClass.cast(new JdkHttpSenderProvider()));
            }
            return ComponentLoader.forClassLoader(ExceptionSpans.class.getClassLoader()).load(spiClass);
          }
        });
    if (!settings.otlpRetry()) {
      b.setRetryPolicy(null);
    }
    for (Map.Entry<String, String> header : settings.otlpHeaders().entrySet()) {
      b.addHeader(header.getKey(), header.getValue());
    }
    return b.build();
  }

  /** A random, valid trace id (32 lowercase hex digits). Cheap; callable on any thread. */
  public static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi;
    long lo;
    do {
      hi = r.nextLong();
      lo = r.nextLong();
    } while (hi == 0 && lo == 0);
    return hex(hi) + hex(lo);
  }

  /** A random, valid span id (16 lowercase hex digits). */
  public static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return hex(id);
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    StringBuilder sb = new StringBuilder(16);
    for (int i = s.length(); i < 16; i++) {
      sb.append('0');
    }
    return sb.append(s).toString();
  }

  /**
   * Offers a failure (an event with a throwable and the span ids it should get) for export as a span. Never blocks
   * or throws; when the queue is full the span is dropped and counted.
   */
  public void submit(CapturedEvent event) {
    if (event == null || event.throwable() == null || event.traceId() == null) {
      return;
    }
    try {
      submitted.increment();
      if (!accepting || !queue.offer(event)) {
        dropped.increment();
      }
    } catch (Throwable t) {
      // never into the application
    }
  }

  public long submitted() {
    return submitted.sum();
  }

  public long exported() {
    return exported.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  private void run() {
    long interval = Math.max(TimeUnit.MILLISECONDS.toNanos(10), settings.exportInterval().toNanos());
    List<CapturedEvent> taken = new ArrayList<>(BATCH_SIZE);
    long reportedDrops = 0;
    while (!stopping) {
      long drops = dropped.sum();
      if (drops > reportedDrops) {
        // Nothing lost silently: say so (rate-limited by Diagnostics), from this thread, never the application's.
        settings.diagnostics().warn("span-dropped", "exception spans: " + drops
            + " dropped so far (queue full or export failed)");
        reportedDrops = drops;
      }
      try {
        CapturedEvent first = queue.poll(interval, TimeUnit.NANOSECONDS);
        if (first != null) {
          busy = true;
          try {
            taken.add(first);
            queue.drainTo(taken, BATCH_SIZE - 1);
            exportBatch(taken);
          } finally {
            busy = false;
          }
        }
      } catch (InterruptedException e) {
        // stopping
      } catch (Throwable t) {
        dropped.add(taken.size());
        taken.clear();
        settings.diagnostics().warn("span-worker-error", "exception spans: unexpected error: "
            + StackTraceRenderer.typeName(t));
      }
    }
  }

  private void exportBatch(List<CapturedEvent> taken) {
    List<SpanData> batch = new ArrayList<>(taken.size());
    for (CapturedEvent e : taken) {
      try {
        SpanData span = map(e);
        if (span != null) {
          batch.add(span);
        } else {
          dropped.increment();
        }
      } catch (Throwable t) {
        dropped.increment(); // the redactor threw: fail closed
      }
    }
    taken.clear();
    if (batch.isEmpty()) {
      return;
    }
    try {
      CompletableResultCode result = exporter.export(batch);
      result.join(settings.otlpTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
      if (result.isDone() && result.isSuccess()) {
        exported.add(batch.size());
      } else {
        dropped.add(batch.size());
        settings.diagnostics().warn("span-export-failed", "exception spans: export failed");
      }
    } catch (Throwable t) {
      dropped.add(batch.size());
    }
  }

  /** Builds the span of one failure through the SDK (worker thread only). */
  SpanData map(CapturedEvent event) {
    Tracer t = tracer();
    Throwable thrown = event.throwable();
    long time = event.epochNanos() > 0 ? event.epochNanos() : System.currentTimeMillis() * 1_000_000L;
    nextTraceId = event.traceId();
    nextSpanId = event.spanId();
    String name = event.source() == EventSource.UNCAUGHT ? UNCAUGHT : TASK_FAILED;
    Span span = t.spanBuilder(name)
        .setParent(Context.root())
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(time, TimeUnit.NANOSECONDS)
        .startSpan();
    nextTraceId = null;
    nextSpanId = null;
    // A redactor may remove an attribute (null): it is then left out.
    if (event.threadName() != null) {
      span.setAttribute(RecordMapper.THREAD_NAME, scrub(RecordMapper.THREAD_NAME.getKey(), event.threadName()));
    }
    if (event.threadId() > 0) {
      span.setAttribute(RecordMapper.THREAD_ID, event.threadId());
    }
    for (Map.Entry<String, String> e : event.context().entrySet()) {
      String v = scrub(e.getKey(), e.getValue());
      if (v != null) {
        span.setAttribute(e.getKey(), v);
      }
    }
    String type = StackTraceRenderer.typeName(thrown);
    AttributesBuilder attrs = Attributes.builder();
    putIfKept(attrs, RecordMapper.EXCEPTION_TYPE, scrub("exception.type", type));
    putIfKept(attrs, RecordMapper.EXCEPTION_STACKTRACE, scrub("exception.stacktrace", renderer.render(thrown)));
    putIfKept(attrs, RecordMapper.EXCEPTION_SOURCE, scrub("exception.source", event.source().attributeValue()));
    putIfKept(attrs, RecordMapper.ERROR_CATEGORY,
        scrub(RecordMapper.ERROR_CATEGORY.getKey(), ErrorCategory.of(thrown).value()));
    attrs.put(RecordMapper.ERROR_RECOVERABLE, ErrorCategory.recoverable(thrown));
    String message = StackTraceRenderer.safeMessage(thrown);
    if (message != null) {
      putIfKept(attrs, RecordMapper.EXCEPTION_MESSAGE, scrub("exception.message", message));
    }
    span.addEvent(RecordMapper.EXCEPTION_EVENT_NAME, attrs.build(), time, TimeUnit.NANOSECONDS);
    String description = scrub("exception.type", type);
    span.setStatus(StatusCode.ERROR, description == null ? "" : description);
    ended.clear();
    span.end(time, TimeUnit.NANOSECONDS);
    SpanData data = ended.isEmpty() ? null : ended.get(0);
    ended.clear();
    return data;
  }

  /** The redactor's verdict: the value to export, or null to leave the attribute out. */
  private String scrub(String key, String value) {
    return redactor.redactAttribute(key, value);
  }

  private static void putIfKept(AttributesBuilder b, AttributeKey<String> key, String value) {
    if (value != null) {
      b.put(key, value);
    }
  }

  private Tracer tracer() {
    if (tracer == null) {
      AttributesBuilder resource = Attributes.builder();
      for (Map.Entry<AttributeKey<?>, Object> e : Resource.getDefault().getAttributes().asMap().entrySet()) {
        String key = e.getKey().getKey();
        if (!key.equals(RecordMapper.SERVICE_NAME) && e.getValue() instanceof String) {
          putIfKept(resource, AttributeKey.stringKey(key), scrub(key, (String) e.getValue()));
        }
      }
      for (Map.Entry<String, String> e : settings.resourceAttributes().entrySet()) {
        putIfKept(resource, AttributeKey.stringKey(e.getKey()), scrub(e.getKey(), e.getValue()));
      }
      for (String key : new String[] {RecordMapper.SERVICE_NAME, RecordMapper.DISTRO_NAME,
          RecordMapper.DISTRO_VERSION}) {
        String raw = key.equals(RecordMapper.SERVICE_NAME) ? settings.serviceName()
            : key.equals(RecordMapper.DISTRO_NAME) ? settings.distroName() : settings.distroVersion();
        if (raw != null) {
          putIfKept(resource, AttributeKey.stringKey(key), scrub(key, raw));
        }
      }
      provider = SdkTracerProvider.builder()
          .setResource(Resource.create(resource.build()))
          .setSampler(Sampler.alwaysOn())
          .setMeterProvider(MeterProvider::noop)
          .setIdGenerator(new IdGenerator() {
            @Override
            public String generateSpanId() {
              return nextSpanId != null ? nextSpanId : newSpanId();
            }

            @Override
            public String generateTraceId() {
              return nextTraceId != null ? nextTraceId : newTraceId();
            }
          })
          .addSpanProcessor(new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {}

            @Override
            public boolean isStartRequired() {
              return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
              ended.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
              return true;
            }
          })
          .build();
      tracer = provider.get("telemetry-agent");
    }
    return tracer;
  }

  /** Stops accepting, exports what is queued within {@code timeout}, shuts the exporter down. */
  public void shutdown(Duration timeout) {
    accepting = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    // Let the worker drain the queue while there is time.
    while ((!queue.isEmpty() || busy) && System.nanoTime() - deadline < 0 && worker.isAlive()) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stopping = true;
    worker.interrupt();
    try {
      worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropped.add(queue.size());
    queue.clear();
    try {
      exporter.shutdown().join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (Throwable t) {
      // bounded anyway
    }
    ExecutorService executor = ownedExecutor;
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  @Override
  public void close() {
    shutdown(settings.shutdownTimeout());
  }
}
