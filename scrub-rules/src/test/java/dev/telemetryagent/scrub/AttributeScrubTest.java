package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key-based rules for structured attributes: deny-listed keys and keyed hashes. */
class AttributeScrubTest {
  private final ScrubEngine engine = ScrubEngine.builtIn();

  @Test
  void values_of_deny_listed_keys_are_replaced_whatever_they_look_like() {
    assertThat(engine.scrubAttribute("password", "x")).isEqualTo("<redacted:key:password>");
    assertThat(engine.scrubAttribute("db.password", "hunter2")).isEqualTo("<redacted:key:password>");
    assertThat(engine.scrubAttribute("DB_PASSWORD", "hunter2")).isEqualTo("<redacted:key:password>");
    assertThat(engine.scrubAttribute("userPassword", "hunter2")).isEqualTo("<redacted:key:password>");
    assertThat(engine.scrubAttribute("http.request.header.authorization", "Bearer abc"))
        .isEqualTo("<redacted:key:authorization>");
    assertThat(engine.scrubAttribute("x-api-key", "abc")).isEqualTo("<redacted:key:key>");
    assertThat(engine.scrubAttribute("apiKey", "abc")).isEqualTo("<redacted:key:key>");
    assertThat(engine.scrubAttribute("aws.credentials", "abc")).isEqualTo("<redacted:key:credential>");
    assertThat(engine.scrubAttribute("Set-Cookie", "a=b")).isEqualTo("<redacted:key:cookie>");
  }

  @Test
  void keys_match_by_words_not_substrings() {
    assertThat(engine.scrubAttribute("keyboard.layout", "us")).isEqualTo("us");
    assertThat(engine.scrubAttribute("monkey", "banana")).isEqualTo("banana");
    assertThat(engine.scrubAttribute("tokenizer", "bpe")).isEqualTo("bpe");
  }

  @Test
  void other_attributes_go_through_the_text_rules() {
    assertThat(engine.scrubAttribute("message", "login by bob@example.com"))
        .isEqualTo("login by <redacted:email-address>");
    String plain = "GET /health";
    assertThat(engine.scrubAttribute("http.route", plain)).isSameAs(plain);
  }

  @Test
  void the_deny_list_can_be_replaced() {
    ScrubEngine e = ScrubEngine.builder().denyKeys(List.of("ssn", "internal_note")).build();
    assertThat(e.scrubAttribute("customer.ssn", "x")).isEqualTo("<redacted:key:ssn>");
    assertThat(e.scrubAttribute("internalNote", "x")).isEqualTo("<redacted:key:internal_note>");
    assertThat(e.scrubAttribute("password", "plain")).isEqualTo("plain");
  }

  @Test
  void hash_keys_get_a_stable_keyed_hash_instead_of_the_value() {
    ScrubEngine a = ScrubEngine.builder().hashKeys(List.of("user.id", "tenant_id")).hashSalt("s3cret-salt").build();
    ScrubEngine b = ScrubEngine.builder().hashKeys(List.of("user.id", "tenant_id")).hashSalt("s3cret-salt").build();
    String h = a.scrubAttribute("user.id", "bob");
    assertThat(h).startsWith("hash:").hasSize(5 + 32).doesNotContain("bob");
    assertThat(b.scrubAttribute("userId", "bob")).isEqualTo(h); // same salt, same hash, across instances/restarts
    assertThat(a.scrubAttribute("user.id", "alice")).isNotEqualTo(h);
    assertThat(a.scrubAttribute("tenantId", "acme")).startsWith("hash:");
    assertThat(a.stats().findingsByRule()).containsEntry("hash:user.id", 2L).containsEntry("hash:tenant_id", 1L);
  }

  @Test
  void the_hash_depends_on_the_salt() {
    ScrubEngine a = ScrubEngine.builder().hashKeys(List.of("user.id")).hashSalt("one").build();
    ScrubEngine b = ScrubEngine.builder().hashKeys(List.of("user.id")).hashSalt("two").build();
    assertThat(a.scrubAttribute("user.id", "bob")).isNotEqualTo(b.scrubAttribute("user.id", "bob"));
  }

  @Test
  void the_deny_list_wins_over_hash_keys() {
    ScrubEngine e = ScrubEngine.builder().hashKeys(List.of("session.token")).hashSalt("s").build();
    assertThat(e.scrubAttribute("session.token", "abc")).isEqualTo("<redacted:key:token>");
  }

  @Test
  void hash_keys_without_a_salt_are_a_configuration_error() {
    assertThatThrownBy(() -> ScrubEngine.builder().hashKeys(List.of("user.id")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("hashSalt");
  }

  @Test
  void key_findings_are_counted_per_deny_entry() {
    ScrubEngine e = ScrubEngine.builtIn();
    e.scrubAttribute("password", "a");
    e.scrubAttribute("db.password", "b");
    assertThat(e.stats().findings("key:password")).isEqualTo(2);
  }
}
