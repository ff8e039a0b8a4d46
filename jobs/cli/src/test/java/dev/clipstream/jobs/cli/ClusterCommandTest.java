package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.jobs.cli.ClipstreamCliTest.Run;
import dev.clipstream.jobs.cluster.ClusterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clipstream cluster} without starting processes (the cluster ITCases start them): the
 * layout that {@code up} leaves for {@code status} and {@code down}, and their answers when no
 * cluster runs.
 */
class ClusterCommandTest {

  @TempDir Path dir;

  @Test
  void aLayoutOnFreePortsSurvivesTheRoundTripThroughItsDirectory() throws Exception {
    ClusterLayout layout = ClusterLayout.onFreePorts(dir, 0, 3, 2);
    layout.save();

    assertEquals(layout, ClusterLayout.load(dir).orElseThrow());
    List<Integer> ports =
        new java.util.ArrayList<>(List.of(layout.restPort(), layout.rpcPort(), layout.blobPort()));
    ports.addAll(layout.brokerPorts());
    ports.addAll(layout.controllerPorts());
    Set<Integer> distinct = new HashSet<>(ports);
    assertEquals(9, distinct.size(), "every process listens on its own port: " + ports);
    assertEquals(3, layout.bootstrapServers().split(",").length);
    assertTrue(layout.restAddress().startsWith("http://127.0.0.1:"));
  }

  @Test
  void statusSaysWhenNoClusterIsThere() {
    Run run = ClipstreamCliTest.run("cluster", "status", "--dir", dir.toString());

    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.out().contains("No cluster in " + dir), run.out());
  }

  @Test
  void downOfAStoppedClusterStopsNothingAndDeletesItsDirectory() throws Exception {
    Path cluster = dir.resolve("cluster");
    ClusterLayout.onFreePorts(cluster, 0, 3, 2).save();
    Files.createDirectories(cluster.resolve("kafka/node-1"));
    Files.writeString(cluster.resolve("kafka/node-1/node-1.pid"), "999999999");

    Run run = ClipstreamCliTest.run("cluster", "down", "--dir", cluster.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Stopped nothing"), run.out());
    assertTrue(Files.notExists(cluster));
  }

  @Test
  void upRefusesADirectoryThatHoldsAStoppedCluster() throws Exception {
    Files.createDirectories(dir.resolve("kafka"));

    Run run = ClipstreamCliTest.run("cluster", "up", "--dir", dir.toString());

    assertEquals(ClipstreamCli.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().contains("holds a stopped cluster"), run.err());
  }
}
