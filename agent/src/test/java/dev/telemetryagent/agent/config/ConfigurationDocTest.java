package dev.telemetryagent.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from {@link ConfigKeys}; this test fails when the page is stale. */
class ConfigurationDocTest {

  private static final Path DOC = Paths.get("..", "docs", "configuration.md");

  @Test
  void configurationPageMatchesTheDeclarations() throws IOException {
    String expected = ConfigDocs.render();
    if (Boolean.getBoolean("telemetry.agent.docs.update")) {
      Files.write(DOC, expected.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(DOC).as("docs/configuration.md is stale; regenerate it with:%n"
        + "  mvn -pl agent test -Dtest=ConfigurationDocTest -Dtelemetry.agent.docs.update=true").exists();
    String actual = new String(Files.readAllBytes(DOC), StandardCharsets.UTF_8);
    assertThat(actual).as("docs/configuration.md is stale; regenerate it with:%n"
        + "  mvn -pl agent test -Dtest=ConfigurationDocTest -Dtelemetry.agent.docs.update=true").isEqualTo(expected);
  }

  @Test
  void everyKeyIsOnThePage() {
    String page = ConfigDocs.render();
    for (ConfigKey<?> key : ConfigKeys.all()) {
      assertThat(page).contains("`" + key.name() + "`").contains("`" + key.envName() + "`");
    }
  }
}
