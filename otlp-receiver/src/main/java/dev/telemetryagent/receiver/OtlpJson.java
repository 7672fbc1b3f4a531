package dev.telemetryagent.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses OTLP/JSON with protobuf-java-util's {@link JsonFormat}. OTLP/JSON differs from the canonical protobuf JSON
 * mapping in one way that matters here: {@code traceId}, {@code spanId} and {@code parentSpanId} are hex strings,
 * not base64. This class rewrites those (and only those) from hex to base64 before parsing. Parsing is strict:
 * unknown fields are an error.
 */
public final class OtlpJson {

  private static final Pattern HEX_ID = Pattern.compile(
      "(\"(?:traceId|spanId|parentSpanId|trace_id|span_id|parent_span_id)\"\\s*:\\s*\")([0-9a-fA-F]*)(\")");

  private OtlpJson() {}

  public static ExportLogsServiceRequest parseLogs(String json) throws InvalidProtocolBufferException {
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    merge(json, b);
    return b.build();
  }

  public static ExportTraceServiceRequest parseTraces(String json) throws InvalidProtocolBufferException {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    merge(json, b);
    return b.build();
  }

  public static ExportMetricsServiceRequest parseMetrics(String json) throws InvalidProtocolBufferException {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    merge(json, b);
    return b.build();
  }

  /** Rewrites OTLP/JSON's hex ids to base64 so {@link JsonFormat} reads them as the right bytes. */
  static String hexIdsToBase64(String json) {
    Matcher m = HEX_ID.matcher(json);
    if (!m.find()) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length());
    int last = 0;
    do {
      String hex = m.group(2);
      out.append(json, last, m.start());
      out.append(m.group(1));
      if (hex.length() % 2 == 0) {
        out.append(Base64.getEncoder().encodeToString(unhex(hex)));
      } else {
        out.append(hex);
      }
      out.append(m.group(3));
      last = m.end();
    } while (m.find());
    out.append(json, last, json.length());
    return out.toString();
  }

  private static void merge(String json, Message.Builder builder) throws InvalidProtocolBufferException {
    JsonFormat.parser().merge(hexIdsToBase64(json), builder);
  }

  private static byte[] unhex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
