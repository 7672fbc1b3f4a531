package dev.telemetryagent.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class AttachFailuresTest {

  /** Stands in for com.sun.tools.attach.AgentLoadException (the mapping only looks at the type's name). */
  static final class AgentLoadException extends Exception {
    AgentLoadException(String m) {
      super(m);
    }
  }

  static final class AttachNotSupportedException extends Exception {
    AttachNotSupportedException(String m) {
      super(m);
    }
  }

  @Test
  void dynamicLoadingDisabled() {
    String m = AttachFailures.describe(42, new AgentLoadException("Failed to load agent library: Dynamic agent "
        + "loading is not enabled. Use -XX:+EnableDynamicAgentLoading to launch target VM."), null);
    assertThat(m).contains("pid 42").contains("-XX:-EnableDynamicAgentLoading").contains("-javaagent");
  }

  @Test
  void noSuchProcess() {
    assertThat(AttachFailures.describe(42, new AttachNotSupportedException("No such process"), null))
        .contains("no process with pid 42");
  }

  @Test
  void notAnswering() {
    String m = AttachFailures.describe(42, new AttachNotSupportedException("Unable to open socket file "
        + "/proc/42/cwd/.attach_pid42: target process 42 doesn't respond within 10500ms or HotSpot VM not loaded"),
        "java -jar app.jar");
    assertThat(m).contains("did not answer").contains("another user");
    assertThat(AttachFailures.notAnswering(42, 30_000)).contains("30 s").contains("--timeout");
  }

  @Test
  void attachMechanismDisabledIsRecognisedFromTheCommandLine() {
    String m = AttachFailures.describe(42, new IOException("Connection refused"),
        "java -XX:+DisableAttachMechanism -jar app.jar");
    assertThat(m).contains("-XX:+DisableAttachMechanism");
  }

  @Test
  void permissionDenied() {
    assertThat(AttachFailures.describe(42, new IOException("Permission denied"), null))
        .contains("same user");
  }

  @Test
  void otherUserAndNoModuleAndNotAJvm() {
    assertThat(AttachFailures.otherUser(42, "svc", "me")).contains("user 'svc'").contains("sudo -u svc");
    assertThat(AttachFailures.noAttachModule("/opt/jre")).contains("/opt/jre").contains("jdk.attach")
        .contains("full JDK");
    assertThat(AttachFailures.notAJvm(42, "/bin/sleep")).contains("/bin/sleep").contains("not a Java virtual");
    assertThat(AttachFailures.javaTooOld(42, "1.8")).contains("Java 11");
  }

  @Test
  void anythingElseKeepsTheOriginalMessage() {
    assertThat(AttachFailures.describe(42, new IllegalStateException("boom"), null))
        .contains("pid 42").contains("IllegalStateException: boom");
  }
}
