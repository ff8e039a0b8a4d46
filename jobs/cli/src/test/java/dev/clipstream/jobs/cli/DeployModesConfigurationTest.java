package dev.clipstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipstream.jobs.control.ControlKeys;
import dev.clipstream.jobs.control.ControlOptions;
import dev.clipstream.jobs.deploy.LaunchOptions;
import dev.clipstream.jobs.deploy.TaggingJobMain;
import dev.clipstream.jobs.deploy.TaggingJobSetup;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.testing.DeployFiles;
import dev.clipstream.model.data.FashionMnist;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One configuration, three ways in: {@code clipstream job tagging --set key=value} (the local and
 * embedded mode), {@code flink run ... --key value} with {@code -Dkey=value} (the compose stack)
 * and a FlinkDeployment's {@code flinkConfiguration} plus {@code job.args} (Kubernetes). Each
 * deployment's settings, given to the command line as {@code --set}, must build the same job.
 */
class DeployModesConfigurationTest {

  private static final String TAGGING_MAIN = TaggingJobMain.class.getName();

  @TempDir Path keys;

  @Test
  void theComposeSubmissionBuildsTheJobTheCommandLineBuilds() {
    DeployFiles.FlinkRun run =
        DeployFiles.flinkRun(DeployFiles.composeServices().get("submit"), TAGGING_MAIN);
    Configuration flink = Configuration.fromMap(run.dynamicProperties());
    Configuration config =
        TaggingJobMain.configuration(flink, run.programArgs().toArray(String[]::new));
    TaggingJobMain.requireCheckpointing(config);

    TaggingJobSetup cluster = TaggingJobSetup.from(config);
    assertEquals(cluster, viaCommandLine(config.toMap()));
    assertEquals("kafka:9092", cluster.kafka().bootstrapServers());
  }

  @Test
  void theKubernetesDeploymentBuildsTheJobTheCommandLineBuilds() throws Exception {
    for (String file : List.of("base/tagging-job.yaml")) {
      JsonNode spec = DeployFiles.documents(DeployFiles.K8S.resolve(file)).get(0).path("spec");
      assertEquals(TAGGING_MAIN, spec.path("job").path("entryClass").asText());
      Map<String, String> flinkConfiguration = new LinkedHashMap<>();
      spec.path("flinkConfiguration")
          .fields()
          .forEachRemaining(e -> flinkConfiguration.put(e.getKey(), e.getValue().asText()));
      List<String> args = new ArrayList<>();
      spec.path("job").path("args").forEach(a -> args.add(a.asText()));
      Configuration config =
          TaggingJobMain.configuration(
              Configuration.fromMap(flinkConfiguration), args.toArray(String[]::new));
      TaggingJobMain.requireCheckpointing(config);
      // The manifest names the keys where its Secret is mounted; here a key made for the test
      // stands at that place, so both ways read a real key.
      if (!config.get(ControlOptions.TRUSTED_KEYS).isEmpty()) {
        Path pub = keys.resolve("control.pub");
        ControlKeys.write(ControlKeys.generate(), keys.resolve("control.key"), pub);
        config.set(ControlOptions.TRUSTED_KEYS, List.of(pub.toString()));
      }

      TaggingJobSetup cluster = TaggingJobSetup.from(config);
      assertEquals(cluster, viaCommandLine(config.toMap()));
      assertEquals(32, cluster.settings().batching().maxSize());
    }
  }

  @Test
  void programArgumentsOverrideTheFlinkConfiguration() {
    Configuration flink =
        Configuration.fromMap(
            Map.of(
                "kafka.bootstrap-servers",
                "a:9092",
                "batch.max-size",
                "32",
                "batch.max-wait",
                "50ms"));
    TaggingJobSetup setup =
        TaggingJobSetup.from(
            TaggingJobMain.configuration(
                flink,
                "--batch.max-size",
                "128",
                "--labels.names",
                "cat;dog",
                "--kafka.properties",
                "security.protocol:SSL"));
    assertEquals(128, setup.settings().batching().maxSize());
    assertEquals(Duration.ofMillis(50), setup.settings().batching().maxWait());
    assertEquals(List.of("cat", "dog"), setup.settings().labelSet().names());
    assertEquals(Map.of("security.protocol", "SSL"), setup.kafka().clientProperties());
    assertEquals("a:9092", setup.kafka().bootstrapServers());
  }

  @Test
  void theCommandLineFlagsAreTheSameKeys() {
    TaggingJobCommand command = new TaggingJobCommand();
    new CommandLine(command)
        .parseArgs(
            "--bootstrap-servers",
            "b:9092",
            "--labels",
            "cat, dog",
            "--property",
            "security.protocol=SSL",
            "--set",
            "topics.input=uploads");
    Configuration viaFlags = command.configuration();
    TaggingJobSetup expected =
        TaggingJobSetup.from(
            TaggingJobMain.configuration(
                new Configuration(),
                "--kafka.bootstrap-servers",
                "b:9092",
                "--labels.names",
                "cat;dog",
                "--kafka.properties",
                "security.protocol:SSL",
                "--topics.input",
                "uploads"));
    assertEquals(expected, TaggingJobSetup.from(viaFlags));
  }

  @Test
  void defaultsAreTheOptionsDefaults() {
    TaggingJobSetup setup =
        TaggingJobSetup.from(
            TaggingJobMain.configuration(
                new Configuration(), "--kafka.bootstrap-servers", "k:9092"));
    assertEquals(TaggingOptions.INPUT_TOPIC.defaultValue(), setup.topics().input());
    assertEquals("clipstream-tagging", setup.groupId());
    assertEquals(
        TaggingOptions.BATCH_MAX_SIZE.defaultValue(), setup.settings().batching().maxSize());
    assertEquals(FashionMnist.CLASSES, setup.settings().labelSet().names());
    assertEquals("", setup.settings().weights());
    assertTrue(setup.settings().imageSize() > 0);
    assertEquals("", LaunchOptions.WEIGHTS.defaultValue());
  }

  @Test
  void aClusterJobWithoutBrokersOrCheckpointsRefusesToStart() {
    IllegalArgumentException noBrokers =
        assertThrows(
            IllegalArgumentException.class, () -> TaggingJobSetup.from(new Configuration()));
    assertTrue(noBrokers.getMessage().contains("kafka.bootstrap-servers"));
    IllegalArgumentException noCheckpoints =
        assertThrows(
            IllegalArgumentException.class,
            () -> TaggingJobMain.requireCheckpointing(new Configuration()));
    assertTrue(noCheckpoints.getMessage().contains("execution.checkpointing.interval"));
  }

  /** The job {@code clipstream job tagging --bootstrap-servers B --set k=v ...} would build. */
  private static TaggingJobSetup viaCommandLine(Map<String, String> config) {
    List<String> args = new ArrayList<>();
    config.forEach(
        (key, value) -> {
          if (key.equals(TaggingOptions.BOOTSTRAP_SERVERS.key())) {
            args.addAll(List.of("--bootstrap-servers", value));
          } else if (DeployFiles.isJobKey(key)) {
            args.addAll(List.of("--set", key + "=" + value));
          }
        });
    TaggingJobCommand command = new TaggingJobCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return TaggingJobSetup.from(command.configuration());
  }
}
