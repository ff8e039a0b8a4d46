package dev.clipstream.jobs.deploy;

import static dev.clipstream.jobs.testing.DeployFiles.COMPOSE;
import static dev.clipstream.jobs.testing.DeployFiles.K8S;
import static dev.clipstream.jobs.testing.DeployFiles.buildVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipstream.jobs.tagging.TaggingOptions;
import dev.clipstream.jobs.testing.DeployFiles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * The compose stack, the Kubernetes manifests and the Dockerfiles under deploy/ agree with the code
 * and the pom: no cluster is started here, so these checks are what stands between a manifest and a
 * typo found at deploy time.
 */
class DeployManifestsTest {

  private static final String FLINK = buildVersion("flink.version");
  private static final String KAFKA = buildVersion("kafka.version");
  private static final String VERSION = buildVersion("clipstream.version");
  private static final String PYTORCH = buildVersion("pytorch.version");

  /** The Kubernetes resources; deploy/k8s/gpu holds a patch over them. */
  private static final Path BASE = K8S.resolve("base");

  private static final String TAGGING_MAIN = TaggingJobMain.class.getName();
  private static final String TRAINING_MAIN = TrainingJobMain.class.getName();

  /** The jobs' entry points the manifests may name. */
  private static final Set<String> ENTRY_POINTS = Set.of(TAGGING_MAIN, TRAINING_MAIN);

  private static final String JOB_JAR = "clipstream-jobs-" + VERSION + "-flink.jar";
  private static final String IMAGE_JAR = "/opt/flink/usrlib/clipstream-jobs-flink.jar";

  @Test
  void everyManifestParsesAsYamlObjects() {
    List<Path> files = DeployFiles.yamlFiles();
    assertTrue(files.contains(COMPOSE), "no " + COMPOSE);
    assertTrue(files.size() >= 7, "expected compose + k8s base and gpu manifests: " + files);
    for (Path file : files) {
      List<JsonNode> docs = DeployFiles.documents(file);
      assertFalse(docs.isEmpty(), file + " is empty");
      docs.forEach(d -> assertTrue(d.isObject(), file + ": a document is not a mapping: " + d));
    }
  }

  @Test
  void everyImageIsPinnedToTheVersionsOfThePom() {
    List<String> images = new ArrayList<>();
    DeployFiles.yamlFiles()
        .forEach(f -> DeployFiles.documents(f).forEach(d -> images.addAll(valuesOf(d, "image"))));
    DeployFiles.dockerfileBases().values().forEach(images::addAll);
    assertTrue(images.size() >= 8, "too few images found: " + images);
    for (String image : images) {
      int slash = image.lastIndexOf('/');
      int colon = image.indexOf(':', slash + 1);
      assertTrue(colon > 0, image + " has no tag");
      String repository = image.substring(0, colon);
      String tag = image.substring(colon + 1);
      assertFalse(tag.isBlank() || tag.equals("latest"), image + " is not pinned");
      switch (repository) {
        case "flink" -> assertEquals(FLINK + "-scala_2.12-java17", tag, image);
        case "apache/kafka" -> assertEquals(KAFKA, tag, image);
        case "clipstream-flink" ->
            assertTrue(tag.equals(VERSION) || tag.equals(VERSION + "-cu128"), image);
        default -> fail("an image no test knows: " + image);
      }
    }
  }

  @Test
  void flinkKafkaAndPytorchVersionsMatchThePom() {
    String flinkMinor = "v" + FLINK.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2");
    List<JsonNode> deployments = DeployFiles.resources(BASE, "FlinkDeployment");
    assertTrue(deployments.size() >= 2, "a FlinkDeployment per job");
    deployments.forEach(
        d -> assertEquals(flinkMinor, d.path("spec").path("flinkVersion").asText(), name(d)));
    List<JsonNode> kafkas = DeployFiles.resources(BASE, "Kafka");
    assertEquals(1, kafkas.size());
    assertEquals(KAFKA, kafkas.get(0).path("spec").path("kafka").path("version").asText());
    for (JsonNode d : deployments) {
      for (JsonNode env : d.path("spec").path("podTemplate").findValues("env")) {
        env.forEach(
            e -> {
              if (e.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                assertTrue(e.path("value").asText().endsWith("-" + FLINK + ".jar"), e.toString());
              }
            });
      }
    }
    String gpu = read(Path.of(DeployFiles.DEPLOY.toString(), "docker", "Dockerfile.gpu"));
    assertTrue(gpu.contains("PYTORCH_VERSION=" + PYTORCH), "libtorch must match pytorch-jni");
  }

  @Test
  void theJobJarIsTheOneTheBuildMakes() {
    for (JsonNode service : DeployFiles.composeServices().values()) {
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.endsWith("-flink.jar")) {
          assertEquals("../../jobs/flink/target/" + JOB_JAR, source);
        }
      }
    }
    String dockerfile = read(DeployFiles.DEPLOY.resolve("docker/Dockerfile"));
    assertTrue(dockerfile.contains("jobs/flink/target/" + JOB_JAR + " " + IMAGE_JAR), dockerfile);
    for (JsonNode d : DeployFiles.resources(BASE, "FlinkDeployment")) {
      assertEquals("local://" + IMAGE_JAR, d.path("spec").path("job").path("jarURI").asText());
    }
  }

  @Test
  void everyJobKeyInTheManifestsIsAConfigOption() {
    Map<String, ConfigOption<?>> options = DeployFiles.jobOptions();
    Set<String> keys = new TreeSet<>();
    jobSettings().forEach(e -> keys.add(e.getKey()));
    assertTrue(keys.contains(TaggingOptions.BOOTSTRAP_SERVERS.key()), keys.toString());
    assertTrue(keys.contains(TaggingOptions.BATCH_MAX_SIZE.key()), keys.toString());
    Set<String> unknown = new TreeSet<>(keys);
    unknown.removeAll(options.keySet());
    assertTrue(unknown.isEmpty(), "keys no options class defines: " + unknown);
  }

  @Test
  void everyTopicIsCreatedWithTheRightCleanupPolicy() {
    Map<String, JsonNode> k8sTopics = new LinkedHashMap<>();
    for (JsonNode t : DeployFiles.resources(BASE, "KafkaTopic")) {
      String topic =
          t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText());
      k8sTopics.put(topic, t.path("spec").path("config"));
    }
    Map<String, String> composeTopics = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("--topic (\\S+)(.*)")
            .matcher(DeployFiles.script(DeployFiles.composeServices().get("topics")));
    while (m.find()) {
      composeTopics.put(m.group(1), m.group(2));
    }

    Set<String> defaults = new TreeSet<>();
    DeployFiles.jobOptions().values().stream()
        .filter(o -> o.key().startsWith("topics.") && o.hasDefaultValue())
        .forEach(o -> defaults.add(String.valueOf(o.defaultValue())));
    Set<String> configured = new TreeSet<>();
    jobSettings().stream()
        .filter(e -> e.getKey().startsWith("topics."))
        .forEach(e -> configured.add(e.getValue()));
    Set<String> known = new TreeSet<>(defaults);
    known.addAll(configured);

    Set<String> control =
        Set.of(
            TaggingOptions.LABEL_SETS_TOPIC.defaultValue(),
            TaggingOptions.MODEL_UPDATES_TOPIC.defaultValue());
    for (String topic :
        List.of(
            TaggingOptions.INPUT_TOPIC.defaultValue(),
            TaggingOptions.RESULTS_TOPIC.defaultValue(),
            TaggingOptions.DEAD_LETTER_TOPIC.defaultValue(),
            TaggingOptions.LABEL_SETS_TOPIC.defaultValue(),
            TaggingOptions.MODEL_UPDATES_TOPIC.defaultValue())) {
      assertTrue(k8sTopics.containsKey(topic), "no KafkaTopic " + topic);
      assertTrue(composeTopics.containsKey(topic), "compose creates no " + topic);
    }
    assertTrue(k8sTopics.keySet().containsAll(configured), "jobs use topics never created");
    assertTrue(composeTopics.keySet().containsAll(configured), "jobs use topics never created");
    for (var e : k8sTopics.entrySet()) {
      assertTrue(known.contains(e.getKey()), "a topic no job uses: " + e.getKey());
      boolean compact = e.getValue().path("cleanup.policy").asText().equals("compact");
      assertEquals(control.contains(e.getKey()), compact, e.getKey() + " cleanup policy");
      assertTrue(compact || e.getValue().has("retention.ms"), e.getKey() + " has no retention");
    }
    for (var e : composeTopics.entrySet()) {
      assertTrue(known.contains(e.getKey()), "a topic no job uses: " + e.getKey());
      boolean compact = e.getValue().contains("cleanup.policy=compact");
      assertEquals(control.contains(e.getKey()), compact, e.getKey() + " cleanup policy");
      assertTrue(
          compact || e.getValue().contains("retention.ms="), e.getKey() + " has no retention");
    }
  }

  @Test
  void theBootstrapServersAreTheBrokersTheManifestsStart() {
    JsonNode kafka = DeployFiles.resources(BASE, "Kafka").get(0);
    String k8sBootstrap =
        kafka.path("metadata").path("name").asText()
            + "-kafka-bootstrap:"
            + kafka.path("spec").path("kafka").path("listeners").get(0).path("port").asText();
    for (JsonNode d : DeployFiles.resources(BASE, "FlinkDeployment")) {
      assertEquals(
          k8sBootstrap,
          d.path("spec").path("flinkConfiguration").path("kafka.bootstrap-servers").asText(),
          name(d));
    }
    JsonNode submit = DeployFiles.composeServices().get("submit");
    for (String entry : DeployFiles.runClasses(DeployFiles.script(submit))) {
      List<String> args = DeployFiles.flinkRun(submit, entry).programArgs();
      assertEquals("kafka:9092", args.get(args.indexOf("--kafka.bootstrap-servers") + 1));
    }
  }

  @Test
  void everyEntryClassNamedIsAKnownEntryPoint() {
    Set<String> named = entryClasses();
    assertTrue(named.contains(TAGGING_MAIN), "the tagging job is deployed nowhere");
    Set<String> unknown = new TreeSet<>(named);
    unknown.removeAll(ENTRY_POINTS);
    assertTrue(unknown.isEmpty(), "entry classes no test knows: " + unknown);
  }

  @Test
  void theTaggingEntryPointHasAMainMethod() throws Exception {
    assertHasMain(Class.forName(TAGGING_MAIN));
  }

  @Test
  void theTrainingEntryPointHasAMainMethod() throws Exception {
    assertTrue(entryClasses().contains(TRAINING_MAIN), "the training job is deployed nowhere");
    assertHasMain(Class.forName(TRAINING_MAIN));
  }

  @Test
  void theGpuVariantTakesOneGpuPerTaskManagerSlot() {
    Path patchFile = K8S.resolve("gpu/tagging-job-gpu.yaml");
    JsonNode patch = DeployFiles.documents(patchFile).get(0).path("spec");
    JsonNode base = DeployFiles.documents(K8S.resolve("base/tagging-job.yaml")).get(0).path("spec");
    JsonNode config = patch.path("flinkConfiguration");
    assertEquals("1", config.path("taskmanager.numberOfTaskSlots").asText());
    assertTrue(
        config.path("batch.max-size").asInt()
            > base.path("flinkConfiguration").path("batch.max-size").asInt(),
        "larger batches on a GPU");
    JsonNode pod = patch.path("taskManager").path("podTemplate").path("spec");
    assertEquals(
        1,
        pod.path("containers")
            .get(0)
            .path("resources")
            .path("limits")
            .path("nvidia.com/gpu")
            .asInt());
    assertFalse(pod.path("nodeSelector").isEmpty(), "GPU nodes are selected");
    assertEquals("nvidia.com/gpu", pod.path("tolerations").get(0).path("key").asText());
    assertTrue(patch.path("image").asText().endsWith("-cu128"));
    assertTrue(
        DeployFiles.dockerfileBases()
            .get(DeployFiles.DEPLOY.resolve("docker/Dockerfile.gpu"))
            .equals(List.of("clipstream-flink:" + VERSION)));
    assertTrue(read(K8S.resolve("gpu/kustomization.yaml")).contains("tagging-job-gpu.yaml"));
  }

  /**
   * The jobs' own settings (key and value) in every FlinkDeployment, the GPU patch and every
   * compose submission, as Flink configuration and as program arguments.
   */
  static List<Map.Entry<String, String>> jobSettings() {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    List<JsonNode> deployments = new ArrayList<>(DeployFiles.resources(K8S, "FlinkDeployment"));
    for (JsonNode d : deployments) {
      d.path("spec")
          .path("flinkConfiguration")
          .fields()
          .forEachRemaining(e -> addJobSetting(out, e.getKey(), e.getValue().asText()));
      addArgs(out, valuesAsList(d.path("spec").path("job").path("args")));
    }
    JsonNode submit = DeployFiles.composeServices().get("submit");
    for (String entry : DeployFiles.runClasses(DeployFiles.script(submit))) {
      DeployFiles.FlinkRun run = DeployFiles.flinkRun(submit, entry);
      run.dynamicProperties().forEach((k, v) -> addJobSetting(out, k, v));
      addArgs(out, run.programArgs());
    }
    return out;
  }

  private static void addArgs(List<Map.Entry<String, String>> out, List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith("--")) {
        addJobSetting(out, args.get(i).substring(2), i + 1 < args.size() ? args.get(i + 1) : "");
      }
    }
  }

  private static void addJobSetting(List<Map.Entry<String, String>> out, String key, String value) {
    if (DeployFiles.isJobKey(key)) {
      out.add(Map.entry(key, value));
    }
  }

  private static Set<String> entryClasses() {
    Set<String> out = new LinkedHashSet<>();
    DeployFiles.resources(BASE, "FlinkDeployment")
        .forEach(d -> out.add(d.path("spec").path("job").path("entryClass").asText()));
    DeployFiles.composeServices()
        .values()
        .forEach(s -> out.addAll(DeployFiles.runClasses(DeployFiles.script(s))));
    return out;
  }

  private static void assertHasMain(Class<?> type) throws NoSuchMethodException {
    Method main = type.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()), type + ".main is not static");
    assertEquals(void.class, main.getReturnType());
  }

  private static List<String> valuesOf(JsonNode doc, String field) {
    return DeployFiles.valuesOf(doc, field);
  }

  private static List<String> valuesAsList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String name(JsonNode resource) {
    return resource.path("metadata").path("name").asText();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
