package dev.telemetryagent.e2e.versions;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a fixture the way Spring Boot fat jars, servlet containers and plugin systems run application code: from a
 * {@link URLClassLoader} whose parent is the system class loader, holding the logging framework's jars and the
 * fixture's own logging code, none of which is on the JVM's class path. The loader becomes the thread's context
 * class loader (Log4j finds its provider through it), and is left open: the frameworks' shutdown hooks still load
 * classes from it.
 *
 * <p>Arguments: the main class to run, the child loader's class path (path-separator-separated), a class of the
 * framework that must not be visible to the system class loader, then the main class's own arguments.
 */
public final class ChildLoaderLauncher {

  private ChildLoaderLauncher() {}

  public static void main(String[] args) throws Throwable {
    String mainClass = args[0];
    List<URL> urls = new ArrayList<>();
    for (String entry : args[1].split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    String frameworkClass = args[2];
    String[] rest = Arrays.copyOfRange(args, 3, args.length);

    ClassLoader system = ClassLoader.getSystemClassLoader();
    try {
      Class.forName(frameworkClass, false, system);
      throw new IllegalStateException(frameworkClass + " is visible to the system class loader");
    } catch (ClassNotFoundException expected) {
      System.out.println("launcher: " + frameworkClass + " is not on the system class path");
    }

    URLClassLoader child = new URLClassLoader("fixture-child", urls.toArray(new URL[0]), system);
    Thread.currentThread().setContextClassLoader(child);
    Class<?> main = Class.forName(mainClass, true, child);
    System.out.println("launcher: " + mainClass + " loaded by " + main.getClassLoader().getName());
    System.out.println("launcher: " + frameworkClass + " loaded by "
        + Class.forName(frameworkClass, false, child).getClassLoader().getName());
    try {
      main.getMethod("main", String[].class).invoke(null, (Object) rest);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
