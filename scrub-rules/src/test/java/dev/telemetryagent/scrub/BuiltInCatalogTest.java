package dev.telemetryagent.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The shipped catalog: one rule per kind, each catching its own kind when the secret stands alone. */
class BuiltInCatalogTest {
  private static final ScrubEngine ENGINE = ScrubEngine.builtIn();

  static Stream<String> kinds() {
    return Corpus.load().kinds.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void each_rule_fires_on_its_own_kind(String kind) {
    Corpus.Kind k = Corpus.load().kinds.get(kind);
    String sample = k.positives.get(0).text;
    List<Finding> findings = ENGINE.scrubWithFindings(sample).findings();
    assertThat(findings).as("findings for %s", k.positives.get(0)).extracting(Finding::ruleId).contains(kind);
  }

  @Test
  void the_catalog_has_a_format_version_and_at_least_40_kinds() {
    RuleLoader.RuleSet set = ScrubEngine.builtInRuleSet();
    assertThat(set.rules).hasSizeGreaterThanOrEqualTo(40);
    assertThat(set.enabled).allMatch(e -> e);
  }

  @Test
  void no_rule_can_match_the_empty_string() {
    // Checked here rather than each time the agent starts (RuleLoader checks rule files from users every time).
    assertThat(ScrubEngine.builtInRuleSet().rules)
        .allSatisfy(r -> assertThat(RuleLoader.emptyMatch(r.pattern)).as(r.id).isNull());
  }

  @Test
  void every_keyword_triggered_rule_bounds_its_lookbehind() {
    // Rules without a bound would scan the whole text whenever a keyword occurs; all built-ins are bounded.
    assertThat(ScrubEngine.builtInRuleSet().rules).filteredOn(r -> !r.keywords.isEmpty())
        .allSatisfy(r -> assertThat(r.lookbehind).as(r.id).isNotNegative());
  }
}
