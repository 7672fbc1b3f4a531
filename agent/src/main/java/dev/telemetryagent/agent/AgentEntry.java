package dev.telemetryagent.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * The agent jar's entry points: {@code premain} ({@code -javaagent}), {@code agentmain} (attach) and {@code main}
 * (the CLI). Boring on purpose: catch everything, report once on stderr, never start anything twice.
 *
 * <p>This class must not link to {@code dev.telemetryagent.bootstrap} classes: they become visible only after
 * {@link #injectBootstrap} appended them to the bootstrap class path, so everything after that step is reached
 * reflectively through {@code AgentInstaller}.
 */
public final class AgentEntry {

  /** The system property set once the agent is installed; its value is "version;how". */
  public static final String INSTALLED_MARKER = "telemetry.agent.installed";

  static final String BOOTSTRAP_JAR_RESOURCE = "telemetry-agent/bootstrap.jar.bin";

  private AgentEntry() {}

  public static void premain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst, "start-up");
  }

  public static void agentmain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst, "attach");
  }

  public static void main(String[] args) throws Exception {
    Class<?> cli = Class.forName("dev.telemetryagent.agent.cli.Cli");
    Method run = cli.getMethod("run", String[].class);
    int code = (Integer) run.invoke(null, (Object) args);
    System.exit(code);
  }

  private static synchronized void start(String agentArgs, Instrumentation inst, String how) {
    try {
      if (System.getProperty(INSTALLED_MARKER) != null) {
        return; // a second -javaagent or attach: already running, start nothing twice
      }
      injectBootstrap(inst);
      Class<?> installer = Class.forName("dev.telemetryagent.agent.AgentInstaller");
      installer.getMethod("install", String.class, Instrumentation.class, String.class)
          .invoke(null, agentArgs, inst, how);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
          ? t.getCause() : t;
      System.err.println("[telemetry-agent] not started, the application runs without it: " + cause);
    }
  }

  /**
   * Defines the nested bootstrap jar's classes in the bootstrap class loader, once. Skipped when {@code Dispatch} is
   * already visible from the bootstrap loader (a second load of the agent in the same JVM).
   *
   * <p>The classes are defined directly, with {@code jdk.internal.misc.Unsafe#defineClass} exported to the agent
   * through {@link Instrumentation#redefineModule} (the supported way for an agent to reach JDK internals; unlike
   * {@code sun.misc.Unsafe} it prints no deprecation warning on JDK 24+), rather than appended with
   * {@link Instrumentation#appendToBootstrapClassLoaderSearch}: appending makes HotSpot print "Sharing is only
   * supported for boot loader classes because bootstrap classpath has been appended" into the application's
   * stderr, and leaves a temporary jar behind. Appending remains the fallback where injection is unavailable.
   */
  static void injectBootstrap(Instrumentation inst) throws Exception {
    try {
      Class.forName("dev.telemetryagent.bootstrap.Dispatch", false, null);
      return;
    } catch (ClassNotFoundException expected) {
      // not yet injected
    }
    Map<String, byte[]> classes = readBootstrapClasses();
    if (!defineInBootLoader(inst, classes)) {
      appendToBootstrap(inst);
    }
    Class.forName("dev.telemetryagent.bootstrap.Dispatch", false, null); // fails loudly if injection failed
  }

  /** Defines the classes in the boot loader; false (nothing defined) where the JDK does not allow it. */
  private static boolean defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes) {
    Object unsafe;
    Method define;
    try {
      Module javaBase = Object.class.getModule();
      inst.redefineModule(javaBase, Collections.emptySet(),
          Collections.singletonMap("jdk.internal.misc", Collections.singleton(AgentEntry.class.getModule())),
          Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
      Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
      unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
      define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ClassLoader.class, ProtectionDomain.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      try {
        define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot define " + c.getKey() + " in the boot loader", e);
      }
    }
    return true;
  }

  private static Map<String, byte[]> readBootstrapClasses() throws Exception {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (InputStream raw = bootstrapJar().openStream(); JarInputStream in = new JarInputStream(raw)) {
      for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            bytes.write(buf, 0, n);
          }
          classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), bytes.toByteArray());
        }
      }
    }
    if (classes.isEmpty()) {
      throw new IllegalStateException(BOOTSTRAP_JAR_RESOURCE + " holds no classes: a broken build?");
    }
    return classes;
  }

  private static void appendToBootstrap(Instrumentation inst) throws Exception {
    Path tmp = Files.createTempFile("telemetry-agent-bootstrap-", ".jar");
    File file = tmp.toFile();
    file.deleteOnExit();
    try (InputStream in = bootstrapJar().openStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
  }

  private static URL bootstrapJar() {
    URL resource = AgentEntry.class.getClassLoader().getResource(BOOTSTRAP_JAR_RESOURCE);
    if (resource == null) {
      throw new IllegalStateException("the agent jar has no " + BOOTSTRAP_JAR_RESOURCE + ": a broken build?");
    }
    return resource;
  }
}
