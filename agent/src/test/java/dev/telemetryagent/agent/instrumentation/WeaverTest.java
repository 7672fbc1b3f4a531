package dev.telemetryagent.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.telemetryagent.agent.instrumentation.HookPoint.Kind;
import dev.telemetryagent.bootstrap.Dispatch;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The woven code itself, on a class of our own loaded in a fresh class loader: the hook gets the right arguments,
 * the original behaviour (return values, its own try/catch, a loop at offset 0, exceptions thrown out) is intact,
 * a failing hook is counted and never reaches the caller, and the capture scope is left on every way out. The
 * JVM's verifier checks every woven method when the class is loaded, frames included.
 */
class WeaverTest {

  private static final String TARGET = Type.internal(Target.class);
  private static final String HOOKS = Type.internal(Hooks.class);

  /** The class the tests instrument (its bytes are read from the test class path and woven). */
  public static final class Target {
    public String greet(String name, long count, double ratio, int[] values) {
      return name + count + ratio + values.length;
    }

    public int catchesItsOwn(String s) {
      try {
        throw new IllegalStateException(s);
      } catch (IllegalStateException e) {
        return 7;
      }
    }

    public void throwsOut(String s) {
      throw new IllegalArgumentException(s);
    }

    /** javac starts this method with the loop test: the original code has a frame at offset 0. */
    public int loopFirst(int n) {
      while (n > 3) {
        n--;
      }
      return n;
    }

    public static long statics(long a, String b) {
      return a + b.length();
    }

    /** The capture depth seen inside the method (1 within a scope). */
    public int depthInside(String s) {
      return Hooks.depth();
    }

    public void depthThenThrow(String s) {
      Hooks.depthSeen = Hooks.depth();
      throw new UnsupportedOperationException(s);
    }
  }

  /** The hooks woven into {@link Target}. */
  public static final class Hooks {
    public static final List<List<Object>> CALLS = Collections.synchronizedList(new ArrayList<>());
    public static volatile int depthSeen = -1;

    public static void greet(Object self, String name, long count, double ratio, int[] values) {
      CALLS.add(List.of(self.getClass().getName(), name, count, ratio, values.length));
    }

    public static void one(Object self, Object argument) {
      CALLS.add(List.of(self.getClass().getName(), argument));
    }

    public static void statics(long a, String b) {
      CALLS.add(List.of(a, b));
    }

    public static void fails(Object self, Object argument) {
      throw new IllegalStateException("a broken hook");
    }

    public static void thrown(Throwable t) {
      CALLS.add(List.of("thrown", t.getMessage()));
    }

    /** This thread's capture depth (read without changing it). */
    public static int depth() {
      int previous = Dispatch.markCurrentThreadAsAgent();
      Dispatch.restoreCurrentThread(previous);
      return previous;
    }
  }

  @BeforeEach
  void clear() {
    Hooks.CALLS.clear();
    Hooks.depthSeen = -1;
  }

  @Test
  void entryHookGetsThisAndTheChosenArgumentsOfEveryType() throws Exception {
    Object target = woven(point("greet", new String[] {null, "J", "D", "[I"}, Kind.ENTRY, "greet",
        "(Ljava/lang/Object;Ljava/lang/String;JD[I)V", HookPoint.THIS, 0, 1, 2, 3)).getConstructor().newInstance();

    Object result = call(target, "greet", "ada", 42L, 0.5d, new int[3]);

    assertThat(result).isEqualTo("ada420.53");
    assertThat(Hooks.CALLS).containsExactly(List.of(TARGET.replace('/', '.'), "ada", 42L, 0.5d, 3));
  }

  @Test
  void staticMethodsGetTheirArgumentsFromSlotZero() throws Exception {
    Class<?> c = woven(point("statics", new String[] {"J", "Ljava/lang/String;"}, Kind.ENTRY, "statics",
        "(JLjava/lang/String;)V", 0, 1));

    assertThat(c.getMethod("statics", long.class, String.class).invoke(null, 40L, "ab")).isEqualTo(42L);
    assertThat(Hooks.CALLS).containsExactly(List.of(40L, "ab"));
  }

  @Test
  void theMethodsOwnHandlersAndLoopsStillWork() throws Exception {
    Class<?> c = woven(
        point("catchesItsOwn", new String[] {null}, Kind.SCOPED_ENTRY, "one", ONE, HookPoint.THIS, 0),
        point("loopFirst", new String[] {"I"}, Kind.ENTRY, "one", "(Ljava/lang/Object;I)V", HookPoint.THIS, 0));
    Object target = c.getConstructor().newInstance();

    assertThat(call(target, "catchesItsOwn", "x")).as("the original catch ran, not the woven catch-all")
        .isEqualTo(7);
    assertThat(call(target, "loopFirst", 10)).isEqualTo(3);
    assertThat(Hooks.depth()).as("scope left after a normal return").isZero();
  }

  @Test
  void aFailingHookIsCountedAndTheMethodRunsAsBefore() throws Exception {
    Object target = woven(point("catchesItsOwn", new String[] {null}, Kind.ENTRY, "fails", ONE, HookPoint.THIS, 0))
        .getConstructor().newInstance();
    long failuresBefore = Dispatch.adviceFailures();

    assertThat(call(target, "catchesItsOwn", "x")).isEqualTo(7);
    assertThat(Dispatch.adviceFailures()).isEqualTo(failuresBefore + 1);
  }

  @Test
  void aScopeIsOpenInsideTheMethodAndLeftOnEveryWayOut() throws Exception {
    Object target = woven(
        point("depthInside", new String[] {null}, Kind.SCOPED_ENTRY, "one", ONE, HookPoint.THIS, 0),
        point("depthThenThrow", new String[] {null}, Kind.SCOPED_ENTRY, "one", ONE, HookPoint.THIS, 0))
        .getConstructor().newInstance();

    assertThat(call(target, "depthInside", "x")).isEqualTo(1);
    assertThat(Hooks.depth()).isZero();

    assertThatThrownBy(() -> call(target, "depthThenThrow", "y"))
        .isInstanceOf(InvocationTargetException.class)
        .extracting(Throwable::getCause).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Hooks.depthSeen).isEqualTo(1);
    assertThat(Hooks.depth()).as("scope left after a throw").isZero();
    // No sink is installed in this JVM, so Dispatch.enter() says no and the scoped hook is not called.
    assertThat(Hooks.CALLS).isEmpty();
  }

  @Test
  void exitOnThrowSeesTheThrowableWhichGoesOnUnchanged() throws Exception {
    Object target = woven(
        point("throwsOut", new String[] {null}, Kind.EXIT_ON_THROW, "thrown", "(Ljava/lang/Throwable;)V"),
        point("catchesItsOwn", new String[] {null}, Kind.EXIT_ON_THROW, "thrown", "(Ljava/lang/Throwable;)V"))
        .getConstructor().newInstance();

    assertThat(call(target, "catchesItsOwn", "handled inside")).isEqualTo(7);
    assertThatThrownBy(() -> call(target, "throwsOut", "out"))
        .isInstanceOf(InvocationTargetException.class)
        .extracting(Throwable::getCause).isInstanceOf(IllegalArgumentException.class)
        .extracting(Throwable::getMessage).isEqualTo("out");
    assertThat(Hooks.CALLS).as("only the throw that left the method").containsExactly(List.of("thrown", "out"));
  }

  @Test
  void aClassWithoutTheMethodIsLeftAlone() throws IOException {
    assertThat(Weaver.weave(bytes(Target.class), List.of(
        point("noSuchMethod", new String[] {null}, Kind.ENTRY, "one", ONE, HookPoint.THIS, 0)))).isNull();
    assertThat(Weaver.weave(bytes(Target.class), List.of(
        point("greet", new String[] {null}, Kind.ENTRY, "one", ONE, HookPoint.THIS, 0))))
        .as("greet has four parameters, not one").isNull();
  }

  @Test
  void initialFrameListsThisThenEachParameterWithLongsAsOneEntry() {
    assertThat(Weaver.initialLocals("a/B", 0, "(JLjava/lang/String;[IZD)V")).containsExactly("a/B",
        org.objectweb.asm.Opcodes.LONG, "java/lang/String", "[I", org.objectweb.asm.Opcodes.INTEGER,
        org.objectweb.asm.Opcodes.DOUBLE);
  }

  @Test
  void aRefusedBatchIsRetriedClassByClassSoOnlyTheRefusedClassIsLeftOut() {
    List<List<String>> calls = new ArrayList<>();
    java.lang.instrument.Instrumentation inst = (java.lang.instrument.Instrumentation) java.lang.reflect.Proxy
        .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.lang.instrument.Instrumentation.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "getAllLoadedClasses":
                  return new Class<?>[] {String.class, Integer.class, Long.class, Object.class};
                case "isModifiableClass":
                  return true;
                case "retransformClasses":
                  List<String> names = new ArrayList<>();
                  for (Class<?> c : (Class<?>[]) args[0]) {
                    names.add(c.getSimpleName());
                  }
                  calls.add(names);
                  if (names.contains("Integer")) {
                    throw new java.lang.instrument.UnmodifiableClassException("another agent said no");
                  }
                  return null;
                default:
                  return null; // addTransformer
              }
            });
    InstrumentationListener listener = new InstrumentationListener();
    List<HookPoint> points = new ArrayList<>();
    for (String owner : new String[] {"java/lang/String", "java/lang/Integer", "java/lang/Long"}) {
      points.add(new HookPoint(owner, "x", new String[0], Kind.ENTRY, HOOKS, "x", "()V"));
    }

    new Weaver(inst, points, listener, null).install(4);

    assertThat(calls).as("one batch, then one class at a time after the refusal").hasSize(4);
    assertThat(calls.get(0)).containsExactlyInAnyOrder("String", "Integer", "Long");
    assertThat(calls.subList(1, 4)).containsExactlyInAnyOrder(List.of("String"), List.of("Integer"), List.of("Long"));
    assertThat(listener.errorCount()).isEqualTo(1);
    assertThat(listener.lastError()).contains("Integer").contains("another agent said no");
  }

  private static final String ONE = "(Ljava/lang/Object;Ljava/lang/Object;)V";

  private static HookPoint point(String method, String[] parameters, Kind kind, String hook, String descriptor,
      int... arguments) {
    return new HookPoint(TARGET, method, parameters, kind, HOOKS, hook, descriptor, arguments);
  }

  /** Target woven with the points, in a class loader of its own (everything else from the test class path). */
  private static Class<?> woven(HookPoint... points) throws Exception {
    byte[] woven = Weaver.weave(bytes(Target.class), List.of(points));
    assertThat(woven).as("some method matched").isNotNull();
    ClassLoader parent = WeaverTest.class.getClassLoader();
    return new ClassLoader(parent) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(Target.class.getName())) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, woven, 0, woven.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    }.loadClass(Target.class.getName());
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name)) {
        return m.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static byte[] bytes(Class<?> c) throws IOException {
    try (InputStream in = c.getClassLoader().getResourceAsStream(Type.internal(c) + ".class")) {
      return in.readAllBytes();
    }
  }

  private static final class Type {
    static String internal(Class<?> c) {
      return c.getName().replace('.', '/');
    }
  }
}
