package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Makes the hooks that live in the agent jar ({@link LogbackHook}, {@link Log4jHook}) callable from the framework
 * classes they are woven into. They are compiled against the framework's API, so they must be resolved by the
 * framework's own class loader:
 *
 * <ul>
 *   <li>when that is the loader of the agent jar (the system class loader, where {@code -javaagent} and
 *       {@code attach} put it; the usual {@code -cp} or {@code -jar} application), nothing is needed;
 *   <li>otherwise (a Spring Boot fat jar, a servlet container's web application, a plugin loader) a copy of the
 *       hook class is defined in that loader, once. A hook refers to the framework's API and {@link Dispatch} only.
 * </ul>
 *
 * Classes are defined with {@code jdk.internal.misc.Unsafe#defineClass}, exported to the agent with
 * {@link Instrumentation#redefineModule} (the supported way for an agent to reach JDK internals; it is also what
 * puts the bootstrap classes into the boot loader).
 */
final class HookClasses {

  /** The hook classes that come from the agent jar. */
  private static final Set<String> AGENT_HOOKS = Collections.unmodifiableSet(new HashSet<>(java.util.Arrays.asList(
      LogbackHook.class.getName().replace('.', '/'), Log4jHook.class.getName().replace('.', '/'))));

  private final Instrumentation inst;
  private final ClassLoader agentLoader = HookClasses.class.getClassLoader();
  /** Per class loader (weakly held; null is the boot loader), the hook classes defined in it. */
  private final Map<ClassLoader, Set<String>> defined = new WeakHashMap<>();
  private Object unsafe;
  private Method defineClass;

  HookClasses(Instrumentation inst) {
    this.inst = inst;
  }

  /** Whether {@code internalName} is a hook from the agent jar (else it is in the boot loader already). */
  boolean isAgentHook(String internalName) {
    return AGENT_HOOKS.contains(internalName);
  }

  /**
   * Makes the hook class {@code className} resolvable from {@code loader}; returns the module it is in there.
   *
   * @throws Exception when it cannot be (the caller then leaves the framework class as it was)
   */
  synchronized Module ensure(ClassLoader loader, String className) throws Exception {
    if (loader == agentLoader) {
      return agentLoader.getUnnamedModule();
    }
    Set<String> names = defined.computeIfAbsent(loader, l -> new HashSet<>());
    if (!names.contains(className)) {
      byte[] bytes = classFile(className);
      try {
        define().invoke(unsafe, className, bytes, 0, bytes.length, loader, (ProtectionDomain) null);
      } catch (java.lang.reflect.InvocationTargetException e) {
        // Defined already (a previous copy of the agent in this JVM): fine if it is the loader's own class.
        Class<?> existing = Class.forName(className, false, loader);
        if (existing.getClassLoader() != loader) {
          throw e;
        }
      }
      names.add(className);
    }
    return loader == null ? Dispatch.class.getModule() : loader.getUnnamedModule();
  }

  private Method define() throws ReflectiveOperationException {
    if (defineClass == null) {
      Module javaBase = Object.class.getModule();
      Module self = HookClasses.class.getModule();
      if (!javaBase.isExported("jdk.internal.misc", self)) {
        inst.redefineModule(javaBase, Collections.emptySet(),
            Collections.singletonMap("jdk.internal.misc", Collections.singleton(self)), Collections.emptyMap(),
            Collections.emptySet(), Collections.emptyMap());
      }
      Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
      unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
      defineClass = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ClassLoader.class, ProtectionDomain.class);
    }
    return defineClass;
  }

  private byte[] classFile(String className) throws IOException {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = agentLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the agent jar has no " + resource);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
