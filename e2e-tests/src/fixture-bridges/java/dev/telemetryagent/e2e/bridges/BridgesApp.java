package dev.telemetryagent.e2e.bridges;

import java.util.logging.Level;

/**
 * Logs one line through each API (SLF4J, the Log4j 2 API, java.util.logging) on whatever bridges its class path
 * carries, so that a record crossing frameworks can be checked to arrive exactly once. With jul-to-slf4j on the class
 * path, JUL is routed to SLF4J the usual way (SLF4JBridgeHandler installed on the root logger).
 */
public final class BridgesApp {

  public static void main(String[] args) throws Exception {
    try {
      Class<?> bridge = Class.forName("org.slf4j.bridge.SLF4JBridgeHandler");
      bridge.getMethod("removeHandlersForRootLogger").invoke(null);
      bridge.getMethod("install").invoke(null);
      System.out.println("jul routed to slf4j");
    } catch (ClassNotFoundException notOnClassPath) {
      System.out.println("jul not routed to slf4j");
    }
    org.slf4j.LoggerFactory.getLogger("com.example.bridges.slf4j").info("hello via {}", "slf4j");
    org.apache.logging.log4j.LogManager.getLogger("com.example.bridges.log4j").info("hello via {}", "log4j-api");
    java.util.logging.Logger.getLogger("com.example.bridges.jul").log(Level.INFO, "hello via {0}", "jul");
    org.apache.logging.log4j.LogManager.getLogger("com.example.bridges.log4j")
        .error("failure via log4j-api", new IllegalStateException("bridged failure"));
    System.out.println("done");
  }
}
