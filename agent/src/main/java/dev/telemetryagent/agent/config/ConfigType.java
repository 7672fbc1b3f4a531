package dev.telemetryagent.agent.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a configuration value is written and parsed. A parser throws {@link IllegalArgumentException} on a value it
 * does not accept; {@link #accepted()} says, in one phrase, what it does accept (it goes into error messages and
 * into {@code docs/configuration.md}).
 */
public abstract class ConfigType<T> {

  private final String accepted;

  private ConfigType(String accepted) {
    this.accepted = accepted;
  }

  /** Parses a raw, already trimmed value. */
  public abstract T parse(String raw);

  /** What values this type accepts, for messages and docs. */
  public final String accepted() {
    return accepted;
  }

  public static final ConfigType<String> STRING = new ConfigType<String>("any text") {
    @Override
    public String parse(String raw) {
      return raw;
    }
  };

  public static final ConfigType<Boolean> BOOLEAN = new ConfigType<Boolean>("true or false") {
    @Override
    public Boolean parse(String raw) {
      String v = raw.toLowerCase(Locale.ROOT);
      if (v.equals("true")) {
        return Boolean.TRUE;
      }
      if (v.equals("false")) {
        return Boolean.FALSE;
      }
      throw new IllegalArgumentException("not a boolean");
    }
  };

  /** A whole number within [min, max]. */
  public static ConfigType<Integer> intRange(int min, int max) {
    return new ConfigType<Integer>("a whole number from " + min + " to " + max) {
      @Override
      public Integer parse(String raw) {
        int v = Integer.parseInt(raw);
        if (v < min || v > max) {
          throw new IllegalArgumentException("out of range");
        }
        return v;
      }
    };
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  /** A byte size: a number with an optional unit (KiB, MiB, GiB; KB/MB/GB are read as the same binary units). */
  public static ConfigType<Long> size(long min, long max) {
    return new ConfigType<Long>("a size such as 65536, 512KiB or 10MiB, from " + min + " to " + max + " bytes") {
      @Override
      public Long parse(String raw) {
        Matcher m = SIZE.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw new IllegalArgumentException("not a size");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = unit.startsWith("k") ? 1024L : unit.startsWith("m") ? 1024L * 1024 : unit.startsWith("g")
            ? 1024L * 1024 * 1024 : 1L;
        long v = Math.multiplyExact(n, factor);
        if (v < min || v > max) {
          throw new IllegalArgumentException("out of range");
        }
        return v;
      }
    };
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** A duration: a number of milliseconds, or a number with ms, s, m or h (the OpenTelemetry convention). */
  public static ConfigType<Duration> duration(Duration min, Duration max) {
    return new ConfigType<Duration>("a duration such as 500ms, 5s or 2m (a bare number is milliseconds), from "
        + min.toMillis() + "ms to " + max.toMillis() + "ms") {
      @Override
      public Duration parse(String raw) {
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw new IllegalArgumentException("not a duration");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d;
        switch (unit) {
          case "s":
            d = Duration.ofSeconds(n);
            break;
          case "m":
            d = Duration.ofMinutes(n);
            break;
          case "h":
            d = Duration.ofHours(n);
            break;
          default:
            d = Duration.ofMillis(n);
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
          throw new IllegalArgumentException("out of range");
        }
        return d;
      }
    };
  }

  /** One of a fixed set of words, case-insensitive; returns the canonical (upper or lower case as declared) word. */
  public static ConfigType<String> oneOf(String... words) {
    return new ConfigType<String>("one of " + String.join(", ", words)) {
      @Override
      public String parse(String raw) {
        for (String w : words) {
          if (w.equalsIgnoreCase(raw)) {
            return w;
          }
        }
        throw new IllegalArgumentException("not one of the accepted values");
      }
    };
  }

  public static final ConfigType<Path> PATH = new ConfigType<Path>("a file system path") {
    @Override
    public Path parse(String raw) {
      return Paths.get(raw);
    }
  };

  /** A comma-separated list; empty entries are dropped. */
  public static final ConfigType<List<String>> LIST = new ConfigType<List<String>>("a comma-separated list") {
    @Override
    public List<String> parse(String raw) {
      List<String> out = new ArrayList<>();
      for (String part : raw.split(",")) {
        String p = part.trim();
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
      return Collections.unmodifiableList(out);
    }
  };

  /** Comma-separated {@code key=value} pairs (the OpenTelemetry convention for headers and resource attributes). */
  public static final ConfigType<Map<String, String>> MAP =
      new ConfigType<Map<String, String>>("comma-separated key=value pairs") {
        @Override
        public Map<String, String> parse(String raw) {
          Map<String, String> out = new LinkedHashMap<>();
          for (String part : raw.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
              continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("entry without key=value");
            }
            out.put(p.substring(0, eq).trim(), decodePercent(p.substring(eq + 1).trim()));
          }
          return Collections.unmodifiableMap(out);
        }
      };

  private static String decodePercent(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    try {
      return java.net.URLDecoder.decode(s.replace("+", "%2B"), "UTF-8");
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
