package dev.telemetryagent.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  private final List<String> warnings = new ArrayList<>();

  private AgentConfig load(String args, Properties props, Map<String, String> env) {
    return AgentConfig.load(args, props, env, warnings::add);
  }

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    AgentConfig config = load(null, new Properties(), Collections.emptyMap());

    assertThat(config.get(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("INFO");
    assertThat(config.get(ConfigKeys.FILE_MAX_FILE_SIZE)).isEqualTo(10L * 1024 * 1024);
    assertThat(config.get(ConfigKeys.FILE_MAX_FILES)).isEqualTo(5);
    assertThat(config.get(ConfigKeys.CAPTURE_CONTEXT_KEYS)).isEmpty();
    assertThat(config.get(ConfigKeys.OTLP_ENDPOINT)).isNull();
    assertThat(config.origin(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("default");
    assertThat(warnings).isEmpty();
  }

  @Test
  void systemPropertyBeatsEnvironmentWhichBeatsFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("agent.properties");
    Files.write(file, ("telemetry.agent.capture.level=ERROR\n"
        + "otel.service.name=from-file\n"
        + "telemetry.agent.file.max-files=9\n").getBytes("UTF-8"));
    Map<String, String> env = new HashMap<>();
    env.put("TELEMETRY_AGENT_CAPTURE_LEVEL", "WARN");
    env.put("OTEL_SERVICE_NAME", "from-env");
    env.put("TELEMETRY_AGENT_CONFIG_FILE", file.toString());

    AgentConfig config = load(null, props("otel.service.name", "from-sysprop"), env);

    assertThat(config.get(ConfigKeys.SERVICE_NAME)).isEqualTo("from-sysprop");
    assertThat(config.get(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("WARN");
    assertThat(config.origin(ConfigKeys.CAPTURE_LEVEL))
        .isEqualTo("environment variable TELEMETRY_AGENT_CAPTURE_LEVEL");
    assertThat(config.get(ConfigKeys.FILE_MAX_FILES)).isEqualTo(9);
    assertThat(config.origin(ConfigKeys.FILE_MAX_FILES)).isEqualTo("file " + file);
  }

  @Test
  void agentArgumentsBeatSystemProperties() {
    AgentConfig config = load("otel.service.name=from-args;-Dtelemetry.agent.capture.level=DEBUG",
        props("otel.service.name", "from-sysprop"), Collections.emptyMap());

    assertThat(config.get(ConfigKeys.SERVICE_NAME)).isEqualTo("from-args");
    assertThat(config.get(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("DEBUG");
  }

  @Test
  void invalidValueFallsBackToDefaultWithOneLineNamingKeySourceAndAcceptedValues() {
    AgentConfig config = load(null, props("telemetry.agent.capture.level", "LOUD"), Collections.emptyMap());

    assertThat(config.get(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("INFO");
    assertThat(warnings).containsExactly("invalid value 'LOUD' for telemetry.agent.capture.level (system property):"
        + " expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF; using the default INFO");
  }

  @Test
  void invalidValueInAHigherSourceDoesNotFallThroughToALowerOne() {
    Map<String, String> env = Collections.singletonMap("TELEMETRY_AGENT_FILE_MAX_FILES", "7");

    AgentConfig config = load(null, props("telemetry.agent.file.max-files", "many"), env);

    assertThat(config.get(ConfigKeys.FILE_MAX_FILES)).isEqualTo(5);
    assertThat(warnings).singleElement().asString().contains("telemetry.agent.file.max-files")
        .contains("a whole number from 1 to 1000");
  }

  @Test
  void secretValuesAreNeverEchoed() {
    AgentConfig config = load(null, props("otel.exporter.otlp.headers", "authorization=Bearer abc,broken"),
        Collections.emptyMap());

    assertThat(config.get(ConfigKeys.OTLP_HEADERS)).isNull();
    assertThat(warnings).singleElement().asString().contains("****").doesNotContain("abc");
  }

  @Test
  void describeMasksSecrets() {
    AgentConfig config = load(null, props("otel.exporter.otlp.headers", "authorization=Bearer abc"),
        Collections.emptyMap());

    assertThat(config.get(ConfigKeys.OTLP_HEADERS)).containsEntry("authorization", "Bearer abc");
    assertThat(config.describe()).containsEntry("otel.exporter.otlp.headers", "****");
    assertThat(config.describe().toString()).doesNotContain("abc");
  }

  @Test
  void unknownKeysUnderOurPrefixAreReported() {
    load(null, props("telemetry.agent.capture.levle", "INFO", "otel.unrelated", "x"), Collections.emptyMap());

    assertThat(warnings).containsExactly(
        "unknown configuration key telemetry.agent.capture.levle (system property); see docs/configuration.md");
  }

  @Test
  void unreadableFileIsReportedAndIgnored(@TempDir Path dir) {
    Path missing = dir.resolve("missing.properties");

    AgentConfig config = load(null, props("telemetry.agent.config.file", missing.toString()),
        Collections.emptyMap());

    assertThat(config.get(ConfigKeys.CAPTURE_LEVEL)).isEqualTo("INFO");
    assertThat(warnings).singleElement().asString().startsWith("cannot read telemetry.agent.config.file");
  }

  @Test
  void typesParseTheirDocumentedForms() {
    assertThat(ConfigType.size(0, Long.MAX_VALUE).parse("64KiB")).isEqualTo(65536L);
    assertThat(ConfigType.size(0, Long.MAX_VALUE).parse("10MB")).isEqualTo(10L * 1024 * 1024);
    assertThat(ConfigType.duration(Duration.ZERO, Duration.ofHours(1)).parse("250")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigType.duration(Duration.ZERO, Duration.ofHours(1)).parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ConfigType.LIST.parse(" jobId, ,tenant ")).containsExactly("jobId", "tenant");
    assertThat(ConfigType.MAP.parse("a=1, b=x%3Dy")).containsEntry("a", "1").containsEntry("b", "x=y");
    assertThat(ConfigType.oneOf("none", "gzip").parse("GZIP")).isEqualTo("gzip");
  }

  @Test
  void everyKeyHasADistinctNameAndEnvironmentVariable() {
    assertThat(ConfigKeys.all()).extracting(ConfigKey::name).doesNotHaveDuplicates();
    assertThat(ConfigKeys.all()).extracting(ConfigKey::envName).doesNotHaveDuplicates()
        .allMatch(n -> n.matches("[A-Z0-9_]+"));
  }
}
