package dev.telemetryagent.sample;

/**
 * Obviously synthetic credentials the sample app "leaks" into exception messages and a few log messages, so the
 * agent's scrubbing has something to do. None of these is real: the AWS pair is AWS's documented example, the
 * bearer token's payload is {@code {"sub":"demo-user","role":"sample"}} with the signature "not-a-real-signature".
 */
final class FakeSecrets {

  static final String AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String JDBC_URL = "jdbc:postgresql://db.internal:5432/orders?user=app&password=Sup3rS3cret-demo";
  static final String BEARER_TOKEN =
      "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLXVzZXIiLCJyb2xlIjoic2FtcGxlIn0.bm90LWEtcmVhbC1zaWduYXR1cmU";
  static final String EMAIL = "alice.demo@example.com";

  private FakeSecrets() {}
}
