package dev.telemetryagent.scrub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Post-match validators: a candidate is redacted only when every validator of its rule accepts it. A spec is
 * a comma-separated list of {@code luhn}, {@code card-brand}, {@code iban}, {@code ssn}, {@code basic-auth}, {@code ipv4}, {@code ipv6},
 * {@code has-digit} and {@code entropy:MIN_BITS[:MIN_LENGTH]}.
 */
final class Validators {
  private Validators() {}

  interface Validator {
    boolean accept(CharSequence candidate);
  }

  static final Validator ACCEPT_ALL = c -> true;

  /** Parses a validator spec; throws IllegalArgumentException with a human-readable message. */
  static Validator parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return ACCEPT_ALL;
    }
    List<Validator> all = new ArrayList<>();
    for (String part : spec.split(",")) {
      all.add(parseOne(part.trim()));
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    Validator[] vs = all.toArray(new Validator[0]);
    return c -> {
      for (Validator v : vs) {
        if (!v.accept(c)) {
          return false;
        }
      }
      return true;
    };
  }

  private static Validator parseOne(String spec) {
    String name = spec.toLowerCase(Locale.ROOT);
    switch (name) {
      case "luhn":
        return Validators::luhn;
      case "iban":
        return Validators::iban;
      case "ssn":
        return Validators::ssn;
      case "basic-auth":
        return Validators::basicAuth;
      case "ipv6":
        return Validators::ipv6;
      case "ipv4":
        return Validators::ipv4;
      case "card-brand":
        return Validators::cardBrand;
      case "has-digit":
        return Validators::hasDigit;
      default:
        break;
    }
    if (name.startsWith("entropy:")) {
      String[] p = name.substring("entropy:".length()).split(":");
      try {
        double bits = Double.parseDouble(p[0]);
        int minLen = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        if (p.length > 2 || bits < 0 || bits > 16 || minLen < 0) {
          throw new NumberFormatException();
        }
        return c -> c.length() >= minLen && shannonEntropy(c) >= bits;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad validator \"" + spec
            + "\": expected entropy:MIN_BITS or entropy:MIN_BITS:MIN_LENGTH, e.g. entropy:3.5:16");
      }
    }
    throw new IllegalArgumentException("unknown validator \"" + spec
        + "\" (known: luhn, card-brand, iban, ssn, basic-auth, ipv4, ipv6, has-digit, entropy:BITS[:MINLEN])");
  }

  /** Shannon entropy in bits per character. */
  static double shannonEntropy(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return 0;
    }
    Map<Character, int[]> counts = null;
    int[] ascii = new int[128];
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 128) {
        ascii[c]++;
      } else {
        if (counts == null) {
          counts = new HashMap<>();
        }
        counts.computeIfAbsent(c, k -> new int[1])[0]++;
      }
    }
    double h = 0;
    for (int k : ascii) {
      if (k > 0) {
        double p = (double) k / n;
        h -= p * Math.log(p);
      }
    }
    if (counts != null) {
      for (int[] k : counts.values()) {
        double p = (double) k[0] / n;
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(2);
  }

  static boolean hasDigit(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /** Luhn (ISO/IEC 7812-1) over the digits, ignoring space and dash separators; 13 to 19 digits, not all equal. */
  static boolean luhn(CharSequence s) {
    int sum = 0;
    int digits = 0;
    boolean allSame = true;
    char first = 0;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c == ' ' || c == '-') {
        continue;
      }
      if (c < '0' || c > '9') {
        return false;
      }
      if (digits == 0) {
        first = c;
      } else if (c != first) {
        allSame = false;
      }
      int d = c - '0';
      if ((digits & 1) == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
    }
    return digits >= 13 && digits <= 19 && !allSame && sum % 10 == 0;
  }

  /**
   * Card brand: the issuer prefix and the digit count agree (Visa 4: 13/16/19; Mastercard 51-55, 2221-2720: 16;
   * Amex 34/37: 15; Discover 6011, 644-649, 65: 16-19; JCB 3528-3589: 16-19; Diners 300-305, 36, 38, 39:
   * 14-19; UnionPay 62: 16-19). Space and dash separators are ignored.
   */
  static boolean cardBrand(CharSequence s) {
    StringBuilder d = new StringBuilder(19);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        d.append(c);
      } else if (c != ' ' && c != '-') {
        return false;
      }
    }
    int n = d.length();
    if (n < 13 || n > 19) {
      return false;
    }
    int p2 = Integer.parseInt(d.substring(0, 2));
    int p3 = Integer.parseInt(d.substring(0, 3));
    int p4 = Integer.parseInt(d.substring(0, 4));
    if (d.charAt(0) == '4') {
      return n == 13 || n == 16 || n == 19;
    }
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
      return n == 16;
    }
    if (p2 == 34 || p2 == 37) {
      return n == 15;
    }
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p4 >= 3528 && p4 <= 3589) || p2 == 62) {
      return n >= 16;
    }
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
      return n >= 14;
    }
    return false;
  }

  /** US SSN: AAA-GG-SSSS with area not 000, 666 or 9xx, group not 00, serial not 0000. */
  static boolean ssn(CharSequence s) {
    if (s.length() != 11) {
      return false;
    }
    String t = s.toString();
    int area = Integer.parseInt(t.substring(0, 3));
    int group = Integer.parseInt(t.substring(4, 6));
    int serial = Integer.parseInt(t.substring(7, 11));
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }

  /** The IBAN registry lengths per country (ISO 13616, SWIFT IBAN registry). */
  private static final Map<String, Integer> IBAN_LENGTHS = new HashMap<>();

  static {
    String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18"
        + " DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23"
        + " IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31"
        + " MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24"
        + " SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
    for (String e : table.split(" ")) {
      IBAN_LENGTHS.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
    }
  }

  /** IBAN: known country, registry length, ISO 7064 mod 97-10 checksum. Spaces are ignored. */
  static boolean iban(CharSequence s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ') {
        b.append(c);
      }
    }
    if (b.length() < 15 || b.length() > 34) {
      return false;
    }
    Integer expected = IBAN_LENGTHS.get(b.substring(0, 2));
    if (expected == null || expected != b.length()) {
      return false;
    }
    int mod = 0;
    int n = b.length();
    for (int i = 0; i < n; i++) {
      char c = b.charAt((i + 4) % n);
      int v;
      if (c >= '0' && c <= '9') {
        v = c - '0';
        mod = (mod * 10 + v) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        v = c - 'A' + 10;
        mod = (mod * 100 + v) % 97;
      } else {
        return false;
      }
    }
    return mod == 1;
  }

  /**
   * Basic credentials: base64 that decodes to printable "user:password". Padding is optional, and when the
   * token carries stray trailing characters (a '/' or '+' glued to it) a whole-quad prefix may count.
   */
  static boolean basicAuth(CharSequence s) {
    String b64 = s.toString();
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    if (userColonPassword(b64.substring(0, end))) {
      return true;
    }
    // Up to three whole quads of stray characters glued to the token.
    for (int cut = end - end % 4, tries = 0; cut >= 4 && tries < 4; cut -= 4, tries++) {
      if (userColonPassword(b64.substring(0, cut))) {
        return true;
      }
    }
    return false;
  }

  private static boolean userColonPassword(String b64) {
    if (b64.length() < 4) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String text = new String(decoded, StandardCharsets.UTF_8);
    if (text.indexOf(':') < 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
        return false;
      }
    }
    return true;
  }

  /** IPv4 dotted quad: four groups of 1-3 digits, each at most 255. */
  static boolean ipv4(CharSequence s) {
    int groups = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3) {
          return false;
        }
      } else if (c == '.') {
        if (digits == 0 || value > 255) {
          return false;
        }
        groups++;
        value = 0;
        digits = 0;
      } else {
        return false;
      }
    }
    return groups == 4;
  }

  /** IPv6 sanity: at least one digit and at least two hex groups (rejects C++/Java "a::b"-style names). */
  static boolean ipv6(CharSequence s) {
    int groups = 0;
    boolean inGroup = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        inGroup = false;
      } else if (!inGroup) {
        inGroup = true;
        groups++;
      }
    }
    return hasDigit(s) && groups >= 2;
  }
}
