package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom rule files: add, replace and disable rules; bad files are rejected with one clear line. */
class RuleFileTest {
  @TempDir
  Path dir;

  private Path file(String name, String json) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, json, StandardCharsets.UTF_8);
    return p;
  }

  private ScrubEngine engineWith(String json) throws IOException {
    return ScrubEngine.builder().rulesFile(file("rules.json", json)).build();
  }

  private RuleFileException rejected(String json) throws IOException {
    Path p = file("bad.json", json);
    try {
      ScrubEngine.builder().rulesFile(p).build();
    } catch (RuleFileException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("rules file " + p + ": ");
      return e;
    }
    throw new AssertionError("rules file was accepted: " + json);
  }

  @Test
  void a_custom_rule_adds_to_the_built_in_catalog() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"rules\": [{\"id\": \"acme-order-token\","
        + " \"description\": \"ACME order tokens\", \"keywords\": [\"acme_\"], \"lookbehind\": 0,"
        + " \"pattern\": \"\\\\bacme_[0-9a-f]{16}\\\\b\"}]}");
    assertThat(e.scrub("t=acme_0123456789abcdef ok")).isEqualTo("t=<redacted:acme-order-token> ok");
    assertThat(e.scrub("mail a@example.com")).isEqualTo("mail <redacted:email-address>");
    assertThat(e.rules()).filteredOn(r -> r.id().equals("acme-order-token")).singleElement()
        .satisfies(r -> assertThat(r.builtIn()).isFalse());
  }

  @Test
  void a_custom_rule_without_keywords_runs_on_every_string() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"rules\": [{\"id\": \"emp\", \"pattern\": \"EMP-\\\\d{6}\"}]}");
    assertThat(e.scrub("employee EMP-123456 left")).isEqualTo("employee <redacted:emp> left");
  }

  @Test
  void a_custom_rule_can_use_a_secret_group_validator_replacement_and_allow_list() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"rules\": [{\"id\": \"acct\", \"keywords\": [\"acct\"],"
        + " \"pattern\": \"acct=(?P<secret>[0-9 ]{13,23})\", \"validator\": \"luhn\", \"replacement\": \"****\","
        + " \"allow\": [\"4111111111111111\"]}]}");
    assertThat(e.scrub("acct=5555555555554444")).isEqualTo("acct=****");
    assertThat(e.scrub("acct=5555555555554445")).isEqualTo("acct=5555555555554445");
    assertThat(e.scrub("acct=4111111111111111")).isEqualTo("acct=<redacted:credit-card>");
  }

  @Test
  void a_rule_with_a_built_in_id_replaces_the_built_in_rule() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"rules\": [{\"id\": \"email-address\", \"keywords\": [\"@\"],"
        + " \"pattern\": \"[a-z]+@corp\\\\.example\", \"replacement\": \"<employee>\"}]}");
    assertThat(e.scrub("bob@corp.example and bob@example.com")).isEqualTo("<employee> and bob@example.com");
  }

  @Test
  void rules_are_disabled_by_id_with_a_disable_list_or_an_enabled_false_entry() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"disable\": [\"email-address\"],"
        + " \"rules\": [{\"id\": \"ipv4-address\", \"enabled\": false}]}");
    assertThat(e.scrub("bob@example.com from 10.1.2.3")).isEqualTo("bob@example.com from 10.1.2.3");
    assertThat(e.rules()).filteredOn(r -> r.id().equals("email-address")).singleElement()
        .satisfies(r -> assertThat(r.enabled()).isFalse());
  }

  @Test
  void a_user_pattern_with_catastrophic_backtracking_in_java_still_runs_in_linear_time() throws IOException {
    ScrubEngine e = engineWith("{\"formatVersion\": 1, \"rules\": [{\"id\": \"evil\", \"pattern\": \"(a+)+b\"}]}");
    String attack = "a".repeat(50_000) + "!";
    assertThat(org.junit.jupiter.api.Assertions.assertTimeout(Duration.ofSeconds(30), () -> e.scrub(attack)))
        .isSameAs(attack);
    assertThat(e.measureWork(attack)).isLessThan(10L * attack.length());
  }

  @Test
  void lookahead_is_rejected_with_a_clear_message() throws IOException {
    RuleFileException e = rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"la\", \"pattern\": \"foo(?=bar)\"}]}");
    assertThat(e.getMessage()).contains("rule \"la\" (#1)").contains("pattern does not compile with RE2")
        .contains("no lookaround");
  }

  @Test
  void backreferences_are_rejected() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"br\", \"pattern\": \"(a)\\\\1\"}]}").getMessage())
        .contains("rule \"br\"").contains("does not compile");
  }

  @Test
  void a_pattern_that_can_match_nothing_is_rejected() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"empty\", \"pattern\": \"x*\"}]}").getMessage())
        .contains("rule \"empty\"").contains("can match the empty string");
  }

  @Test
  void malformed_json_names_line_and_column() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1,\n \"rules\": [ {\"id\": } ]}").getMessage())
        .contains("malformed JSON at line 2");
  }

  @Test
  void a_missing_or_unsupported_format_version_is_rejected() throws IOException {
    assertThat(rejected("{\"rules\": []}").getMessage()).contains("missing \"formatVersion\"");
    assertThat(rejected("{\"formatVersion\": 7, \"rules\": []}").getMessage()).contains("unsupported formatVersion 7");
  }

  @Test
  void unknown_fields_are_rejected_so_typos_do_not_silently_disable_a_rule() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"t\", \"patern\": \"x\"}]}").getMessage())
        .contains("rule \"t\" (#1): unknown field \"patern\"");
  }

  @Test
  void a_rule_without_id_is_named_by_its_index() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"a\", \"pattern\": \"a\"}, {\"pattern\": \"b\"}]}")
        .getMessage()).contains("rule #2: missing \"id\"");
  }

  @Test
  void other_rule_problems_are_named() throws IOException {
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"v\", \"pattern\": \"a\", \"validator\": \"lunh\"}]}")
        .getMessage()).contains("rule \"v\"").contains("unknown validator");
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"p\", \"pattern\": \"a\", \"prefilter\": \"x\"}]}")
        .getMessage()).contains("unknown prefilter");
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"d\", \"pattern\": \"a\"}, {\"id\": \"d\", \"pattern\": \"b\"}]}")
        .getMessage()).contains("rule \"d\" (#2): duplicate id");
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"m\"}]}").getMessage()).contains("missing \"pattern\"");
    assertThat(rejected("{\"formatVersion\": 1, \"disable\": [\"no-such-rule\"]}").getMessage())
        .contains("rule \"no-such-rule\": cannot disable");
    assertThat(rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"a\", \"pattern\": \"[\"}]}").getMessage())
        .contains("missing closing ]");
  }

  @Test
  void too_many_keywords_in_total_is_a_rule_file_error() throws IOException {
    StringBuilder kws = new StringBuilder();
    for (int i = 0; i < 6000; i++) { // ~12 distinct chars each: far beyond the automaton's 32767 states
      kws.append(i == 0 ? "" : ",").append('"').append(Long.toString((i + 1) * 0x9E3779B97F4A7C15L >>> 1, 36))
          .append('"');
    }
    RuleFileException e = rejected("{\"formatVersion\": 1, \"rules\": [{\"id\": \"many\", \"keywords\": [" + kws
        + "], \"pattern\": \"kw\"}]}");
    assertThat(e.getMessage()).contains("too many keywords");
  }

  @Test
  void a_missing_file_is_reported_by_name() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> ScrubEngine.builder().rulesFile(missing).build())
        .isInstanceOf(RuleFileException.class).hasMessage("rules file " + missing + ": not found");
  }

  @Test
  void after_a_bad_file_the_built_in_rules_still_work() throws IOException {
    Path bad = file("bad.json", "{");
    ScrubEngine engine;
    try {
      engine = ScrubEngine.builder().rulesFile(bad).build();
    } catch (RuleFileException e) {
      engine = ScrubEngine.builtIn(); // what the agent does: report the one-line message, keep the built-ins
    }
    assertThat(engine.scrub("a@example.com")).isEqualTo("<redacted:email-address>");
  }
}
