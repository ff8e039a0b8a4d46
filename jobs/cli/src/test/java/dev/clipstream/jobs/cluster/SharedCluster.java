package dev.clipstream.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local cluster (2 TaskManagers × 2 slots, 3 brokers) for every cluster test class in the JVM,
 * started before the first and stopped after the last, with the job jar uploaded once. Its
 * directory (configs, logs) stays under {@code target/cluster-it/} for a look after a failure.
 */
public final class SharedCluster implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SharedCluster.class);

  static final int TASK_MANAGERS = 2;
  static final int SLOTS = 2;

  /** The running cluster and the id of the uploaded job jar. */
  public record Running(LocalCluster cluster, String jarId, long startMillis)
      implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }

  private static Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NS)
            .getOrComputeIfAbsent("cluster", key -> start(), Running.class);
  }

  /** The cluster of the current test run. */
  public static Running get() {
    return running;
  }

  private static Running start() {
    try {
      Path root = Path.of(System.getProperty("clipstream.root", "..")).toAbsolutePath().normalize();
      Path jar = Path.of(System.getProperty("clipstream.flink.jar", ""));
      assertTrue(Files.isRegularFile(jar), "no job jar at " + jar + " (built by package)");
      Path target = Files.createDirectories(root.resolve("jobs/cli/target/cluster-it"));
      Path dir = Files.createTempDirectory(target, "cluster-");
      long start = System.nanoTime();
      LocalCluster cluster =
          LocalCluster.start(
              ClusterLayout.onFreePorts(dir, 0, 3, SLOTS), new Classpaths(root), TASK_MANAGERS);
      long up = (System.nanoTime() - start) / 1_000_000;
      String jarId = cluster.rest().uploadJar(jar);
      System.out.printf(
          "cluster: up in %d ms (%s; UI %s, brokers %s), jar uploaded after %d ms%n",
          up,
          dir,
          cluster.layout().restAddress(),
          cluster.bootstrapServers(),
          (System.nanoTime() - start) / 1_000_000);
      return new Running(cluster, jarId, System.currentTimeMillis());
    } catch (Exception e) {
      throw new IllegalStateException("the local cluster did not start: " + e.getMessage(), e);
    }
  }
}
