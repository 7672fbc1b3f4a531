package dev.telemetryagent.receiver;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Flattens OTLP {@link AnyValue}s and attribute lists into plain strings. */
final class AnyValues {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AnyValues() {}

  /**
   * Renders a value as a string: strings as themselves, scalars with {@code String.valueOf}, bytes as hex,
   * arrays as {@code [a, b]}, key-value lists as {@code {k=v, ...}}; an unset value is {@code null}.
   */
  static String stringify(AnyValue value) {
    if (value == null) {
      return null;
    }
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return String.valueOf(value.getBoolValue());
      case INT_VALUE:
        return String.valueOf(value.getIntValue());
      case DOUBLE_VALUE:
        return String.valueOf(value.getDoubleValue());
      case BYTES_VALUE:
        return hex(value.getBytesValue());
      case ARRAY_VALUE:
        return value.getArrayValue().getValuesList().stream()
            .map(AnyValues::stringify)
            .collect(Collectors.joining(", ", "[", "]"));
      case KVLIST_VALUE:
        return value.getKvlistValue().getValuesList().stream()
            .map(kv -> kv.getKey() + "=" + stringify(kv.getValue()))
            .collect(Collectors.joining(", ", "{", "}"));
      case VALUE_NOT_SET:
      default:
        return null;
    }
  }

  /** Attributes as an insertion-ordered, unmodifiable map; a repeated key keeps its last value. */
  static Map<String, String> flatten(List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), stringify(kv.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Lower-case hex of the bytes; the empty string for no bytes (an unset trace or span id). */
  static String hex(ByteString bytes) {
    StringBuilder sb = new StringBuilder(bytes.size() * 2);
    for (int i = 0; i < bytes.size(); i++) {
      int b = bytes.byteAt(i) & 0xff;
      sb.append(HEX[b >>> 4]).append(HEX[b & 0x0f]);
    }
    return sb.toString();
  }
}
