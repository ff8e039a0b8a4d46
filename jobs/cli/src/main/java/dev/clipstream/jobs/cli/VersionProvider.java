package dev.clipstream.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven wrote into the jar, for {@code --version} and {@code info}. */
public final class VersionProvider implements CommandLine.IVersionProvider {

  static final String RESOURCE = "/dev/clipstream/jobs/version.properties";

  /** The project version, or "unknown" outside a Maven build. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"clipstream " + version()};
  }
}
