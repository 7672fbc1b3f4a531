package dev.telemetryagent.exporter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tests run on (the runtime class path of this module + test tools), so they only prove the runtime class path
 * is enough while the heavy or unwanted libraries stay off it.
 */
class RuntimeClasspathTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "io.opentelemetry.sdk.metrics.SdkMeterProvider", // opentelemetry-sdk-metrics: excluded, not needed for logs
      "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSender", // the OkHttp sender: excluded
      "okhttp3.OkHttpClient",
      "kotlin.Unit",
  })
  void isNotOnTheClassPath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }

  /** The trace SDK is back for the agent's own exception spans (ExceptionSpans, docs/errors.md). */
  @Test
  void theTraceSdkIsPresentForExceptionSpans() throws Exception {
    Class.forName("io.opentelemetry.sdk.trace.SdkTracerProvider");
  }

  @Test
  void theJdkSenderIsPresent() throws Exception {
    Class.forName("io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
  }
}
