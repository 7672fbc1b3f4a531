package dev.telemetryagent.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  @Test
  void rewritesOnlyHexIds() {
    String json = "{\"traceId\": \"0102\", \"spanId\":\"ff\", \"body\":{\"stringValue\":\"traceId\"},"
        + "\"parent_span_id\":\"\"}";
    assertThat(OtlpJson.hexIdsToBase64(json))
        .isEqualTo("{\"traceId\": \"AQI=\", \"spanId\":\"/w==\", \"body\":{\"stringValue\":\"traceId\"},"
            + "\"parent_span_id\":\"\"}");
  }

  @Test
  void parsesSnakeAndCamelCase() throws InvalidProtocolBufferException {
    ExportLogsServiceRequest req = OtlpJson.parseLogs("{\"resource_logs\":[{\"scopeLogs\":[{\"log_records\":"
        + "[{\"severityNumber\":\"SEVERITY_NUMBER_INFO\",\"span_id\":\"b7ad6b7169203331\"}]}]}]}");
    assertThat(req.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSeverityNumberValue()).isEqualTo(9);
    assertThat(AnyValues.hex(req.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSpanId()))
        .isEqualTo("b7ad6b7169203331");
  }

  @Test
  void isStrictAboutUnknownFields() {
    assertThatThrownBy(() -> OtlpJson.parseLogs("{\"resourceLogs\":[],\"extra\":true}"))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
