package dev.telemetryagent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetryagent.receiver.OtlpReceiver;
import dev.telemetryagent.receiver.ReceivedLog;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged agent captures Logback (through SLF4J) and Log4j 2 core across the versions the product promises,
 * both with the framework on the application class path and with the framework loaded by a child class loader (a
 * {@code URLClassLoader} under the system loader, as Spring Boot fat jars, servlet containers and plugin systems
 * load it). Only what reaches the OTLP receiver is checked, never how the agent instruments, so the test holds for
 * any instrumentation that keeps the behaviour.
 *
 * <p>Each fixture logs an INFO with a parameter, a WARN and an ERROR with an exception that has a cause; each must
 * arrive exactly once with its severity, formatted body, logger name as scope, source and exception attributes.
 *
 * <p>Every version runs on the first JDK of the matrix ({@code -De2e.jdks}, see {@link Jdks#matrix}); the current
 * version of each framework (the one the parent POM manages) runs on every JDK. That keeps the whole matrix near a
 * minute on a 2-core machine.
 */
class FrameworkVersionsTest {

  private static final String LAUNCHER = "dev.telemetryagent.e2e.versions.ChildLoaderLauncher";
  private static final String LOGGER_NAME = "com.example.shop.Orders";
  private static final String ASYNC_SELECTOR = "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector";

  /** Fixtures compiled once per framework directory (and the launcher once), shared by modes and JDKs. */
  private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();

  @RegisterExtension
  final JvmProcesses jvms = new JvmProcesses();

  /** Where the framework's jars live: on the JVM's class path, or only in a child class loader. */
  enum Mode {
    CLASS_PATH("class-path"),
    CHILD_LOADER("child-loader");

    final String id;

    Mode(String id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return id;
    }
  }

  /** One framework version: a directory under {@code target/framework-libs} that the POM fills. */
  static final class Framework {
    final String dir;
    /** The {@code telemetry.agent.source} attribute. */
    final String source;
    /** The jar whose version names the case (logback-classic, log4j-core). */
    final String versionJar;
    final String mainClass;
    /** A framework class that must not be visible to the system class loader in {@link Mode#CHILD_LOADER}. */
    final String frameworkClass;
    /** The logger class the fixture must actually get (proves the intended binding or selector is in effect). */
    final String loggerClass;
    final boolean async;
    /** The version the parent POM manages: run on every JDK. */
    final boolean current;

    private Framework(String dir, String source, String versionJar, String mainClass, String frameworkClass,
        String loggerClass, boolean async, boolean current) {
      this.dir = dir;
      this.source = source;
      this.versionJar = versionJar;
      this.mainClass = mainClass;
      this.frameworkClass = frameworkClass;
      this.loggerClass = loggerClass;
      this.async = async;
      this.current = current;
    }

    static Framework logback(String dir, boolean current) {
      return new Framework(dir, "logback", "logback-classic-", "dev.telemetryagent.e2e.versions.LogbackOrders",
          "ch.qos.logback.classic.Logger", "ch.qos.logback.classic.Logger", false, current);
    }

    static Framework log4j(String dir, boolean async, boolean current) {
      return new Framework(dir, "log4j", "log4j-core-", "dev.telemetryagent.e2e.versions.Log4jOrders",
          "org.apache.logging.log4j.core.Logger",
          async ? "org.apache.logging.log4j.core.async.AsyncLogger" : "org.apache.logging.log4j.core.Logger",
          async, current);
    }

    Path libsDir() {
      return Paths.get(System.getProperty("framework.libs.dir", "target/framework-libs")).resolve(dir)
          .toAbsolutePath().normalize();
    }

    /** The framework's jars (plus the LMAX Disruptor for AsyncLogger). */
    List<Path> libs() {
      List<Path> libs = new ArrayList<>(FixtureApp.jars(libsDir()));
      if (async) {
        libs.addAll(FixtureApp.jars(libsDir().resolveSibling("disruptor")));
      }
      return libs;
    }

    /** The jar that carries the version, e.g. {@code logback-classic-1.2.13.jar}. */
    Path versionJar(List<Path> libs) {
      List<Path> matching = libs.stream().filter(p -> p.getFileName().toString().startsWith(versionJar))
          .collect(Collectors.toList());
      assertThat(matching).as("%s*.jar in %s", versionJar, libsDir()).hasSize(1);
      return matching.get(0);
    }

    String version(List<Path> libs) {
      String name = versionJar(libs).getFileName().toString();
      return name.substring(versionJar.length(), name.length() - ".jar".length());
    }

    /** E.g. {@code logback-1.2.13}, {@code log4j-2.26.1-async}; the jar's version, or the directory's name. */
    String label() {
      String version;
      try {
        version = version(libs());
      } catch (RuntimeException | AssertionError notCopiedYet) {
        return dir + (async ? "-async" : "");
      }
      return source + "-" + version + (async ? "-async" : "");
    }

    @Override
    public String toString() {
      return label();
    }
  }

  private static final List<Framework> FRAMEWORKS = List.of(
      Framework.logback("logback-1.2", false),
      Framework.logback("logback-1.3", false),
      Framework.logback("logback-1.4", false),
      Framework.logback("logback-current", true),
      Framework.log4j("log4j-2.17", false, false),
      Framework.log4j("log4j-current", false, true),
      // AsyncLogger (log4j2.contextSelector=AsyncLoggerContextSelector, LMAX Disruptor on the class path), for the
      // current version only: Log4j before 2.23 needs Disruptor 3.x (a second copy to resolve), and each such case
      // costs two more JVM runs on every JDK.
      Framework.log4j("log4j-current", true, true));

  /** Every framework version on the first JDK of the matrix; the current versions on every JDK; both modes. */
  static Stream<Arguments> cases() {
    List<Jdk> jdks = Jdks.matrix();
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < jdks.size(); i++) {
      for (Framework f : FRAMEWORKS) {
        if (i == 0 || f.current) {
          for (Mode m : Mode.values()) {
            out.add(Arguments.of(jdks.get(i), f, m));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "[{index}] {1} {2} on {0}")
  @MethodSource("cases")
  void everyRecordArrivesOnceWithItsShape(Jdk jdk, Framework framework, Mode mode) throws Exception {
    Jdks.recordRun("FrameworkVersionsTest " + framework + " " + mode, jdk);
    List<Path> libs = framework.libs();
    Path versionJar = framework.versionJar(libs);
    String tag = framework.label() + "/" + mode;
    Path fixtureSources = Paths.get(System.getProperty("versions.fixture.src", "src/fixture-versions"));
    Path classes = COMPILED.computeIfAbsent(framework.dir, d -> FixtureApp.compile("versions-" + d,
        fixtureSources.resolve(framework.source).resolve("java"), libs));

    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JvmProcess.Builder b = jvms.builder("app").jdk(jdk)
          .agent(E2e.requireAgentJar())
          // Records are counted one by one: with folding on, a repeated WARN or ERROR could arrive as a rollup.
          .systemProperty(E2e.DEDUPE_ENABLED, "false")
          .systemProperty(E2e.ENDPOINT, receiver.endpoint())
          .systemProperty(E2e.SERVICE_NAME, "versions-app")
          .systemProperty("telemetry.agent.debug", "true");
      if (framework.source.equals("log4j")) {
        // Log4j's default configuration (no log4j2.xml) logs ERROR and above only.
        b.systemProperty("org.apache.logging.log4j.level", "INFO");
      }
      if (framework.async) {
        b.systemProperty("log4j2.contextSelector", ASYNC_SELECTOR);
      }
      List<Path> fixture = new ArrayList<>();
      fixture.add(classes);
      fixture.addAll(libs);
      if (mode == Mode.CLASS_PATH) {
        b.classpath(fixture, framework.mainClass).args(tag);
      } else {
        Path launcher = COMPILED.computeIfAbsent("launcher", d -> FixtureApp.compile("versions-launcher",
            fixtureSources.resolve("launcher").resolve("java"), List.of()));
        b.classpath(List.of(launcher), LAUNCHER).args(framework.mainClass,
            fixture.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
            framework.frameworkClass, tag);
      }
      JvmProcess app = b.start().assertExitsCleanly(E2e.APP_TIMEOUT);

      // The fixture ran what this case claims: the binding or selector, the version, the class loader.
      List<String> stdout = app.stdoutLines();
      assertThat(stdout).as("fixture stdout; %s", app.describe())
          .contains("fixture: logger class " + framework.loggerClass, "done")
          .anySatisfy(l -> assertThat(l).startsWith("fixture: " + framework.versionJar.replaceAll("-$", "") + " from ")
              .endsWith("/" + versionJar.getFileName()));
      if (mode == Mode.CHILD_LOADER) {
        assertThat(stdout).as("launcher stdout; %s", app.describe()).contains(
            "launcher: " + framework.frameworkClass + " is not on the system class path",
            "launcher: " + framework.mainClass + " loaded by fixture-child",
            "launcher: " + framework.frameworkClass + " loaded by fixture-child");
      }
      ExitSummary summary = ExitSummary.of(app).assertConsistent();
      assertThat(summary.line).as("the agent's own account at exit (debug)")
          .contains("advice_failures=0", "sink_failures=0");

      String info = "order 42 shipped [" + tag + "]";
      String warn = "stock low [" + tag + "]";
      String error = "payment failed [" + tag + "]";
      // The process has exited, so nothing more can be sent: wait for the three records (the receiver may still be
      // storing the last request if the agent's exit flush stopped waiting for it), but not for the count to settle
      // (half a second in each of twenty runs). A fourth record already there still fails the count below.
      List<ReceivedLog> all = ReceiverAwait.awaitLogs(receiver, l -> true, 3, Duration.ofSeconds(10), Duration.ZERO,
          app::describe);
      ReceiverAwait.dump(all, jvms.dir().resolve("received.txt"));
      assertThat(all.stream().map(ReceivedLog::body).collect(Collectors.toList()))
          .as("the three records, each exactly once; %s", app.describe())
          .containsExactlyInAnyOrder(info, warn, error);

      assertRecord(all, info, framework.source, "INFO", 9);
      assertRecord(all, warn, framework.source, "WARN", 13);
      ReceivedLog failure = assertRecord(all, error, framework.source, "ERROR", 17);
      assertThat(failure.attribute("exception.type")).as("exception.type").isEqualTo(
          "java.lang.IllegalStateException");
      assertThat(failure.attribute("exception.message")).as("exception.message").isEqualTo("boom");
      assertThat(failure.attribute("exception.stacktrace")).as("exception.stacktrace")
          .startsWith("java.lang.IllegalStateException: boom")
          .contains("Caused by: java.io.IOException: disk");
      assertThat(all.stream().filter(l -> l != failure).map(l -> l.attribute("exception.type")))
          .as("exception.type on records logged without an exception").containsOnlyNulls();

      AgentContract.assertNothingFromTheAgentItself(all);
      AgentContract.assertWellFormed(all, Severities.INFO);
      AgentContract.assertResource(all, "versions-app");
    }
  }

  private static ReceivedLog assertRecord(List<ReceivedLog> all, String body, String source, String level,
      int severity) {
    ReceivedLog l = all.stream().filter(r -> body.equals(r.body())).findFirst().orElseThrow();
    assertThat(l.severityText()).as("severity text of '%s'", body).isEqualTo(level);
    assertThat(l.severityNumber()).as("severity number of '%s'", body).isEqualTo(severity);
    assertThat(l.scopeName()).as("scope (logger name) of '%s'", body).isEqualTo(LOGGER_NAME);
    assertThat(l.attribute("telemetry.agent.source")).as("telemetry.agent.source of '%s'", body).isEqualTo(source);
    assertThat(l.attribute("thread.name")).as("thread.name of '%s' (the logging thread)", body).isEqualTo("main");
    return l;
  }
}
