package dev.telemetryagent.agent.capture;

import dev.telemetryagent.exporter.ErrorCategory;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.exporter.StackTraceRenderer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The application's own OpenTelemetry API, reached by reflection from the capturing thread's context class loader:
 * the span active at capture time (for trace correlation of log records), and, for an exception, an
 * {@code exception} event on that span and its status set to ERROR.
 *
 * <p>This works the same whether the application runs its own SDK or the OpenTelemetry Java agent (which bridges
 * the application's API to its own). When the loader has no OpenTelemetry API, that is remembered per loader
 * (weakly), so the cost is one map lookup per captured record.
 *
 * <p>The span event is added on the application thread, while the span is still open: its stack trace is rendered
 * with the configured bounds and every string goes through the redactor first, so nothing leaves unscrubbed through
 * the application's exporter either. The same exception is added to a span once.
 *
 * <p>Class names are built at run time: the agent's build relocates string literals that begin with the
 * OpenTelemetry package to its own shaded copy, and here the application's own classes are meant.
 */
final class AppTracing {

  /** "io" + ".opentelemetry.": never a literal, so that maven-shade cannot relocate the names below. */
  static final String API = new String(new char[] {'i', 'o'}) + ".opentelemetry.";

  static final String EVENT_NAME = "exception";

  /** The active span at capture time. */
  static final class Active {
    final Object span;
    final Bridge bridge;
    final String traceId;
    final String spanId;
    final byte traceFlags;

    Active(Object span, Bridge bridge, String traceId, String spanId, byte traceFlags) {
      this.span = span;
      this.bridge = bridge;
      this.traceId = traceId;
      this.spanId = spanId;
      this.traceFlags = traceFlags;
    }
  }

  /** Method handles into one class loader's OpenTelemetry API. */
  static final class Bridge {
    final MethodHandle current;
    final MethodHandle getSpanContext;
    final MethodHandle isValid;
    final MethodHandle getTraceId;
    final MethodHandle getSpanId;
    final MethodHandle isSampled;
    final MethodHandle isRecording;
    final MethodHandle addEvent;
    final MethodHandle attributesBuilder;
    final MethodHandle putString;
    final MethodHandle putBoolean;
    final MethodHandle build;
    final MethodHandle setStatus;
    final Object errorStatus;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Bridge(ClassLoader loader) throws ReflectiveOperationException {
      Class<?> span = Class.forName(API + "api.trace.Span", false, loader);
      Class<?> spanContext = Class.forName(API + "api.trace.SpanContext", false, loader);
      Class<?> attributes = Class.forName(API + "api.common.Attributes", false, loader);
      Class<?> builder = Class.forName(API + "api.common.AttributesBuilder", false, loader);
      Class<?> statusCode = Class.forName(API + "api.trace.StatusCode", false, loader);
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      current = l.findStatic(span, "current", MethodType.methodType(span));
      getSpanContext = l.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext));
      isValid = l.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class));
      getTraceId = l.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class));
      getSpanId = l.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class));
      isSampled = l.findVirtual(spanContext, "isSampled", MethodType.methodType(boolean.class));
      isRecording = l.findVirtual(span, "isRecording", MethodType.methodType(boolean.class));
      addEvent = l.findVirtual(span, "addEvent", MethodType.methodType(span, String.class, attributes));
      attributesBuilder = l.findStatic(attributes, "builder", MethodType.methodType(builder));
      putString = l.findVirtual(builder, "put", MethodType.methodType(builder, String.class, String.class));
      putBoolean = l.findVirtual(builder, "put", MethodType.methodType(builder, String.class, boolean.class));
      build = l.findVirtual(builder, "build", MethodType.methodType(attributes));
      setStatus = l.findVirtual(span, "setStatus", MethodType.methodType(span, statusCode, String.class));
      errorStatus = Enum.valueOf((Class) statusCode, "ERROR");
    }
  }

  private static final Object ABSENT = new Object();

  private final boolean spanEvents;
  private final Redactor redactor;
  private final StackTraceRenderer renderer;
  private final Map<ClassLoader, Object> bridges = new WeakHashMap<>();
  private final ReportedThrowables recorded = new ReportedThrowables(ErrorPaths.MEMORY);
  /** The last loader looked up and its bridge, as one object so that both are read together. */
  private volatile Last last;

  private static final class Last {
    final java.lang.ref.WeakReference<ClassLoader> loader;
    final Object bridge;

    Last(ClassLoader loader, Object bridge) {
      this.loader = new java.lang.ref.WeakReference<>(loader);
      this.bridge = bridge;
    }
  }

  /**
   * @param spanEvents whether exceptions become events on the active span (and set its status)
   * @param redactor scrubs the span event's strings
   * @param renderer renders the span event's stack trace
   */
  AppTracing(boolean spanEvents, Redactor redactor, StackTraceRenderer renderer) {
    this.spanEvents = spanEvents;
    this.redactor = redactor;
    this.renderer = renderer;
  }

  /** The application span active on this thread, or null (no API, no valid span, or any failure). */
  Active current(Thread thread) {
    try {
      Bridge bridge = bridge(thread.getContextClassLoader());
      if (bridge == null) {
        return null;
      }
      Object span = bridge.current.invoke();
      if (span == null) {
        return null;
      }
      Object sc = bridge.getSpanContext.invoke(span);
      if (sc == null || !(boolean) bridge.isValid.invoke(sc)) {
        return null;
      }
      return new Active(span, bridge, (String) bridge.getTraceId.invoke(sc), (String) bridge.getSpanId.invoke(sc),
          (boolean) bridge.isSampled.invoke(sc) ? (byte) 1 : (byte) 0);
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Adds an {@code exception} event for {@code thrown} to the active span and, when {@code error}, sets its status
   * to ERROR. Once per exception instance. Never throws.
   */
  void recordException(Active active, Throwable thrown, boolean error, String source) {
    if (!spanEvents || active == null || thrown == null) {
      return;
    }
    try {
      Bridge b = active.bridge;
      if (!(boolean) b.isRecording.invoke(active.span) || !recorded.firstReport(thrown)) {
        return;
      }
      String type = thrown.getClass().getName();
      String message = StackTraceRenderer.safeMessage(thrown);
      Object attrs = b.attributesBuilder.invoke();
      attrs = b.putString.invoke(attrs, "exception.type", redactor.redactAttribute("exception.type", type));
      if (message != null) {
        attrs = b.putString.invoke(attrs, "exception.message",
            redactor.redactAttribute("exception.message", message));
      }
      attrs = b.putString.invoke(attrs, "exception.stacktrace",
          redactor.redactAttribute("exception.stacktrace", renderer.render(thrown)));
      attrs = b.putString.invoke(attrs, "exception.source", redactor.redactAttribute("exception.source", source));
      attrs = b.putString.invoke(attrs, "telemetry.agent.error.category",
          redactor.redactAttribute("telemetry.agent.error.category", ErrorCategory.of(thrown).value()));
      attrs = b.putBoolean.invoke(attrs, "telemetry.agent.error.recoverable", ErrorCategory.recoverable(thrown));
      b.addEvent.invoke(active.span, EVENT_NAME, b.build.invoke(attrs));
      if (error) {
        b.setStatus.invoke(active.span, b.errorStatus,
            redactor.redactAttribute("exception.type", type));
      }
    } catch (Throwable t) {
      // the application's API misbehaved or the redactor threw: no span event, never an exception
    }
  }

  private Bridge bridge(ClassLoader loader) {
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    Last l = last;
    Object b;
    if (l != null && l.loader.get() == loader) {
      b = l.bridge;
    } else {
      synchronized (bridges) {
        b = bridges.get(loader);
      }
      if (b == null) {
        // Looked up outside the lock: class loading takes the loader's own locks, and a thread holding one of
        // those may be logging into this very method.
        Object created;
        try {
          created = new Bridge(loader);
        } catch (Throwable t) {
          created = ABSENT;
        }
        synchronized (bridges) {
          b = bridges.get(loader);
          if (b == null) {
            b = created;
            bridges.put(loader, b);
          }
        }
      }
      last = new Last(loader, b);
    }
    return b == ABSENT ? null : (Bridge) b;
  }
}
