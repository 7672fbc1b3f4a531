package dev.telemetryagent.agent.config;

/** Renders {@code docs/configuration.md} from the key declarations. */
public final class ConfigDocs {

  private ConfigDocs() {}

  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Configuration reference\n\n");
    sb.append("<!-- Generated from agent/src/main/java/dev/telemetryagent/agent/config/ConfigKeys.java by\n");
    sb.append("     ConfigurationDocTest. Do not edit by hand: change the declaration, then run\n");
    sb.append("     mvn -pl agent test -Dtest=ConfigurationDocTest -Dtelemetry.agent.docs.update=true -->\n\n");
    sb.append("Every key can be set, the first source that sets it wins, as:\n\n");
    sb.append("1. an agent argument: `-javaagent:telemetry-agent.jar=key=value;key=value`"
        + " (or `telemetry-agent.jar attach <pid> -Dkey=value`);\n");
    sb.append("2. a system property: `-Dkey=value`;\n");
    sb.append("3. an environment variable: the key in upper case with `.` and `-` as `_`"
        + " (`telemetry.agent.capture.level` is `TELEMETRY_AGENT_CAPTURE_LEVEL`);\n");
    sb.append("4. a line of the properties file named by `telemetry.agent.config.file`.\n\n");
    sb.append("A value that does not parse is reported on stderr in one line, naming the key, where the value came"
        + " from and what is accepted; the default applies and the application starts as usual. An unknown"
        + " `telemetry.agent.*` key is reported the same way.\n\n");
    sb.append("| Key | Environment variable | Default | Accepted values | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    for (ConfigKey<?> key : ConfigKeys.all()) {
      sb.append("| `").append(key.name()).append("` | `").append(key.envName()).append("` | ")
          .append(key.defaultValue() == null ? "(unset)" : key.defaultValue().isEmpty() ? "(empty)"
              : "`" + key.defaultValue() + "`")
          .append(" | ").append(escape(key.type().accepted()))
          .append(" | ").append(escape(key.description()))
          .append(key.isSecret() ? " Secret: masked in status output." : "")
          .append(" |\n");
    }
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }
}
