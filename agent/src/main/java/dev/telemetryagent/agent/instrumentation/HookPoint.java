package dev.telemetryagent.agent.instrumentation;

import java.util.Arrays;
import org.objectweb.asm.Type;

/**
 * One method the agent instruments and the static call woven into it: the whole description of an instrumentation
 * point, so {@link Weaver} stays generic. Target and hook are given as JVM internal names and descriptors.
 */
final class HookPoint {

  /** Where the hook is called and what it is given. */
  enum Kind {
    /**
     * At the start, inside a capture scope: {@code if (Dispatch.enter()) hook(args)}; every way out of the method,
     * returns and throws alike, calls {@code Dispatch.exit()}. Whatever the method logs through other frameworks
     * (bridges) is then not captured a second time.
     */
    SCOPED_ENTRY,
    /** At the start: {@code hook(args)}; the hook manages its own capture scope. */
    ENTRY,
    /** When the method is left by a throw: {@code hook(thrown)}, then the throwable goes on unchanged. */
    EXIT_ON_THROW
  }

  /** {@link #argument} value for {@code this}. */
  static final int THIS = -1;

  final String owner;
  final String method;
  private final String[] parameters;
  final Kind kind;
  final String hookOwner;
  final String hookMethod;
  final String hookDescriptor;
  final int[] arguments;

  /**
   * @param owner the instrumented class (internal name)
   * @param method the instrumented method's name
   * @param parameters its parameter type descriptors; a null entry matches any type
   * @param kind where the hook is called
   * @param hookOwner the hook's class (internal name)
   * @param hookMethod the hook's name (a public static void method)
   * @param hookDescriptor the hook's descriptor
   * @param arguments what the hook is given at entry: {@link #THIS} or a parameter index, in order (ignored for
   *     {@link Kind#EXIT_ON_THROW}, which passes the throwable)
   */
  HookPoint(String owner, String method, String[] parameters, Kind kind, String hookOwner, String hookMethod,
      String hookDescriptor, int... arguments) {
    this.owner = owner;
    this.method = method;
    this.parameters = parameters.clone();
    this.kind = kind;
    this.hookOwner = hookOwner;
    this.hookMethod = hookMethod;
    this.hookDescriptor = hookDescriptor;
    this.arguments = arguments.clone();
  }

  /** Whether the method {@code name}{@code descriptor} is this point's target (any return type). */
  boolean matches(String name, String descriptor) {
    if (!method.equals(name)) {
      return false;
    }
    Type[] actual = Type.getArgumentTypes(descriptor);
    if (actual.length != parameters.length) {
      return false;
    }
    for (int i = 0; i < actual.length; i++) {
      if (parameters[i] != null && !parameters[i].equals(actual[i].getDescriptor())) {
        return false;
      }
    }
    return true;
  }

  /** The owner as a class name ({@code java.util.logging.Logger}). */
  String ownerClassName() {
    return owner.replace('/', '.');
  }

  @Override
  public String toString() {
    return ownerClassName() + "#" + method + Arrays.toString(parameters);
  }
}
