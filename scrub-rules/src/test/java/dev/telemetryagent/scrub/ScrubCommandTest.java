package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.scrub.cli.ScrubCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code telemetry-agent scrub}: standard input in, scrubbed standard output out. */
class ScrubCommandTest {
  private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String input, String... args) {
    return ScrubCommand.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scrubs_each_line_of_standard_input() {
    assertThat(run("key " + AWS_KEY + "\nnothing here\n")).isZero();
    assertThat(out()).isEqualTo("key <redacted:aws-access-key-id>\nnothing here\n");
  }

  @Test
  void json_mode_reads_and_writes_one_json_string_per_line() {
    assertThat(run("\"line one\\npassword=hunter2x\"\n\"plain\"\n", "--json")).isZero();
    assertThat(out()).isEqualTo("\"line one\\npassword=<redacted:kv-password>\"\n\"plain\"\n");
  }

  @Test
  void explain_lists_rule_and_positions_but_never_the_secret() {
    assertThat(run("a " + AWS_KEY + "\n", "--explain")).isZero();
    assertThat(out()).isEqualTo("a <redacted:aws-access-key-id>\n[explain] line 1 [2,22) aws-access-key-id\n");
    assertThat(out() + err()).doesNotContain(AWS_KEY);
    assertThat(err()).contains("1 records, 1 findings: aws-access-key-id=1");
  }

  @Test
  void explain_with_json_writes_objects_with_findings() {
    assertThat(run("\"k " + AWS_KEY + "\"\n", "--json", "--explain")).isZero();
    assertThat(out()).isEqualTo("{\"text\":\"k <redacted:aws-access-key-id>\",\"findings\":"
        + "[{\"rule\":\"aws-access-key-id\",\"start\":2,\"end\":22}]}\n");
  }

  @Test
  void a_malformed_json_line_is_replaced_by_the_error_marker_and_reported() {
    assertThat(run("not json\n\"ok\"\n", "--json")).isEqualTo(1);
    assertThat(out()).isEqualTo("\"<redacted:scrub-error>\"\n\"ok\"\n");
    assertThat(err()).contains("line 1: not a JSON string");
  }

  @Test
  void custom_rules_and_no_builtin() throws IOException {
    Path rules = dir.resolve("r.json");
    Files.writeString(rules, "{\"formatVersion\": 1, \"rules\": [{\"id\": \"emp\", \"pattern\": \"EMP-\\\\d{4}\"}]}");
    assertThat(run("EMP-1234 " + AWS_KEY + "\n", "--no-builtin", "--rules", rules.toString())).isZero();
    assertThat(out()).isEqualTo("<redacted:emp> " + AWS_KEY + "\n");
  }

  @Test
  void a_bad_rules_file_exits_1_with_one_clear_line() throws IOException {
    Path rules = dir.resolve("bad.json");
    Files.writeString(rules, "{\"formatVersion\": 1, \"rules\": [{\"id\": \"x\", \"pattern\": \"(?=a)\"}]}");
    assertThat(run("", "--rules", rules.toString())).isEqualTo(1);
    assertThat(err()).startsWith("telemetry-agent scrub: rules file " + rules + ": rule \"x\" (#1): pattern does not compile")
        .hasLineCount(1);
  }

  @Test
  void usage_errors_exit_2() {
    assertThat(run("", "--bogus")).isEqualTo(2);
    assertThat(err()).contains("unknown option --bogus").contains("Usage:");
    err.reset();
    assertThat(run("", "--rules")).isEqualTo(2);
    assertThat(err()).contains("--rules needs a FILE");
    err.reset();
    assertThat(run("", "--no-builtin")).isEqualTo(2);
  }

  @Test
  void help_prints_usage_and_exits_0() {
    assertThat(run("", "--help")).isZero();
    assertThat(out()).contains("Usage: telemetry-agent scrub").contains("--explain").contains("Exit codes");
  }

  @Test
  void list_rules_prints_the_catalog() {
    assertThat(run("", "--list-rules")).isZero();
    assertThat(out()).contains("aws-access-key-id\tenabled\t").contains("home-path-unix\tenabled\t");
  }
}
