package dev.telemetryagent.agent.instrumentation;

import dev.telemetryagent.bootstrap.Dispatch;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The agent's class file transformer: weaves one static call per {@link HookPoint} into a handful of methods found
 * by exact class and method name, with plain ASM. Nothing else is looked at: for every other class the JVM loads,
 * {@link #transform} is one hash lookup.
 *
 * <p>Why not Byte Buddy's {@code AgentBuilder} and inlined advice (the first design): it loads and verifies about
 * 1,100 classes in {@code premain}, about 400 ms of start-up on two cores, for a dozen methods whose woven code is
 * a few instructions. The hooks are ordinary static methods ({@code JulHook}, {@code ErrorHooks} in the boot
 * loader; {@link LogbackHook}, {@link Log4jHook} made visible to the framework's loader by {@link HookClasses}).
 *
 * <p>What is woven, for a {@link HookPoint.Kind#SCOPED_ENTRY} point:
 *
 * <pre>{@code
 * try { if (Dispatch.enter()) Hook.m(this, arg...); } catch (Throwable t) { Dispatch.adviceFailed(t); }
 * try { <original body, with Dispatch.exit() before every return> }
 * catch (any) { Dispatch.exit(); throw; }            // last in the exception table: the original's run first
 * }</pre>
 *
 * Only method bodies change (no new members), so classes already loaded can be retransformed. Frames are given
 * explicitly (the method's initial frame at the two join points, an empty-locals frame at the catch-all), so no
 * class is ever loaded to compute them; the woven code uses no local variables of its own.
 */
final class Weaver implements ClassFileTransformer {

  private static final String DISPATCH = Type.getInternalName(Dispatch.class);
  private static final String THROWABLE = "java/lang/Throwable";

  private final Instrumentation inst;
  private final Map<String, List<HookPoint>> byOwner = new HashMap<>();
  private final InstrumentationListener listener;
  private final HookClasses hookClasses;

  Weaver(Instrumentation inst, List<HookPoint> points, InstrumentationListener listener, HookClasses hookClasses) {
    this.inst = inst;
    for (HookPoint p : points) {
      byOwner.computeIfAbsent(p.owner, k -> new ArrayList<>()).add(p);
    }
    this.listener = listener;
    this.hookClasses = hookClasses;
  }

  /** The classes this weaver instruments (class names). */
  Set<String> classNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String owner : byOwner.keySet()) {
      names.add(owner.replace('/', '.'));
    }
    return names;
  }

  /**
   * Registers this weaver and retransforms the matching classes that are loaded already, {@code batchSize} per
   * retransformation with a yield in between (each is a safepoint pause of the application, of about the same length
   * for one class or four). When the JVM or another agent refuses a batch, its classes are retried one at a time, so
   * one refused class cannot keep the others uninstrumented; each refusal is reported.
   */
  void install(int batchSize) {
    inst.addTransformer(this, true);
    List<Class<?>> loaded = new ArrayList<>();
    Set<String> names = classNames();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    for (int from = 0; from < loaded.size(); from += batchSize) {
      List<Class<?>> batch = loaded.subList(from, Math.min(loaded.size(), from + batchSize));
      try {
        inst.retransformClasses(batch.toArray(new Class<?>[0]));
      } catch (Throwable t) {
        if (batch.size() == 1) {
          listener.failed(batch, t);
        } else {
          for (Class<?> c : batch) {
            try {
              inst.retransformClasses(c);
            } catch (Throwable one) {
              listener.failed(Collections.singletonList(c), one);
            }
          }
        }
      }
      Thread.yield();
    }
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    List<HookPoint> points = className == null ? null : byOwner.get(className);
    if (points == null) {
      return null;
    }
    String name = className.replace('/', '.');
    try {
      byte[] woven = weave(classfileBuffer, points);
      if (woven == null) {
        listener.nothingMatched(name);
        return null;
      }
      for (HookPoint p : points) {
        reachable(module, loader, p);
      }
      listener.transformed(name, classBeingRedefined != null);
      return woven;
    } catch (Throwable t) {
      listener.failed(name, t);
      return null; // the class stays as it was
    }
  }

  /**
   * Makes {@link Dispatch} and the point's hook class callable from the instrumented class: the hook class is
   * defined in the class's loader when it comes from the agent jar, and a named module (java.base, java.logging, a
   * framework on the module path) is given read edges to the hooks' modules.
   */
  private void reachable(Module module, ClassLoader loader, HookPoint p) throws Exception {
    Module dispatchModule = Dispatch.class.getModule();
    Module hookModule = hookClasses.isAgentHook(p.hookOwner)
        ? hookClasses.ensure(loader, p.hookOwner.replace('/', '.'))
        : dispatchModule;
    if (module != null && module.isNamed()) {
      Set<Module> reads = new LinkedHashSet<>();
      if (!module.canRead(dispatchModule)) {
        reads.add(dispatchModule);
      }
      if (!module.canRead(hookModule)) {
        reads.add(hookModule);
      }
      if (!reads.isEmpty()) {
        inst.redefineModule(module, reads, Collections.emptyMap(), Collections.emptyMap(), Collections.emptySet(),
            Collections.emptyMap());
      }
    }
  }

  /** The woven class file, or null when no method of the class is a target. Never loads a class. */
  static byte[] weave(byte[] classFile, List<HookPoint> points) {
    ClassReader reader = new ClassReader(classFile); // rejects class file versions newer than ASM knows
    ClassWriter writer = new ClassWriter(reader, 0);
    boolean[] matched = {false};
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      private String owner;
      private boolean frames;

      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        owner = name;
        frames = (version & 0xFFFF) >= Opcodes.V1_6; // stack map frames exist from class file version 50
        super.visit(version, access, name, signature, superName, interfaces);
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || "<init>".equals(name)) {
          return mv;
        }
        for (HookPoint p : points) {
          if (p.matches(name, descriptor)) {
            matched[0] = true;
            return new HookedMethod(mv, p, initialLocals(owner, access, descriptor), argumentSlots(access,
                descriptor), frames);
          }
        }
        return mv;
      }
    }, ClassReader.EXPAND_FRAMES);
    return matched[0] ? writer.toByteArray() : null;
  }

  /** The verifier's view of the locals when the method starts: this, then each parameter. */
  static Object[] initialLocals(String owner, int access, String descriptor) {
    List<Object> locals = new ArrayList<>();
    if ((access & Opcodes.ACC_STATIC) == 0) {
      locals.add(owner);
    }
    for (Type t : Type.getArgumentTypes(descriptor)) {
      switch (t.getSort()) {
        case Type.BOOLEAN:
        case Type.CHAR:
        case Type.BYTE:
        case Type.SHORT:
        case Type.INT:
          locals.add(Opcodes.INTEGER);
          break;
        case Type.FLOAT:
          locals.add(Opcodes.FLOAT);
          break;
        case Type.LONG:
          locals.add(Opcodes.LONG);
          break;
        case Type.DOUBLE:
          locals.add(Opcodes.DOUBLE);
          break;
        case Type.ARRAY:
          locals.add(t.getDescriptor());
          break;
        default:
          locals.add(t.getInternalName());
      }
    }
    return locals.toArray();
  }

  /** Each parameter's local variable slot (this is slot 0 of an instance method). */
  private static int[] argumentSlots(int access, String descriptor) {
    Type[] types = Type.getArgumentTypes(descriptor);
    int[] slots = new int[types.length];
    int slot = (access & Opcodes.ACC_STATIC) == 0 ? 1 : 0;
    for (int i = 0; i < types.length; i++) {
      slots[i] = slot;
      slot += types[i].getSize();
    }
    return slots;
  }

  /** Weaves one point into one method; see the class comment for the shape. */
  private static final class HookedMethod extends MethodVisitor {

    private final HookPoint point;
    private final Object[] initialLocals;
    private final int[] argumentSlots;
    private final Type[] argumentTypes;
    private final boolean frames;
    private final Label bodyStart = new Label();
    private int extraStack;

    HookedMethod(MethodVisitor mv, HookPoint point, Object[] initialLocals, int[] argumentSlots, boolean frames) {
      super(Opcodes.ASM9, mv);
      this.point = point;
      this.initialLocals = initialLocals;
      this.argumentSlots = argumentSlots;
      this.argumentTypes = Type.getArgumentTypes(point.hookDescriptor);
      this.frames = frames;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      if (point.kind != HookPoint.Kind.EXIT_ON_THROW) {
        entry();
      }
      super.visitLabel(bodyStart);
    }

    /** {@code try { [if (Dispatch.enter())] Hook.m(args); } catch (Throwable t) { Dispatch.adviceFailed(t); }} */
    private void entry() {
      Label tryStart = new Label();
      Label tryEnd = new Label();
      Label failed = new Label();
      Label join = new Label();
      super.visitTryCatchBlock(tryStart, tryEnd, failed, THROWABLE);
      super.visitLabel(tryStart);
      if (point.kind == HookPoint.Kind.SCOPED_ENTRY) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "enter", "()Z", false);
        super.visitJumpInsn(Opcodes.IFEQ, join);
      }
      int stack = 0;
      for (int i = 0; i < point.arguments.length; i++) {
        int a = point.arguments[i];
        if (a == HookPoint.THIS) {
          super.visitVarInsn(Opcodes.ALOAD, 0);
        } else {
          super.visitVarInsn(argumentTypes[i].getOpcode(Opcodes.ILOAD), argumentSlots[a]);
        }
        stack += argumentTypes[i].getSize();
      }
      extraStack = Math.max(Math.max(stack, 1), extraStack);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, point.hookOwner, point.hookMethod, point.hookDescriptor, false);
      super.visitLabel(tryEnd);
      super.visitJumpInsn(Opcodes.GOTO, join);
      super.visitLabel(failed);
      frame(initialLocals, THROWABLE);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "adviceFailed", "(Ljava/lang/Throwable;)V", false);
      super.visitLabel(join);
      frame(initialLocals, null);
      super.visitInsn(Opcodes.NOP); // the original code may have a frame of its own at its first instruction
    }

    @Override
    public void visitInsn(int opcode) {
      if (point.kind == HookPoint.Kind.SCOPED_ENTRY && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "exit", "()V", false);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (point.kind != HookPoint.Kind.ENTRY) {
        // The catch-all, visited last so that it comes after every handler of the original code.
        Label bodyEnd = new Label();
        super.visitLabel(bodyEnd);
        frame(new Object[0], THROWABLE);
        if (point.kind == HookPoint.Kind.SCOPED_ENTRY) {
          super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "exit", "()V", false);
        } else {
          super.visitInsn(Opcodes.DUP);
          super.visitMethodInsn(Opcodes.INVOKESTATIC, point.hookOwner, point.hookMethod, point.hookDescriptor,
              false);
          extraStack = Math.max(extraStack, 2);
        }
        super.visitInsn(Opcodes.ATHROW);
        super.visitTryCatchBlock(bodyStart, bodyEnd, bodyEnd, null);
        extraStack = Math.max(extraStack, 1);
      }
      super.visitMaxs(Math.max(maxStack, extraStack), maxLocals);
    }

    private void frame(Object[] locals, String stackTop) {
      if (frames) {
        Object[] stack = stackTop == null ? new Object[0] : new Object[] {stackTop};
        super.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
      }
    }
  }
}
