package dev.telemetryagent.agent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.agent.config.AgentConfig;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.exporter.Redactor;
import dev.telemetryagent.scrub.ScrubEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrubSetupTest {

  private final List<String> warnings = new ArrayList<>();

  private AgentConfig config(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return AgentConfig.load(null, p, Collections.emptyMap(), warnings::add);
  }

  private ScrubEngine engine(AgentConfig config) {
    return ScrubSetup.engine(config, warnings::add);
  }

  @Test
  void defaultsAreTheBuiltInCatalogAndTheDefaultDenyList() {
    AgentConfig config = config();
    ScrubEngine engine = engine(config);
    assertThat(warnings).isEmpty();
    assertThat(engine.denyKeys()).isEqualTo(ScrubEngine.DEFAULT_DENY_KEYS);
    assertThat(engine.hashKeys()).isEmpty();
    assertThat(engine.maxInputChars()).isEqualTo(ScrubEngine.DEFAULT_MAX_INPUT_CHARS);
    assertThat(engine.rules()).hasSizeGreaterThan(50);
    assertThat(ScrubSetup.redactor(ScrubSetup.startEngine(config, warnings::add))).isInstanceOf(EngineRedactor.class);
    assertThat(config.get(ConfigKeys.RESOURCE_COMMAND_LINE)).isFalse();
  }

  @Test
  void everyKeyIsHonoured() {
    ScrubEngine engine = engine(config(
        "telemetry.agent.scrub.deny-keys", "pin, customerNumber",
        "telemetry.agent.scrub.hash-keys", "user.id",
        "telemetry.agent.scrub.hash-salt", "pepper-from-vault",
        "telemetry.agent.scrub.max-input-chars", "2048"));
    assertThat(warnings).isEmpty();
    assertThat(engine.denyKeys()).containsExactly("pin", "customerNumber");
    assertThat(engine.hashKeys()).containsExactly("user.id");
    assertThat(engine.maxInputChars()).isEqualTo(2048);
    assertThat(engine.scrubAttribute("card.pin", "1234")).isEqualTo("<redacted:key:pin>");
    assertThat(engine.scrubAttribute("db.password", "x")).as("not in the configured list").isEqualTo("x");
    assertThat(engine.scrubAttribute("user.id", "42")).startsWith("hash:").doesNotContain("42");
  }

  @Test
  void anEmptyDenyListSwitchesKeyRedactionOff() {
    ScrubEngine engine = engine(config("telemetry.agent.scrub.deny-keys", ""));
    assertThat(engine.denyKeys()).isEmpty();
    assertThat(engine.scrubAttribute("db.password", "x")).isEqualTo("x");
  }

  @Test
  void aCustomRuleFileAddsRules(@TempDir Path dir) throws IOException {
    Path rules = write(dir.resolve("rules.json"), "{\"formatVersion\": 1, \"rules\": [{\"id\": \"order-id\","
        + " \"description\": \"order ids\", \"pattern\": \"ord-[0-9]+\"}]}");
    ScrubEngine engine = engine(config("telemetry.agent.scrub.rules.file", rules.toString(),
        "telemetry.agent.scrub.builtin-rules", "false"));
    assertThat(warnings).isEmpty();
    assertThat(engine.scrub("order ord-10001 for alice@example.com"))
        .isEqualTo("order <redacted:order-id> for alice@example.com");
  }

  @Test
  void aBadRuleFileIsOneClearLineAndTheBuiltInRulesRun(@TempDir Path dir) throws IOException {
    Path rules = write(dir.resolve("bad-rules.json"), "{\"formatVersion\": 1, \"rules\": [{\"id\": \"my-token\","
        + " \"description\": \"broken\", \"pattern\": \"tok_(unclosed\"}]}");
    ScrubEngine engine = engine(config("telemetry.agent.scrub.rules.file", rules.toString(),
        "telemetry.agent.scrub.builtin-rules", "false"));
    assertThat(warnings).hasSize(1);
    String line = warnings.get(0);
    assertThat(line).doesNotContain("\n").contains("telemetry.agent.scrub.rules.file").contains(rules.toString())
        .contains("my-token").contains("pattern").contains("running with the built-in rules");
    assertThat(engine.scrub("key AKIAIOSFODNN7EXAMPLE")).isEqualTo("key <redacted:aws-access-key-id>");
  }

  @Test
  void aMissingRuleFileIsOneLineToo(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    ScrubEngine engine = engine(config("telemetry.agent.scrub.rules.file", missing.toString()));
    assertThat(warnings).singleElement().asString().contains(missing.toString()).contains("not found");
    assertThat(engine.rules()).hasSizeGreaterThan(50);
  }

  @Test
  void hashKeysWithoutASaltAreOneLineAndNoHashing() {
    ScrubEngine engine = engine(config("telemetry.agent.scrub.hash-keys", "user.id"));
    assertThat(warnings).singleElement().asString().contains("telemetry.agent.scrub.hash-keys")
        .contains("telemetry.agent.scrub.hash-salt").contains("without hashing");
    assertThat(engine.hashKeys()).isEmpty();
    assertThat(engine.scrubAttribute("user.id", "42")).isEqualTo("42");
  }

  @Test
  void builtInRulesOffWithoutARuleFileKeepsTheBuiltInRules() {
    ScrubEngine engine = engine(config("telemetry.agent.scrub.builtin-rules", "false"));
    assertThat(warnings).singleElement().asString().contains("telemetry.agent.scrub.rules.file");
    assertThat(engine.rules()).hasSizeGreaterThan(50);
  }

  @Test
  void disabledMeansIdentityAndSaysSo() {
    AgentConfig config = config("telemetry.agent.scrub.enabled", "false");
    ScrubEngine engine = engine(config);
    assertThat(engine).isNull();
    assertThat(ScrubSetup.startEngine(config, w -> { })).isNull();
    assertThat(ScrubSetup.redactor(null)).isSameAs(Redactor.identity());
    assertThat(warnings).singleElement().asString().contains("NOTHING is scrubbed");
  }

  @Test
  void theSaltIsMaskedInStatusAndInErrors() {
    AgentConfig config = config("telemetry.agent.scrub.hash-keys", "user.id",
        "telemetry.agent.scrub.hash-salt", "pepper-from-vault");
    Map<String, String> shown = config.describe();
    assertThat(shown).containsEntry("telemetry.agent.scrub.hash-salt", "****")
        .containsEntry("telemetry.agent.scrub.hash-keys", "[user.id]");
    assertThat(shown.toString()).doesNotContain("pepper-from-vault");
    assertThat(ConfigKeys.SCRUB_HASH_SALT.isSecret()).isTrue();
  }

  @Test
  void badValuesFallBackToTheDefaults() {
    AgentConfig config = config("telemetry.agent.scrub.max-input-chars", "12", "telemetry.agent.scrub.enabled",
        "maybe");
    assertThat(config.get(ConfigKeys.SCRUB_MAX_INPUT_CHARS)).isEqualTo(ScrubEngine.DEFAULT_MAX_INPUT_CHARS);
    assertThat(config.get(ConfigKeys.SCRUB_ENABLED)).isTrue();
    assertThat(warnings).hasSize(2);
  }

  private static Path write(Path file, String content) throws IOException {
    return Files.write(file, content.getBytes(StandardCharsets.UTF_8));
  }
}
