package dev.telemetryagent.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.telemetryagent.agent.jmx.AgentMBeans;
import dev.telemetryagent.agent.jmx.AgentMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Everything that touches {@code com.sun.tools.attach} (module {@code jdk.attach}). Only this class links to it, so
 * a runtime without the module fails here with {@link NoClassDefFoundError}, which {@link Cli} turns into a message.
 * Every exchange with a target runs on a daemon thread bounded by a timeout: a JVM that does not answer cannot hang
 * the command.
 */
final class Vms {

  /** One JVM the attach API lists. */
  static final class Listed {
    final long pid;
    final String displayName;

    Listed(long pid, String displayName) {
      this.pid = pid;
      this.displayName = displayName;
    }
  }

  /** Something done with an attached VM. */
  interface VmAction<T> {
    T run(VirtualMachine vm) throws Exception;
  }

  private Vms() {}

  /** Touches the attach API, so that a missing module fails early and cleanly. */
  static void requireAttachModule() {
    VirtualMachine.class.getName();
  }

  /** The JVMs of this user the attach API lists, except this process. */
  static List<Listed> list() {
    long self = ProcessHandle.current().pid();
    List<Listed> out = new ArrayList<>();
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      try {
        long pid = Long.parseLong(d.id());
        if (pid != self) {
          out.add(new Listed(pid, d.displayName()));
        }
      } catch (NumberFormatException ignored) {
        // not a pid-based provider
      }
    }
    return out;
  }

  static boolean isListed(long pid) {
    for (Listed l : list()) {
      if (l.pid == pid) {
        return true;
      }
    }
    return false;
  }

  /**
   * Attaches to {@code pid}, runs {@code action}, detaches; all within {@code timeoutMillis}.
   *
   * @throws CliException with an actionable message on any failure
   */
  static <T> T withVm(long pid, long timeoutMillis, VmAction<T> action) throws CliException {
    String commandLine = ProcessChecks.commandLine(pid);
    Callable<T> work = () -> {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        return action.run(vm);
      } finally {
        try {
          vm.detach();
        } catch (Exception ignored) {
          // nothing to do
        }
      }
    };
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(task, "telemetry-agent-cli-attach-" + pid);
    t.setDaemon(true);
    t.start();
    try {
      return task.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new CliException(1, AttachFailures.notAnswering(pid, timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CliException) {
        throw (CliException) cause;
      }
      throw new CliException(1, AttachFailures.describe(pid, cause, commandLine), cause);
    }
  }

  /** The target's system properties. */
  static Properties systemProperties(VirtualMachine vm) throws Exception {
    return vm.getSystemProperties();
  }

  static void loadAgent(VirtualMachine vm, String jar, String options) throws Exception {
    vm.loadAgent(jar, options);
  }

  /** Something done with the agent's MXBean in an attached VM. */
  interface BeanAction<T> {
    T run(AgentMXBean bean) throws Exception;
  }

  /**
   * Connects to the target's local management agent (starting it if needed; it listens on the loopback interface
   * only) and runs {@code action} on a proxy of the agent's MXBean.
   *
   * @throws CliException (exit 1) when the MXBean is not registered
   */
  static <T> T withAgentBean(VirtualMachine vm, long pid, BeanAction<T> action) throws Exception {
    String address = vm.startLocalManagementAgent();
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection connection = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName(AgentMXBean.OBJECT_NAME);
      // At start-up the agent registers its MXBean a moment after premain (AgentMBeans): wait for it a little.
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AgentMBeans.STARTUP_DELAY_MILLIS + 3_000);
      while (!connection.isRegistered(name) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (!connection.isRegistered(name)) {
        throw new CliException(1, "telemetry-agent runs in pid " + pid + " but its status MXBean ("
            + AgentMXBean.OBJECT_NAME + ") is not registered (yet): at start-up it is registered two seconds after "
            + "the application starts; retry in a few seconds. If it stays missing, it was switched off "
            + "(telemetry.agent.jmx.enabled=false) or failed: see the lines starting with [telemetry-agent] on that "
            + "JVM's stderr.");
      }
      return action.run(JMX.newMXBeanProxy(connection, name, AgentMXBean.class));
    }
  }
}
