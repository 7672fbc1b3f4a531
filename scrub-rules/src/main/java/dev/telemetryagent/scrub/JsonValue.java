package dev.telemetryagent.scrub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal read-only JSON tree for rule files, built from jackson-core's streaming parser so the agent does not
 * need jackson-databind (about 300 classes at start-up) just to read its rule catalog.
 *
 * <p>It mirrors what {@code JsonMapper.readTree} produced for RuleLoader: objects keep their fields in document
 * order; integers are int, long or BigInteger by size ({@link #isInt()} only for int); floating-point numbers are
 * doubles; {@link #toString()} is the compact JSON that {@code JsonNode.toString()} printed (error messages quote
 * it). The parser is driven with the same calls in the same order as databind's tree reader, so parse errors
 * (message, line, column) are the parser's own and unchanged.
 */
final class JsonValue implements Iterable<JsonValue> {
  private enum Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL }

  private static final JsonValue TRUE = new JsonValue(Kind.BOOLEAN, Boolean.TRUE);
  private static final JsonValue FALSE = new JsonValue(Kind.BOOLEAN, Boolean.FALSE);
  private static final JsonValue NULL = new JsonValue(Kind.NULL, null);

  private final Kind kind;
  /** String, Number or Boolean for scalars; {@code Map<String, JsonValue>} or {@code List<JsonValue>} otherwise. */
  private final Object value;

  private JsonValue(Kind kind, Object value) {
    this.kind = kind;
    this.value = value;
  }

  /**
   * Reads one JSON value from {@code p} (positioned before it) and stops after it: anything that follows is not
   * read, as with {@code readTree}. Returns {@code null} when there is no content at all.
   */
  static JsonValue read(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      return null;
    }
    JsonValue root = scalarOrEmptyContainer(p, t);
    if (root.kind != Kind.OBJECT && root.kind != Kind.ARRAY) {
      return root;
    }
    // Iterative, like databind's reader: depth is bounded only by the parser's nesting limit, not the stack.
    ArrayDeque<JsonValue> open = new ArrayDeque<>();
    open.push(root);
    while (!open.isEmpty()) {
      JsonValue container = open.peek();
      JsonValue child;
      if (container.kind == Kind.OBJECT) {
        String name = p.nextFieldName();
        if (name == null) { // END_OBJECT
          open.pop();
          continue;
        }
        child = scalarOrEmptyContainer(p, p.nextToken());
        container.fields().put(name, child);
      } else {
        t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
          open.pop();
          continue;
        }
        child = scalarOrEmptyContainer(p, t);
        container.elements().add(child);
      }
      if (child.kind == Kind.OBJECT || child.kind == Kind.ARRAY) {
        open.push(child);
      }
    }
    return root;
  }

  private static JsonValue scalarOrEmptyContainer(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new JsonParseException(p, "Unexpected end-of-input");
    }
    switch (t) {
      case START_OBJECT:
        return new JsonValue(Kind.OBJECT, new LinkedHashMap<String, JsonValue>());
      case START_ARRAY:
        return new JsonValue(Kind.ARRAY, new ArrayList<JsonValue>());
      case VALUE_STRING:
        return new JsonValue(Kind.STRING, p.getText());
      case VALUE_NUMBER_INT: {
        JsonParser.NumberType nt = p.getNumberType();
        Number n = nt == JsonParser.NumberType.INT ? (Number) p.getIntValue()
            : nt == JsonParser.NumberType.LONG ? (Number) p.getLongValue() : p.getBigIntegerValue();
        return new JsonValue(Kind.NUMBER, n);
      }
      case VALUE_NUMBER_FLOAT: {
        JsonParser.NumberTypeFP nt = p.getNumberTypeFP();
        Number n = nt == JsonParser.NumberTypeFP.BIG_DECIMAL ? p.getDecimalValue()
            : nt == JsonParser.NumberTypeFP.FLOAT32 ? (Number) p.getFloatValue() : (Number) p.getDoubleValue();
        return new JsonValue(Kind.NUMBER, n);
      }
      case VALUE_TRUE:
        return TRUE;
      case VALUE_FALSE:
        return FALSE;
      case VALUE_NULL:
        return NULL;
      default: // FIELD_NAME or END_* out of place, VALUE_EMBEDDED_OBJECT: not produced by a JSON text parser
        throw new JsonParseException(p, "Unexpected token (" + t + ")");
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, JsonValue> fields() {
    return (Map<String, JsonValue>) value;
  }

  @SuppressWarnings("unchecked")
  private List<JsonValue> elements() {
    return (List<JsonValue>) value;
  }

  boolean isObject() {
    return kind == Kind.OBJECT;
  }

  boolean isArray() {
    return kind == Kind.ARRAY;
  }

  boolean isTextual() {
    return kind == Kind.STRING;
  }

  boolean isBoolean() {
    return kind == Kind.BOOLEAN;
  }

  boolean isNull() {
    return kind == Kind.NULL;
  }

  /** A number that fits an int and was written without fraction or exponent. */
  boolean isInt() {
    return kind == Kind.NUMBER && value instanceof Integer;
  }

  /** The value of an {@link #isInt()} number, else 0. */
  int intValue() {
    return isInt() ? (Integer) value : 0;
  }

  /** The value of a boolean, else false. */
  boolean booleanValue() {
    return kind == Kind.BOOLEAN && (Boolean) value;
  }

  /** The text of a string; for other scalars their JSON text; "" for containers and null. */
  String asText() {
    switch (kind) {
      case STRING:
        return (String) value;
      case NUMBER:
      case BOOLEAN:
        return toString();
      default:
        return "";
    }
  }

  /** The number of fields of an object or elements of an array; 0 for scalars. */
  int size() {
    return kind == Kind.OBJECT ? fields().size() : kind == Kind.ARRAY ? elements().size() : 0;
  }

  /** An object's field names in document order (none for other values). */
  Iterable<String> fieldNames() {
    return kind == Kind.OBJECT ? Collections.unmodifiableSet(fields().keySet()) : Collections.emptyList();
  }

  /** An object's field, or null when absent or this is not an object. */
  JsonValue get(String name) {
    return kind == Kind.OBJECT ? fields().get(name) : null;
  }

  /** An array's element, or null when out of range or this is not an array. */
  JsonValue get(int index) {
    return kind == Kind.ARRAY && index >= 0 && index < elements().size() ? elements().get(index) : null;
  }

  /** An array's elements or an object's values. */
  @Override
  public Iterator<JsonValue> iterator() {
    return kind == Kind.ARRAY ? Collections.unmodifiableList(elements()).iterator()
        : kind == Kind.OBJECT ? Collections.unmodifiableCollection(fields().values()).iterator()
        : Collections.<JsonValue>emptyIterator();
  }

  /** Compact JSON, written by jackson-core's generator (the same escaping and number forms as databind's). */
  @Override
  public String toString() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private void write(JsonGenerator g) throws IOException {
    switch (kind) {
      case OBJECT:
        g.writeStartObject();
        for (Map.Entry<String, JsonValue> f : fields().entrySet()) {
          g.writeFieldName(f.getKey());
          f.getValue().write(g);
        }
        g.writeEndObject();
        break;
      case ARRAY:
        g.writeStartArray();
        for (JsonValue e : elements()) {
          e.write(g);
        }
        g.writeEndArray();
        break;
      case STRING:
        g.writeString((String) value);
        break;
      case BOOLEAN:
        g.writeBoolean((Boolean) value);
        break;
      case NULL:
        g.writeNull();
        break;
      default:
        writeNumber(g, (Number) value);
    }
  }

  private static void writeNumber(JsonGenerator g, Number n) throws IOException {
    if (n instanceof Integer) {
      g.writeNumber(n.intValue());
    } else if (n instanceof Long) {
      g.writeNumber(n.longValue());
    } else if (n instanceof BigInteger) {
      g.writeNumber((BigInteger) n);
    } else if (n instanceof Float) {
      g.writeNumber(n.floatValue());
    } else if (n instanceof BigDecimal) {
      g.writeNumber((BigDecimal) n);
    } else {
      g.writeNumber(n.doubleValue());
    }
  }
}
