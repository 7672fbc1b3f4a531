package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JsonValue replaced databind's JsonNode in RuleLoader (databind is a test dependency only): the same documents
 * give the same trees, the same compact JSON in error messages, and the same parse errors at the same places.
 */
class JsonValueTest {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final String[] VALID = {
      "{\"formatVersion\": 1, // comment\n /* block */ \"rules\": [{\"id\": \"a\", \"pattern\": \"abc\",},],}",
      "{\"a\": [1, -3, 2147483648, 123456789012345678901234567890, 1.0, 1e0, -0.0, 1e400, 2.5e10, 1e-7, 0.1]}",
      "{\"s\": \"x\\ny\\u0001\\\"\\\\/\u00e9\\t\\b\\f\\r\\u007f\\u2028\\ud83d\\ude00\", \"n\": null, \"t\": true, \"f\": false}",
      "{\"nested\": {\"b\": {}, \"a\": [[], [[]], {\"x\": [null]}]}, \"last\": \"z\"}",
      "{\"first\": 1} trailing content is not read",
      "[1, \"two\", {\"three\": 3}]",
      "\"text\"", "12", "null", "true",
  };

  private static final String[] MALFORMED = {
      "{\"formatVersion\": 1, \"formatVersion\": 1}",
      "{\"formatVersion\": 1,\n \"rules\": [ {\"id\": } ]}",
      "# not a comment here\n{}",
      "{\"a\": 'single'}", "{a: 1}", "{\"a\": 01}", "{\"a\": NaN}", "{\"a\": \"\\q\"}", "{\"a\": \"x\ny\"}",
      "{\"a\": [,]}", "{\"a\": [1}", "{\"a\": [1]", "{\"a\": ", "{\"a\": 1, /* open", "{\"a\":1,,}", "{,}",
      "{\"a\" 1}", "{\"a\": tru}", "[1 2]",
  };

  @Test
  void trees_and_their_json_match_databind() throws IOException {
    for (String doc : VALID) {
      JsonNode expected = MAPPER.readTree(doc.getBytes(StandardCharsets.UTF_8));
      JsonValue actual = read(doc.getBytes(StandardCharsets.UTF_8));
      assertThat(actual.toString()).as(doc).isEqualTo(expected.toString());
      assertSameShape(actual, expected, doc);
    }
  }

  @Test
  void no_content_is_no_value() throws IOException {
    assertThat(read(new byte[0])).isNull();
    assertThat(read("  // only a comment\n".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void parse_errors_match_databind_message_line_and_column() throws IOException {
    List<String> deep = new ArrayList<>();
    deep.add("[".repeat(1200));
    deep.add("{\"a\": 1" + "0".repeat(1200) + "}");
    List<String> docs = new ArrayList<>(List.of(MALFORMED));
    docs.addAll(deep);
    for (String doc : docs) {
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      String expected = error(() -> MAPPER.readTree(bytes));
      String actual = error(() -> read(bytes));
      assertThat(expected).as(doc).isNotNull();
      assertThat(actual).as(doc).isEqualTo(expected);
    }
  }

  private static JsonValue read(byte[] content) throws IOException {
    try (JsonParser p = JSON.createParser(content)) {
      return JsonValue.read(p);
    }
  }

  private interface Read {
    Object run() throws IOException;
  }

  private static String error(Read r) throws IOException {
    try {
      r.run();
      return null;
    } catch (JsonProcessingException e) {
      return e.getLocation() == null ? e.getOriginalMessage()
          : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() + " " + e.getOriginalMessage();
    }
  }

  private static void assertSameShape(JsonValue actual, JsonNode expected, String doc) {
    assertThat(actual.isObject()).as(doc).isEqualTo(expected.isObject());
    assertThat(actual.isArray()).as(doc).isEqualTo(expected.isArray());
    assertThat(actual.isTextual()).as(doc).isEqualTo(expected.isTextual());
    assertThat(actual.isBoolean()).as(doc).isEqualTo(expected.isBoolean());
    assertThat(actual.isNull()).as(doc).isEqualTo(expected.isNull());
    assertThat(actual.isInt()).as(doc).isEqualTo(expected.isInt());
    assertThat(actual.intValue()).as(doc).isEqualTo(expected.isInt() ? expected.intValue() : 0);
    assertThat(actual.booleanValue()).as(doc).isEqualTo(expected.booleanValue());
    assertThat(actual.size()).as(doc).isEqualTo(expected.size());
    if (expected.isTextual()) {
      assertThat(actual.asText()).as(doc).isEqualTo(expected.asText());
    }
    if (expected.isObject()) {
      List<String> names = new ArrayList<>();
      actual.fieldNames().forEach(names::add);
      List<String> expectedNames = new ArrayList<>();
      expected.fieldNames().forEachRemaining(expectedNames::add);
      assertThat(names).as(doc).isEqualTo(expectedNames);
      for (String n : names) {
        assertSameShape(actual.get(n), expected.get(n), doc);
      }
      assertThat(actual.get("no such field")).isNull();
    } else {
      assertThat(actual.get("any")).as(doc).isNull();
    }
    if (expected.isArray()) {
      Iterator<JsonValue> it = actual.iterator();
      for (int i = 0; i < expected.size(); i++) {
        assertSameShape(actual.get(i), expected.get(i), doc);
        assertThat(it.next()).isSameAs(actual.get(i));
      }
      assertThat(it.hasNext()).isFalse();
      assertThat(actual.get(expected.size())).isNull();
    }
  }
}
