package dev.telemetryagent.agent.jmx;

import dev.telemetryagent.agent.AgentRuntime;
import dev.telemetryagent.agent.config.ConfigKeys;
import dev.telemetryagent.agent.diag.SelfMetrics;
import dev.telemetryagent.bootstrap.Dispatch;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the agent's {@link AgentMXBean} in the platform MBean server.
 *
 * <p>After an attach the application is running already, so registration happens at once, on the attach listener
 * thread, and {@code status} works as soon as {@code attach} returns. At start-up it happens on a short-lived agent
 * thread, {@link #STARTUP_DELAY_MILLIS} after {@code premain}: creating the platform MBean server loads and
 * initialises a few hundred JDK classes, and doing that while the application starts took about 85 ms from its
 * start-up on two cores (docs/benchmarks.md). The CLI waits for the registration ({@code Vms.withAgentBean}).
 */
public final class AgentMBeans {

  /** How long after {@code premain} the MXBean is registered at start-up. */
  public static final long STARTUP_DELAY_MILLIS = 2_000;

  private AgentMBeans() {}

  /**
   * Publishes the agent's status: the MXBean (unless {@code telemetry.agent.jmx.enabled=false}), registered now
   * ({@code attach}) or from a daemon thread ({@code start-up}), and the self-metrics when
   * {@code telemetry.agent.metrics.enabled=true}. Never throws.
   */
  public static void publish(AgentRuntime runtime, String how, long installNanos) {
    try {
      AgentStatus status = new AgentStatus(runtime, System.currentTimeMillis(), installNanos / 1_000_000);
      if (runtime.config().get(ConfigKeys.METRICS_ENABLED)) {
        SelfMetrics.start(status, runtime.pipeline().settings(), runtime.config().get(ConfigKeys.METRICS_INTERVAL));
      }
      if (!runtime.config().get(ConfigKeys.JMX_ENABLED)) {
        return;
      }
      if ("attach".equals(how)) {
        register(status);
        return;
      }
      Thread t = new Thread(() -> {
        markAgentThread();
        try {
          Thread.sleep(STARTUP_DELAY_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        register(status);
      }, "telemetry-agent-jmx");
      t.setDaemon(true);
      t.start();
    } catch (Throwable t) {
      System.err.println("[telemetry-agent] status MXBean not registered: " + t);
    }
  }

  /**
   * Marks the calling thread as the agent's own. Guarded: an older bootstrap {@code Dispatch} already in the JVM may
   * declare the method with another return type (then the thread is left unmarked rather than dying).
   */
  public static void markAgentThread() {
    try {
      Dispatch.markCurrentThreadAsAgent();
    } catch (LinkageError ignored) {
      // an older bootstrap; nothing the agent thread does is logged through the application's frameworks anyway
    }
  }

  /** Registers {@code status}; returns false (and says why on stderr) when it cannot. */
  public static boolean register(AgentMXBean status) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName(AgentMXBean.OBJECT_NAME);
      if (server.isRegistered(name)) {
        return false; // a previous copy of the agent in this JVM owns it
      }
      server.registerMBean(status, name);
      return true;
    } catch (Throwable t) {
      System.err.println("[telemetry-agent] status MXBean not registered: " + t);
      return false;
    }
  }
}
