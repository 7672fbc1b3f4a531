package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValidatorsTest {
  @Test
  void luhn_accepts_valid_card_numbers_with_or_without_separators() {
    assertThat(Validators.luhn("4111111111111111")).isTrue();
    assertThat(Validators.luhn("4111 1111 1111 1111")).isTrue();
    assertThat(Validators.luhn("5555-5555-5555-4444")).isTrue();
    assertThat(Validators.luhn("378282246310005")).isTrue();
  }

  @Test
  void luhn_rejects_bad_checksums_wrong_lengths_and_repeated_digits() {
    assertThat(Validators.luhn("4111111111111112")).isFalse();
    assertThat(Validators.luhn("411111111111")).isFalse();
    assertThat(Validators.luhn("0000000000000000")).isFalse();
    assertThat(Validators.luhn("4111x11111111111")).isFalse();
  }

  @Test
  void iban_checks_country_length_and_mod_97() {
    assertThat(Validators.iban("DE89370400440532013000")).isTrue();
    assertThat(Validators.iban("GB29 NWBK 6016 1331 9268 19")).isTrue();
    assertThat(Validators.iban("DE89370400440532013001")).isFalse();
    assertThat(Validators.iban("DE8937040044053201300")).isFalse();
    assertThat(Validators.iban("XX89370400440532013000")).isFalse();
  }

  @Test
  void ssn_rejects_never_issued_numbers() {
    assertThat(Validators.ssn("123-45-6789")).isTrue();
    assertThat(Validators.ssn("000-12-3456")).isFalse();
    assertThat(Validators.ssn("666-12-3456")).isFalse();
    assertThat(Validators.ssn("912-12-3456")).isFalse();
    assertThat(Validators.ssn("123-00-3456")).isFalse();
    assertThat(Validators.ssn("123-45-0000")).isFalse();
  }

  @Test
  void entropy_distinguishes_random_tokens_from_words() {
    assertThat(Validators.shannonEntropy("aaaaaaaa")).isZero();
    assertThat(Validators.shannonEntropy("abcdefgh")).isEqualTo(3.0);
    Validators.Validator v = Validators.parse("entropy:3.5:16");
    assertThat(v.accept("q8Zr2LmX9vT4pK7wN3bY")).isTrue();
    assertThat(v.accept("passwordpassword")).isFalse();
    assertThat(v.accept("q8Zr2LmX9v")).isFalse();
  }

  @Test
  void basic_auth_needs_base64_of_user_colon_password() {
    assertThat(Validators.basicAuth("YWxpY2U6czNjcmV0")).isTrue(); // alice:s3cret
    assertThat(Validators.basicAuth("dGVzdA==")).isFalse(); // "test": no colon
    assertThat(Validators.basicAuth("configuration")).isFalse();
  }

  @Test
  void ip_validators() {
    assertThat(Validators.ipv4("192.168.0.1")).isTrue();
    assertThat(Validators.ipv4("256.1.1.1")).isFalse();
    assertThat(Validators.ipv4("1.2.3")).isFalse();
    assertThat(Validators.ipv6("fe80::1ff:fe23:4567:890a")).isTrue();
    assertThat(Validators.ipv6("a::b")).isFalse();
  }

  @Test
  void validators_combine_with_commas_and_unknown_names_are_rejected() {
    Validators.Validator v = Validators.parse("has-digit,entropy:3.0");
    assertThat(v.accept("abcdefghijklmnop")).isFalse();
    assertThat(v.accept("a1b2c3d4e5f6g7h8")).isTrue();
    assertThatThrownBy(() -> Validators.parse("lunh")).hasMessageContaining("unknown validator \"lunh\"");
    assertThatThrownBy(() -> Validators.parse("entropy:x")).hasMessageContaining("entropy:MIN_BITS");
  }
}
