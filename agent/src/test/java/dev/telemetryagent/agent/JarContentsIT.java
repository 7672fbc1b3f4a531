package dev.telemetryagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lists every entry of the built telemetry-agent.jar: nothing may land on the application's class path under a
 * name the application (or another agent) could also use.
 */
class JarContentsIT {

  private static Path jar;
  private static List<String> entries;

  @BeforeAll
  static void open() throws IOException {
    jar = Paths.get(System.getProperty("agent.jar", "target/telemetry-agent.jar"));
    assertThat(jar).as("the packaged agent jar").exists();
    try (JarFile f = new JarFile(jar.toFile())) {
      entries = Collections.list(f.entries()).stream().map(JarEntry::getName).collect(Collectors.toList());
    }
  }

  @Test
  void everyClassIsUnderOurOwnPackage() {
    List<String> foreign = entries.stream()
        .filter(e -> e.endsWith(".class"))
        .filter(e -> !e.startsWith("dev/telemetryagent/"))
        .collect(Collectors.toList());
    assertThat(foreign).as("classes outside dev/telemetryagent/ would clash with the application's").isEmpty();
  }

  @Test
  void thirdPartyCodeIsRelocatedUnderTheShadedPackage() {
    assertThat(entries).anyMatch(e -> e.startsWith("dev/telemetryagent/shaded/org/objectweb/asm/"));
    assertThat(entries).anyMatch(e -> e.startsWith("dev/telemetryagent/shaded/io/opentelemetry/sdk/"));
    assertThat(entries).noneMatch(e -> e.contains("okhttp") || e.contains("kotlin"));
  }

  @Test
  void jacksonIsTheStreamingCoreOnly() {
    // Rule files are read with jackson-core (scrub JsonValue): databind would add ~300 classes to start-up.
    assertThat(entries).anyMatch(e -> e.startsWith("dev/telemetryagent/shaded/com/fasterxml/jackson/core/"));
    assertThat(entries).noneMatch(e -> e.startsWith("dev/telemetryagent/shaded/com/fasterxml/jackson/databind/")
        || e.startsWith("dev/telemetryagent/shaded/com/fasterxml/jackson/annotation/"));
  }

  @Test
  void noMultiReleaseOrModuleEntriesSurvive() {
    assertThat(entries).noneMatch(e -> e.startsWith("META-INF/versions/"));
    assertThat(entries).noneMatch(e -> e.endsWith("module-info.class"));
  }

  @Test
  void serviceFilesNameAndPointToRelocatedTypesOnly() throws IOException {
    List<String> services = entries.stream()
        .filter(e -> e.startsWith("META-INF/services/") && !e.endsWith("/"))
        .collect(Collectors.toList());
    assertThat(services).as("the OTLP exporter finds its HTTP sender through a service file").isNotEmpty();
    try (JarFile f = new JarFile(jar.toFile())) {
      for (String s : services) {
        assertThat(s.substring("META-INF/services/".length())).startsWith("dev.telemetryagent.");
        String content = new String(readAll(f.getInputStream(f.getEntry(s))), StandardCharsets.UTF_8);
        for (String line : content.split("\n")) {
          String l = line.trim();
          if (!l.isEmpty() && !l.startsWith("#")) {
            assertThat(l).as("provider in " + s).startsWith("dev.telemetryagent.");
          }
        }
      }
    }
  }

  @Test
  void theJdkHttpSenderIsTheOnlyHttpSender() throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      JarEntry e = f.getJarEntry(
          "META-INF/services/dev.telemetryagent.shaded.io.opentelemetry.sdk.common.export.HttpSenderProvider");
      assertThat(e).isNotNull();
      String content = new String(readAll(f.getInputStream(e)), StandardCharsets.UTF_8).trim();
      assertThat(content).contains(".sender.jdk.").doesNotContain("okhttp");
    }
  }

  @Test
  void manifestDeclaresTheAgentEntryPointsAndNoLauncherAgent() throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      Attributes main = f.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("dev.telemetryagent.agent.AgentEntry");
      assertThat(main.getValue("Agent-Class")).isEqualTo("dev.telemetryagent.agent.AgentEntry");
      assertThat(main.getValue("Main-Class")).isEqualTo("dev.telemetryagent.agent.AgentEntry");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(main.getValue("Launcher-Agent-Class")).isNull();
      assertThat(main.getValue("Multi-Release")).isNull();
      assertThat(main.getValue("Boot-Class-Path")).isNull();
    }
  }

  @Test
  void bootstrapClassesTravelOnlyInsideTheNestedJar() throws IOException {
    assertThat(entries).noneMatch(e -> e.startsWith("dev/telemetryagent/bootstrap/"));
    assertThat(entries).contains(AgentEntry.BOOTSTRAP_JAR_RESOURCE);
    List<String> nested = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile());
        JarInputStream in = new JarInputStream(new ByteArrayInputStream(
            readAll(f.getInputStream(f.getEntry(AgentEntry.BOOTSTRAP_JAR_RESOURCE)))))) {
      for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
        nested.add(e.getName());
      }
    }
    assertThat(nested).filteredOn(e -> e.endsWith(".class"))
        .isNotEmpty()
        .allMatch(e -> e.startsWith("dev/telemetryagent/bootstrap/"));
  }

  @Test
  void jarSizeIsReported() throws IOException {
    long bytes = Files.size(jar);
    System.out.println("telemetry-agent.jar: " + bytes + " bytes, " + entries.size() + " entries");
    assertThat(bytes).as("a size regression worth a look (docs/benchmarks.md records the size)")
        .isLessThan(20L * 1024 * 1024);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (InputStream i = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n = i.read(buf); n > 0; n = i.read(buf)) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
