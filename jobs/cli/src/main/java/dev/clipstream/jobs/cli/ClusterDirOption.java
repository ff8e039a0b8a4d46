package dev.clipstream.jobs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir}: where a local cluster keeps its configs, data, logs and pids. */
final class ClusterDirOption {
  @Option(
      names = "--dir",
      defaultValue = ClusterCommand.DEFAULT_DIR,
      description = "The cluster's configs, data, logs and pids (default ${DEFAULT-VALUE}).")
  Path dir;
}
