package dev.telemetryagent.agent.cli;

/** A JVM that does nothing until killed (target for CLI tests). */
public final class IdleMain {

  private IdleMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("up");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
