package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScrubEngineTest {
  private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE"; // AWS's documented example key id
  private static final String GH_TOKEN = "ghp_" + "a1B2c3D4e5".repeat(3) + "x9Y8z7";

  private final ScrubEngine engine = ScrubEngine.builtIn();

  @Test
  void text_without_secrets_comes_back_as_the_same_instance() {
    String line = "2024-01-15 10:23:45.123 INFO [main] c.e.OrderService - Processed order 12345 in 23 ms";
    assertThat(engine.scrub(line)).isSameAs(line);
  }

  @Test
  void null_in_null_out() {
    assertThat(engine.scrub(null)).isNull();
    assertThat(engine.scrubAttribute("k", null)).isNull();
    assertThat(engine.scrubWithFindings(null).text()).isNull();
  }

  @Test
  void empty_string_is_returned_unchanged() {
    String empty = "";
    assertThat(engine.scrub(empty)).isSameAs(empty);
  }

  @Test
  void a_secret_is_replaced_by_a_marker_naming_the_rule() {
    assertThat(engine.scrub("using key " + AWS_KEY + " now")).isEqualTo("using key <redacted:aws-access-key-id> now");
  }

  @Test
  void key_value_rules_keep_the_key_and_replace_only_the_value() {
    assertThat(engine.scrub("db.password=hunter2x; user=bob"))
        .isEqualTo("db.password=<redacted:kv-password>; user=bob");
    assertThat(engine.scrub("{\"password\":\"correct horse battery\",\"user\":\"bob\"}"))
        .isEqualTo("{\"password\":\"<redacted:kv-password>\",\"user\":\"bob\"}");
  }

  @Test
  void home_directories_become_a_tilde_and_the_rest_of_the_path_is_kept() {
    assertThat(engine.scrub("reading /home/alice/app/x.log")).isEqualTo("reading ~/app/x.log");
    assertThat(engine.scrub("at /Users/bob/dev/app")).isEqualTo("at ~/dev/app");
    assertThat(engine.scrub("C:\\Users\\carol\\AppData\\x.txt")).isEqualTo("~\\AppData\\x.txt");
  }

  @Test
  void findings_report_rule_and_offsets_in_the_original_text_never_the_secret() {
    String text = "k=" + AWS_KEY + " mail bob@example.com";
    ScrubResult r = engine.scrubWithFindings(text);
    assertThat(r.findings()).containsExactly(
        new Finding("aws-access-key-id", 2, 22),
        new Finding("email-address", 28, 43));
    assertThat(text.substring(2, 22)).isEqualTo(AWS_KEY);
    assertThat(r.toString()).doesNotContain(AWS_KEY).doesNotContain("bob@example.com");
    assertThat(r.findings().toString()).doesNotContain(AWS_KEY);
  }

  @Test
  void a_multi_line_private_key_block_is_replaced_whole() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq3x9Zz\n-----END RSA PRIVATE KEY-----";
    assertThat(engine.scrub("key:\n" + pem + "\nloaded")).isEqualTo("key:\n<redacted:private-key-pem>\nloaded");
  }

  @Test
  void an_unterminated_private_key_block_is_redacted_to_the_end_of_the_text() {
    assertThat(engine.scrub("x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"))
        .isEqualTo("x <redacted:private-key-pem>");
  }

  @Test
  void overlapping_matches_resolve_to_the_earliest_then_longest() {
    // kv-token and github-pat-classic both cover the value; the span is the same, so the catalog order decides
    // (specific token rules come before the generic key=value rules).
    ScrubResult r = engine.scrubWithFindings("token=" + GH_TOKEN);
    assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("github-pat-classic");
    // url-credentials starts before the e-mail-looking "pass@host" part and wins; the host is kept.
    assertThat(engine.scrub("mongodb://admin:s3cretPw@db.example.com:27017/app"))
        .isEqualTo("mongodb://<redacted:url-credentials>@db.example.com:27017/app");
  }

  @Test
  void scrubbing_is_idempotent() {
    String once = engine.scrub("password=abc123xyz token=" + GH_TOKEN + " ip 10.1.2.3 mail a@example.com");
    assertThat(engine.scrub(once)).isEqualTo(once);
  }

  @Test
  void inputs_beyond_the_size_budget_are_truncated_at_whitespace_and_marked() {
    ScrubEngine small = ScrubEngine.builder().maxInputChars(40).build();
    String text = "first words here and " + AWS_KEY + " and then a lot more text that is dropped";
    ScrubResult r = small.scrubWithFindings(text);
    assertThat(r.truncated()).isTrue();
    assertThat(r.text()).startsWith("first words here and ").endsWith("chars>").contains("<truncated:")
        .doesNotContain("AKIA").doesNotContain("dropped");
    assertThat(small.stats().truncations()).isEqualTo(1);
  }

  @Test
  void a_truncated_input_never_leaks_the_head_of_a_cut_token() {
    ScrubEngine small = ScrubEngine.builder().maxInputChars(30).build();
    String out = small.scrub("prefix " + "x".repeat(10) + " " + AWS_KEY + AWS_KEY);
    assertThat(out).doesNotContain("AKIAIOS");
  }

  @Test
  void when_scrubbing_fails_the_caller_gets_the_error_marker_and_the_failure_is_counted() {
    ScrubEngine failing = ScrubEngine.builder().testHook(t -> {
      throw new IllegalStateException("boom");
    }).build();
    assertThat(failing.scrub("password=hunter2")).isEqualTo(ScrubEngine.ERROR_MARKER);
    assertThat(failing.scrubAttribute("message", "x")).isEqualTo(ScrubEngine.ERROR_MARKER);
    ScrubResult r = failing.scrubWithFindings("x");
    assertThat(r.failed()).isTrue();
    assertThat(r.text()).isEqualTo(ScrubEngine.ERROR_MARKER);
    assertThat(failing.stats().scrubErrors()).isEqualTo(3);
  }

  @Test
  void even_an_error_thrown_by_the_jvm_fails_closed() {
    ScrubEngine failing = ScrubEngine.builder().testHook(t -> {
      throw new StackOverflowError();
    }).build();
    assertThat(failing.scrub("secret")).isEqualTo(ScrubEngine.ERROR_MARKER);
  }

  @Test
  void stats_count_findings_per_rule() {
    ScrubEngine e = ScrubEngine.builtIn();
    e.scrub("a@example.com and b@example.com");
    e.scrub("key " + AWS_KEY);
    e.scrub("nothing here");
    ScrubStats s = e.stats();
    assertThat(s.findingsByRule()).containsEntry("email-address", 2L).containsEntry("aws-access-key-id", 1L);
    assertThat(s.findings("jwt")).isZero();
    assertThat(s.totalFindings()).isEqualTo(3);
    assertThat(s.scrubbedStrings()).isEqualTo(3);
    assertThat(s.scrubErrors()).isZero();
  }

  @Test
  void concurrent_scrubbing_gives_the_same_results_and_exact_counts() throws Exception {
    ScrubEngine e = ScrubEngine.builtIn();
    String text = "user bob@example.com key " + AWS_KEY + " from 10.20.30.40";
    String expected = "user <redacted:email-address> key <redacted:aws-access-key-id> from <redacted:ipv4-address>";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          boolean ok = true;
          for (int i = 0; i < 2000; i++) {
            ok &= expected.equals(e.scrub(text));
          }
          return ok;
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(e.stats().findings("email-address")).isEqualTo(8000);
    assertThat(e.stats().findings("ipv4-address")).isEqualTo(8000);
  }

  @Test
  void rules_lists_every_built_in_rule_with_description_and_source() {
    List<RuleInfo> rules = engine.rules();
    assertThat(rules).hasSizeGreaterThanOrEqualTo(40);
    assertThat(rules).allSatisfy(r -> {
      assertThat(r.description()).isNotBlank();
      assertThat(r.source()).isNotBlank();
      assertThat(r.enabled()).isTrue();
      assertThat(r.builtIn()).isTrue();
    });
    assertThat(rules).extracting(RuleInfo::id).doesNotHaveDuplicates()
        .contains("aws-access-key-id", "jwt", "email-address", "credit-card", "home-path-unix");
  }

  @Test
  void the_default_replacement_names_the_rule() {
    assertThat(engine.rules()).filteredOn(r -> !r.id().startsWith("home-path"))
        .allSatisfy(r -> assertThat(r.replacement()).isEqualTo("<redacted:" + r.id() + ">"));
  }

  @Test
  void without_built_in_rules_nothing_is_redacted_by_text_rules() {
    ScrubEngine none = ScrubEngine.builder().builtInRules(false).build();
    String text = "key " + AWS_KEY;
    assertThat(none.scrub(text)).isSameAs(text);
    assertThat(none.rules()).isEmpty();
  }

  @Test
  void non_ascii_text_around_secrets_is_preserved() {
    assertThat(engine.scrub("Benutzer Jürgen — mail jürgen.x@example.com ✓"))
        .isEqualTo("Benutzer Jürgen — mail <redacted:email-address> ✓");
  }
}
