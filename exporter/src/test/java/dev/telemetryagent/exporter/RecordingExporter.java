package dev.telemetryagent.exporter;

import dev.telemetryagent.bootstrap.Dispatch;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A test exporter: records every batch and the exporting thread; its result is programmable. */
final class RecordingExporter implements LogRecordExporter {

  final List<List<LogRecordData>> batches = new CopyOnWriteArrayList<>();
  final List<Thread> threads = new CopyOnWriteArrayList<>();
  final List<Boolean> agentMarked = new CopyOnWriteArrayList<>();
  final CountDownLatch entered = new CountDownLatch(1);
  volatile CountDownLatch gate; // when set, export blocks until it opens
  volatile Function<Collection<LogRecordData>, CompletableResultCode> result = logs -> CompletableResultCode.ofSuccess();
  volatile boolean shutdownCalled;

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    threads.add(Thread.currentThread());
    agentMarked.add(Dispatch.isAgentThread());
    entered.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    batches.add(new ArrayList<>(logs));
    return result.apply(logs);
  }

  int recordCount() {
    int n = 0;
    for (List<LogRecordData> b : batches) {
      n += b.size();
    }
    return n;
  }

  List<String> bodies() {
    List<String> out = new ArrayList<>();
    for (List<LogRecordData> b : batches) {
      for (LogRecordData r : b) {
        out.add(r.getBodyValue() == null ? null : r.getBodyValue().asString());
      }
    }
    return out;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdownCalled = true;
    return CompletableResultCode.ofSuccess();
  }
}
