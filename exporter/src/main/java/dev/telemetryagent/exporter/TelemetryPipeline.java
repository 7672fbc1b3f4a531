package dev.telemetryagent.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The OpenTelemetry side of the agent: a bounded queue fed by application threads and one agent-owned daemon
 * worker thread ({@value #WORKER_THREAD_NAME}) that scrubs, converts and exports in batches.
 *
 * <p>{@link #submit} runs on application threads: it never throws, never blocks or takes a lock (the queue is
 * lock-free), allocates one queue node, and counts a {@link DropReason#QUEUE_FULL} drop when the queue is full.
 *
 * <p>The worker drains the queue into batches of at most {@code batchSize} events, maps each event to an
 * OpenTelemetry log record through the SDK (scrubbing every string with the {@link Redactor}; a throwing redactor
 * drops the record as {@link DropReason#SCRUB_ERROR}) and calls the {@link LogRecordExporter} once per batch: as
 * soon as {@code batchSize} events are queued, and at the latest every {@code exportInterval}.
 *
 * <p>Before an event is queued, the {@link Deduper} decides on the application thread whether it is the first of
 * its fingerprint in the current window (exported), a repeat (folded: counted, and reported by the window's rollup
 * record) or beyond the global budget (dropped as {@link DropReason#RATE_LIMITED}). The worker closes due windows at
 * every export tick and exports their rollups (docs/processor.md).
 *
 * <p>Accounting: every submitted event ends up exactly once as exported, folded or dropped (with a reason), or is
 * still pending; {@link #stats()} always satisfies {@code submitted == exported + folded + dropped + pending}.
 * Nothing is lost silently.
 *
 * <p>{@link #shutdown(Duration)} (and {@link #close()}, with the configured shutdown timeout) stops accepting,
 * drains and exports the queue, closes every open window and exports the rollups, and closes the exporter within the given total time, so a dead backend cannot hang the
 * application's exit; what could not be exported in time is counted as {@link DropReason#SHUTDOWN}.
 *
 * <p>With {@link PipelineSettings#sdkDisabled()} the pipeline is a no-op: no thread, no exporter, {@link #submit}
 * ignores events and counts nothing (the agent should not capture at all in that case).
 */
public final class TelemetryPipeline implements EventGate, AutoCloseable {

  /** The name of the worker thread. */
  public static final String WORKER_THREAD_NAME = "telemetry-agent-export";

  /** The name prefix of the OTLP/HTTP executor threads (followed by a number). */
  public static final String HTTP_THREAD_NAME_PREFIX = "telemetry-agent-otlp-http-";

  /** Extra time, beyond the OTLP timeout, the worker waits for an export to complete before counting a failure. */
  private static final long EXPORT_WAIT_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * With retries, the JDK sender checks its timeout only after each backoff sleep, which can overrun the timeout
   * by one maximum backoff (5 s, +20% jitter, in the SDK's default retry policy).
   */
  private static final long RETRY_OVERRUN_NANOS = TimeUnit.SECONDS.toNanos(6);

  private static final long NO_DEADLINE = Long.MIN_VALUE;

  private final PipelineSettings settings;
  private final boolean enabled;
  private final BoundedEventQueue<CapturedEvent> queue;
  private final int batchSize;
  private final LogRecordExporter exporter;
  private final ExecutorService ownedExecutor;
  private final String destination;
  private final Diagnostics diagnostics;
  private final RecordMapper mapper;
  private final long exportWaitNanos;
  private final Thread worker; // null when disabled
  private final Deduper deduper; // null when disabled

  private final LongAdder submitted = new LongAdder();
  private final LongAdder exported = new LongAdder();
  private final LongAdder folded = new LongAdder();
  private final LongAdder rollups = new LongAdder();
  private final LongAdder rollupsExported = new LongAdder();
  private final LongAdder rollupsDropped = new LongAdder();
  private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
  // The counters of the application-thread paths, straight from fields (no map lookup per log call).
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder queueFull = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final Object takeLock = new Object();
  private volatile long lastExportSuccessEpochMillis;
  private volatile String lastError;

  private volatile boolean accepting;
  private volatile boolean idle;
  private volatile boolean shutdownRequested;
  private volatile long shutdownDeadlineNanos;
  private volatile boolean abandoned;
  private volatile boolean cleanShutdown;
  private volatile boolean timedOut; // the worker dropped events because the shutdown time ran out
  private final AtomicBoolean shutdownStarted = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private final AtomicLong flushRequested = new AtomicLong();
  private final Object flushLock = new Object();
  private long flushCompleted; // guarded by flushLock

  private TelemetryPipeline(PipelineSettings settings, LogRecordExporter exporter, ExecutorService ownedExecutor,
      String destination, boolean enabled) {
    this.settings = settings;
    this.enabled = enabled;
    this.exporter = exporter;
    this.ownedExecutor = ownedExecutor;
    this.destination = destination;
    this.diagnostics = settings.diagnostics();
    this.batchSize = settings.batchSize();
    this.queue = enabled ? new BoundedEventQueue<>(settings.queueCapacity()) : null;
    this.mapper = enabled ? new RecordMapper(settings) : null;
    this.deduper = enabled ? new Deduper(settings.dedupeEnabled(), settings.dedupeMinSeverity(),
        settings.dedupeWindow().toNanos(), settings.dedupeMaxFingerprints(), settings.rateLimitEventsPerSecond(),
        settings.rateLimitBurst(), settings.nanoClock(), System.currentTimeMillis() * 1_000_000L) : null;
    boolean retrying = settings.otlpLogsEndpoint() != null && settings.otlpRetry();
    this.exportWaitNanos = saturatedAdd(settings.otlpTimeout().toNanos(),
        EXPORT_WAIT_SLACK_NANOS + (retrying ? RETRY_OVERRUN_NANOS : 0));
    for (DropReason r : DropReason.values()) {
      dropped.put(r, r == DropReason.RATE_LIMITED ? rateLimited : r == DropReason.QUEUE_FULL ? queueFull
          : new LongAdder());
    }
    this.accepting = enabled;
    if (enabled) {
      // Created here, started by launch(): the thread only runs once construction is complete.
      this.worker = AgentThreads.newThread(WORKER_THREAD_NAME, this::runWorker, diagnostics);
    } else {
      this.worker = null;
      terminated.countDown();
    }
  }

  /**
   * Starts a pipeline exporting to OTLP/HTTP when {@link PipelineSettings#otlpEndpoint()} is set, else to JSON
   * lines files in {@link PipelineSettings#localDirectory()}. Also routes the SDK's own java.util.logging output
   * to {@link PipelineSettings#diagnostics()}.
   */
  public static TelemetryPipeline start(PipelineSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.sdkDisabled()) {
      return new TelemetryPipeline(settings, null, null, "disabled", false);
    }
    SdkLogging.install(settings.diagnostics());
    if (settings.otlpLogsEndpoint() != null) {
      ExecutorService executor = newHttpExecutor(settings.diagnostics());
      try {
        // Built on the worker thread at its first export: keeps the HTTP client's start-up cost off premain.
        LogRecordExporter exporter = new LazyLogRecordExporter(
            () -> OtlpHttpExporterFactory.create(settings, executor), "otlp " + settings.otlpLogsEndpoint(),
            settings.diagnostics());
        return launch(settings, exporter, executor, "otlp " + settings.otlpLogsEndpoint());
      } catch (RuntimeException | Error e) {
        executor.shutdownNow();
        throw e;
      }
    }
    JsonLinesFileExporter files = new JsonLinesFileExporter(settings.localDirectory(), settings.serviceName(),
        currentPid(), settings.localMaxFileBytes(), settings.localMaxFiles(), settings.diagnostics());
    return launch(settings, files, null, "file " + files.currentFile());
  }

  /**
   * Starts a pipeline with a caller-supplied exporter (tests, custom destinations). The pipeline calls the
   * exporter from its worker thread only and shuts it down on {@link #shutdown}. With
   * {@link PipelineSettings#sdkDisabled()} the exporter is not used at all (not even shut down).
   */
  public static TelemetryPipeline start(PipelineSettings settings, LogRecordExporter exporter) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(exporter, "exporter");
    if (settings.sdkDisabled()) {
      return new TelemetryPipeline(settings, null, null, "disabled", false);
    }
    SdkLogging.install(settings.diagnostics());
    return launch(settings, exporter, null, "custom " + exporter);
  }

  private static TelemetryPipeline launch(PipelineSettings settings, LogRecordExporter exporter,
      ExecutorService executor, String destination) {
    TelemetryPipeline pipeline = new TelemetryPipeline(settings, exporter, executor, destination, true);
    pipeline.worker.start();
    return pipeline;
  }

  private static ExecutorService newHttpExecutor(Diagnostics diagnostics) {
    // Exports are sequential (one worker); a second thread covers an export still running after we gave up on it.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(8), AgentThreads.factory(HTTP_THREAD_NAME_PREFIX, diagnostics),
        new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  private static long currentPid() {
    try {
      return ProcessHandle.current().pid();
    } catch (Throwable t) {
      return 0;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Application threads
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Offers {@code event} for export: admission (dedupe, budget) first, then the queue. Called on application
   * threads: never throws, never blocks, takes no lock. When the queue is full the event is dropped and counted
   * ({@link DropReason#QUEUE_FULL}); after shutdown began it is dropped and counted as {@link DropReason#SHUTDOWN}.
   * Null is ignored.
   */
  public void submit(CapturedEvent event) {
    submit(event, null);
  }

  @Override
  public Object admitLog(EventSource source, int severityNumber, String loggerName, String template,
      Throwable thrown) {
    if (!enabled) {
      return Boolean.FALSE; // submit ignores everything
    }
    try {
      if (!accepting) {
        submitted.increment();
        dropped.get(DropReason.SHUTDOWN).increment();
        return null;
      }
      Object ticket = settleAdmission(deduper.admit(source, severityNumber, loggerName, template, thrown, false));
      if (ticket == Deduper.PASS && queue.isFull()) {
        // submit would drop it (queue_full): drop it now, before the application thread builds it. A window's
        // first event is still built: its rollup repeats that event's message.
        submitted.increment();
        queueFull.increment();
        return null;
      }
      return ticket;
    } catch (Throwable t) {
      return Deduper.PASS; // admission must never cost the application its event
    }
  }

  /** Counts a folded or shed event (and returns null for it), or returns the ticket of an admitted one. */
  private Object settleAdmission(Object outcome) {
    if (outcome == Deduper.FOLDED) {
      submitted.increment();
      folded.increment();
      return null;
    }
    if (outcome == Deduper.SHED) {
      submitted.increment();
      rateLimited.increment();
      return null;
    }
    return outcome;
  }

  @Override
  public void submit(CapturedEvent event, Object ticket) {
    if (event == null || !enabled) {
      return;
    }
    try {
      if (ticket == null) {
        if (!accepting) {
          submitted.increment();
          dropped.get(DropReason.SHUTDOWN).increment();
          return;
        }
        String template = event.template() != null ? event.template() : event.formattedMessage();
        ticket = settleAdmission(deduper.admit(event.source(), event.severityNumber(), event.loggerName(),
            template, event.throwable(), !event.source().isLog()));
        if (ticket == null) {
          return;
        }
      }
      Deduper.opened(ticket, event);
      submitted.increment();
      if (!accepting) {
        dropped.get(DropReason.SHUTDOWN).increment();
        return;
      }
      if (!queue.offer(event)) {
        queueFull.increment();
        return;
      }
      if (!accepting) {
        // Shutdown began between the check and the offer; the worker's final drain may already be over.
        if (queue.remove(event)) {
          dropped.get(DropReason.SHUTDOWN).increment();
        }
        return;
      }
      if (idle && queue.size() >= batchSize) {
        LockSupport.unpark(worker);
      }
    } catch (Throwable t) {
      // Never into the application.
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Worker thread
  // ---------------------------------------------------------------------------------------------------------------

  private void runWorker() {
    long intervalNanos = settings.exportInterval().toNanos();
    long nextExportAt = System.nanoTime() + intervalNanos;
    List<CapturedEvent> taken = new ArrayList<>(batchSize);
    List<LogRecordData> batch = new ArrayList<>(batchSize);
    try {
      while (!shutdownRequested) {
        try {
          long flushTarget = flushRequested.get();
          boolean flushing = flushTarget > flushCompletedValue();
          if (flushing || System.nanoTime() - nextExportAt >= 0) {
            SdkLogging.ensureInstalled();
            exportQueued(queue.size(), NO_DEADLINE, taken, batch);
            exportRollups(deduper.collect(false), NO_DEADLINE);
            nextExportAt = System.nanoTime() + intervalNanos;
            if (flushing) {
              completeFlush(flushTarget);
            }
            continue;
          }
          if (queue.size() >= batchSize) {
            exportQueued(batchSize, NO_DEADLINE, taken, batch);
            continue;
          }
          idle = true;
          try {
            // Re-check after publishing idle: a submit that filled a batch meanwhile has unparked us (or will).
            if (!shutdownRequested && flushRequested.get() <= flushCompletedValue() && queue.size() < batchSize) {
              LockSupport.parkNanos(this, nextExportAt - System.nanoTime());
            }
          } finally {
            idle = false;
          }
        } catch (Throwable t) {
          workerProblem(t, taken, batch);
        }
      }
      runShutdown(taken, batch);
    } catch (Throwable t) {
      workerProblem(t, taken, batch);
    } finally {
      terminated.countDown();
      synchronized (flushLock) {
        flushLock.notifyAll();
      }
    }
  }

  /** A bug or an Error on the worker: settle what it held, report, back off, carry on. */
  private void workerProblem(Throwable t, List<CapturedEvent> taken, List<LogRecordData> batch) {
    // Everything in flight is held by this worker (and only by it): settle all of it.
    taken.clear();
    batch.clear();
    settleDrop(DropReason.EXPORT_FAILED, Long.MAX_VALUE);
    lastError = "worker error: " + StackTraceRenderer.safeToString(t);
    diagnostics.warn("worker-error", "unexpected error in the export worker", t);
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
  }

  /** Takes up to {@code maxEvents} queued events and exports them in batches of at most batchSize. */
  private void exportQueued(long maxEvents, long deadline, List<CapturedEvent> taken, List<LogRecordData> batch) {
    long remaining = maxEvents;
    while (remaining > 0) {
      int n = take(taken, (int) Math.min(batchSize, remaining));
      if (n == 0) {
        return;
      }
      remaining -= n;
      if (abandoned || (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0)) {
        taken.clear();
        settleDrop(DropReason.SHUTDOWN, n);
        timedOut = true;
        continue;
      }
      convert(taken, batch);
      exportBatch(batch, deadline);
    }
  }

  /**
   * Moves up to {@code max} events from the queue to {@code taken} and counts them in flight, atomically with
   * respect to {@link #shutdown} giving up on the worker: an event is always either in the queue or in flight, never
   * in between when shutdown accounts for what is left. Never held across an export.
   */
  private int take(List<CapturedEvent> taken, int max) {
    synchronized (takeLock) {
      if (abandoned) {
        return 0;
      }
      int n = queue.drainTo(taken, max);
      if (n > 0) {
        inFlight.addAndGet(n);
      }
      return n;
    }
  }

  private void convert(List<CapturedEvent> taken, List<LogRecordData> batch) {
    for (int i = 0; i < taken.size(); i++) {
      CapturedEvent event = taken.get(i);
      taken.set(i, null);
      try {
        LogRecordData record = mapper.map(event);
        if (record != null) {
          batch.add(record);
        } else {
          settleDrop(DropReason.EXPORT_FAILED, 1);
          lastError = "the OpenTelemetry SDK did not emit a record";
        }
      } catch (RecordMapper.ScrubException e) {
        settleDrop(DropReason.SCRUB_ERROR, 1);
        // Type and key only: the redactor's message may quote the raw text.
        lastError = e.getMessage();
        diagnostics.warn("scrub-error", "a record was dropped (scrub_error): " + e.getMessage());
      } catch (Throwable t) {
        settleDrop(DropReason.EXPORT_FAILED, 1);
        lastError = "mapping failed: " + StackTraceRenderer.typeName(t);
        diagnostics.warn("mapping-error|" + StackTraceRenderer.typeName(t),
            "a record could not be converted: " + StackTraceRenderer.typeName(t));
      }
    }
    taken.clear();
  }

  private void exportBatch(List<LogRecordData> batch, long deadline) {
    int k = batch.size();
    if (k == 0) {
      return;
    }
    List<LogRecordData> records = new ArrayList<>(batch);
    batch.clear();
    switch (send(records, deadline)) {
      case SUCCESS:
        exported.add(settle(k));
        break;
      case OUT_OF_TIME:
        settleDrop(DropReason.SHUTDOWN, k);
        break;
      default:
        settleDrop(DropReason.EXPORT_FAILED, k);
    }
  }

  /** Maps and exports rollup records (records of the agent's own, counted apart from captured events). */
  private void exportRollups(List<Deduper.Rollup> due, long deadline) {
    if (due.isEmpty()) {
      return;
    }
    rollups.add(due.size());
    List<LogRecordData> records = new ArrayList<>(due.size());
    for (Deduper.Rollup r : due) {
      try {
        records.add(mapper.mapRollup(r));
      } catch (RecordMapper.ScrubException e) {
        rollupsDropped.increment();
        lastError = e.getMessage();
        diagnostics.warn("scrub-error", "a rollup record was dropped (scrub_error): " + e.getMessage());
      } catch (Throwable t) {
        rollupsDropped.increment();
        lastError = "rollup mapping failed: " + StackTraceRenderer.typeName(t);
      }
    }
    for (int from = 0; from < records.size(); from += batchSize) {
      List<LogRecordData> part = new ArrayList<>(records.subList(from, Math.min(records.size(), from + batchSize)));
      if (send(part, deadline) == Sent.SUCCESS) {
        rollupsExported.add(part.size());
      } else {
        rollupsDropped.add(part.size());
      }
    }
  }

  private enum Sent { SUCCESS, FAILED, OUT_OF_TIME }

  /**
   * One export call, waited for at most the export wait (and never past {@code deadline}); records the outcome in
   * {@link #lastError} and the last success time. The caller accounts for the records.
   */
  private Sent send(List<LogRecordData> records, long deadline) {
    long wait = exportWaitNanos;
    if (deadline != NO_DEADLINE) {
      wait = Math.min(wait, deadline - System.nanoTime());
    }
    if (abandoned || wait <= 0) {
      timedOut = true;
      return Sent.OUT_OF_TIME;
    }
    CompletableResultCode result;
    try {
      result = exporter.export(records);
    } catch (Throwable t) {
      lastError = "export failed: " + StackTraceRenderer.safeToString(t);
      return Sent.FAILED;
    }
    result.join(wait, TimeUnit.NANOSECONDS);
    if (result.isDone() && result.isSuccess()) {
      lastExportSuccessEpochMillis = System.currentTimeMillis();
      return Sent.SUCCESS;
    }
    if (!result.isDone() && deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
      timedOut = true;
      lastError = "export still running when the shutdown time ran out";
      return Sent.OUT_OF_TIME;
    }
    lastError = describeFailure(result);
    return Sent.FAILED;
  }

  private String describeFailure(CompletableResultCode result) {
    if (!result.isDone()) {
      return "export timed out after " + TimeUnit.NANOSECONDS.toMillis(exportWaitNanos) + " ms";
    }
    Throwable t = result.getFailureThrowable();
    return t == null ? "exporter reported failure" : "export failed: " + OtlpHttpExporterFactory.describeFailure(t);
  }

  private void runShutdown(List<CapturedEvent> taken, List<LogRecordData> batch) {
    long deadline = shutdownDeadlineNanos;
    boolean clean = true;
    try {
      exportQueued(Long.MAX_VALUE, deadline, taken, batch);
    } catch (Throwable t) {
      workerProblem(t, taken, batch);
      clean = false;
    }
    try {
      // Every open window ends now: its rollup goes out before the exporter closes.
      exportRollups(deduper.collect(true), deadline);
    } catch (Throwable t) {
      clean = false;
      diagnostics.warn("rollup-error", "rollups could not be exported at shutdown", t);
    }
    // Stragglers: events a racing submit put in after the drain above are handled by submit's re-check; anything
    // left here is counted, never forgotten.
    clean &= drainAsDropped() == 0;
    long remaining = deadline - System.nanoTime();
    try {
      CompletableResultCode closed = exporter.shutdown();
      if (remaining > 0) {
        closed.join(remaining, TimeUnit.NANOSECONDS);
      }
      clean &= closed.isDone() && closed.isSuccess();
    } catch (Throwable t) {
      clean = false;
      diagnostics.warn("exporter-shutdown", "the exporter failed to shut down", t);
    }
    try {
      mapper.shutdown();
    } catch (Throwable t) {
      clean = false;
    }
    cleanShutdown = clean && !timedOut;
  }

  private int drainAsDropped() {
    List<CapturedEvent> rest = new ArrayList<>();
    int n = queue.drainTo(rest);
    if (n > 0) {
      dropped.get(DropReason.SHUTDOWN).add(n);
    }
    return n;
  }

  /**
   * Claims up to {@code n} in-flight events for accounting by the caller. In-flight events are claimed exactly
   * once: by the worker when it settles them, or by {@link #shutdown} when it gives up on the worker.
   */
  private long settle(long n) {
    while (true) {
      long current = inFlight.get();
      long take = Math.min(current, n);
      if (take <= 0) {
        return 0;
      }
      if (inFlight.compareAndSet(current, current - take)) {
        return take;
      }
    }
  }

  private void settleDrop(DropReason reason, long n) {
    long claimed = settle(n);
    if (claimed > 0) {
      dropped.get(reason).add(claimed);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Control
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Exports everything submitted before this call (or drops it, counted), waiting at most {@code timeout}.
   *
   * @return whether that happened within the timeout
   */
  public boolean flush(Duration timeout) {
    if (!enabled || terminated.getCount() == 0) {
      return true;
    }
    long deadline = deadline(timeout);
    long target = flushRequested.incrementAndGet();
    LockSupport.unpark(worker);
    synchronized (flushLock) {
      while (flushCompleted < target && terminated.getCount() > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(flushLock, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private long flushCompletedValue() {
    synchronized (flushLock) {
      return flushCompleted;
    }
  }

  private void completeFlush(long target) {
    synchronized (flushLock) {
      if (target > flushCompleted) {
        flushCompleted = target;
      }
      flushLock.notifyAll();
    }
  }

  /**
   * Stops accepting events, exports what is queued, and shuts the exporter down, all within {@code timeout}.
   * Whatever could not be exported in time is counted as {@link DropReason#SHUTDOWN}. Idempotent; safe to call
   * from a JVM shutdown hook.
   *
   * @return true when the time sufficed: nothing had to be dropped as {@link DropReason#SHUTDOWN} for lack of
   *     time and the exporter closed cleanly (events may still have failed to export, counted as such)
   */
  public boolean shutdown(Duration timeout) {
    if (!enabled) {
      return true;
    }
    long deadline = deadline(timeout);
    if (shutdownStarted.compareAndSet(false, true)) {
      accepting = false;
      shutdownDeadlineNanos = deadline;
      shutdownRequested = true;
      LockSupport.unpark(worker);
    }
    boolean finished;
    try {
      long remaining = deadline - System.nanoTime();
      finished = remaining > 0 ? terminated.await(remaining, TimeUnit.NANOSECONDS) : terminated.getCount() == 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = terminated.getCount() == 0;
    }
    if (!finished) {
      // The exporter ignored its timeout. Give up on the worker (a daemon: it cannot hold the JVM) and account
      // for everything it still holds.
      synchronized (takeLock) {
        abandoned = true;
        drainAsDropped();
        long held = inFlight.getAndSet(0);
        if (held > 0) {
          dropped.get(DropReason.SHUTDOWN).add(held);
        }
      }
      lastError = "shutdown timed out; pending events were dropped";
      diagnostics.warn("shutdown-timeout", "shutdown did not complete within "
          + (timeout == null ? 0 : timeout.toMillis()) + " ms; pending events were dropped");
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    return finished && cleanShutdown;
  }

  /** {@link #shutdown(Duration)} with {@link PipelineSettings#shutdownTimeout()}. */
  @Override
  public void close() {
    shutdown(settings.shutdownTimeout());
  }

  private static long deadline(Duration timeout) {
    long nanos = timeout == null || timeout.isNegative() ? 0 : saturatedNanos(timeout);
    return saturatedAdd(System.nanoTime(), nanos);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE / 2 : r;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Self-visibility
  // ---------------------------------------------------------------------------------------------------------------

  /** A consistent snapshot of the accounting; cheap, callable from any thread. */
  public PipelineStats stats() {
    if (!enabled) {
      return PipelineStats.empty();
    }
    // Terminal counters first, submitted last: every event counted as exported or dropped was counted as
    // submitted before, so the derived pending count is never negative.
    long exportedNow = exported.sum();
    long foldedNow = folded.sum();
    Map<DropReason, Long> droppedNow = new EnumMap<>(DropReason.class);
    for (Map.Entry<DropReason, LongAdder> e : dropped.entrySet()) {
      droppedNow.put(e.getKey(), e.getValue().sum());
    }
    long inFlightNow = inFlight.get();
    long queued = queue.size();
    long submittedNow = submitted.sum();
    return new PipelineStats(submittedNow, exportedNow, foldedNow, droppedNow, queued, inFlightNow,
        lastExportSuccessEpochMillis, lastError, rollups.sum(), rollupsExported.sum(), rollupsDropped.sum());
  }

  /**
   * The {@code n} fingerprints seen most often among those tracked now, as {@code <hex> <exception type or logger>}
   * to their count (exported and folded); for status output. Never message text.
   */
  public Map<String, Long> topFingerprints(int n) {
    if (!enabled) {
      return java.util.Collections.emptyMap();
    }
    try {
      return deduper.top(n);
    } catch (Throwable t) {
      return java.util.Collections.emptyMap();
    }
  }

  /** Whether this pipeline exports anything (false when the SDK is disabled). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Whether shutdown has begun. */
  public boolean isShutdown() {
    return shutdownStarted.get();
  }

  /** Where records go, for status output: {@code otlp <url>}, {@code file <path>}, {@code custom ...}, or
   * {@code disabled}. */
  public String destination() {
    return destination;
  }

  public PipelineSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "TelemetryPipeline{" + destination + "}";
  }
}
