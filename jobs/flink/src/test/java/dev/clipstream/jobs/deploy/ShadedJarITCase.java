package dev.clipstream.jobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar that {@code flink run} and the Flink operator load (classifier {@code flink}, built in
 * {@code package}): the jobs and what they need that a Flink distribution lacks, and nothing of
 * Flink itself, its logging or the embedded mode's broker, which would clash with the cluster's
 * copies under child-first class loading, and nothing of the command line or the demo's data.
 */
class ShadedJarITCase {

  private static JarFile jar;
  private static Set<String> entries;

  @BeforeAll
  static void open() throws IOException {
    String path = System.getProperty("clipstream.flink.jar");
    assertTrue(path != null && Files.isRegularFile(Path.of(path)), "no job jar at " + path);
    jar = new JarFile(path);
    entries = new TreeSet<>();
    jar.stream().map(ZipEntry::getName).forEach(entries::add);
  }

  @AfterAll
  static void close() throws IOException {
    jar.close();
  }

  @Test
  void holdsTheJobsAndWhatTheyNeedBesideFlink() {
    for (String entry :
        List.of(
            "dev/clipstream/jobs/deploy/TaggingJobMain.class",
            "dev/clipstream/jobs/tagging/TaggingJob.class",
            "dev/clipstream/jobs/tagging/TaggingOptions.class",
            "dev/clipstream/model/ClipModel.class",
            "dev/clipstream/schemas/ImageEvent.class",
            "org/apache/flink/connector/kafka/source/KafkaSource.class",
            "org/apache/flink/connector/kafka/sink/KafkaSink.class",
            "org/apache/flink/connector/base/source/reader/SourceReaderBase.class",
            "org/apache/flink/formats/avro/AvroFormatFactory.class",
            "org/apache/avro/Schema.class",
            "org/apache/kafka/clients/producer/KafkaProducer.class",
            "ai/djl/engine/Engine.class",
            "ai/djl/pytorch/engine/PtEngine.class",
            "jnilib/linux-x86_64/cpu/libdjl_torch.so",
            "jnilib/linux-x86_64/cu128/libdjl_torch.so",
            "pytorch/cpu/linux-x86_64/libtorch_cpu.so",
            "com/fasterxml/jackson/databind/ObjectMapper.class")) {
      assertTrue(entries.contains(entry), "missing " + entry);
    }
    assertTrue(
        entries.stream().anyMatch(e -> e.startsWith("dev/clipstream/model/default/")),
        "the default model");
  }

  @Test
  void leavesOutFlinkLoggingAndTheBroker() {
    List<String> forbidden =
        List.of(
            "org/apache/flink/runtime/",
            "org/apache/flink/streaming/api/",
            "org/apache/flink/api/common/",
            "org/apache/flink/configuration/",
            "org/apache/flink/core/",
            "org/apache/flink/client/",
            "org/apache/flink/shaded/",
            "org/apache/flink/table/",
            "kafka/server/",
            "org/apache/kafka/raft/",
            "org/apache/kafka/storage/",
            "org/apache/kafka/metadata/",
            "scala/",
            "org/apache/logging/log4j/",
            "org/slf4j/",
            "com/esotericsoftware/kryo/");
    for (String prefix : forbidden) {
      List<String> found = entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList();
      assertTrue(found.isEmpty(), prefix + " is in the job jar: " + found);
    }
    List<String> brokerClasses =
        entries.stream().filter(e -> e.startsWith("kafka/") && e.endsWith(".class")).toList();
    assertTrue(brokerClasses.isEmpty(), "the broker (kafka_2.13) is in the job jar");
    Set<String> flinkPackages = new TreeSet<>();
    entries.stream()
        .filter(e -> e.startsWith("org/apache/flink/") && e.endsWith(".class"))
        .map(e -> e.split("/")[3] + "/" + e.split("/")[4])
        .forEach(flinkPackages::add);
    assertEquals(
        Set.of(
            "connector/base",
            "connector/kafka",
            "formats/avro",
            "streaming/connectors",
            "streaming/util"),
        flinkPackages,
        "only the connectors and formats of Flink");
  }

  @Test
  void leavesOutTheCommandLineTheEmbeddedRuntimeAndTheDemoData() {
    List<String> forbidden =
        List.of(
            "dev/clipstream/jobs/cli/",
            "dev/clipstream/jobs/runtime/",
            "dev/clipstream/jobs/bench/",
            "dev/clipstream/jobs/soak/",
            "picocli/",
            "dev/clipstream/model/data/fashion-mnist/",
            "dev/clipstream/model/default/fashion-clip-without-bag-ankle-boot.");
    for (String prefix : forbidden) {
      List<String> found = entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList();
      assertTrue(found.isEmpty(), prefix + " is in the job jar: " + found);
    }
  }

  @Test
  void mergesServiceFilesAndDropsSignatures() throws IOException {
    String factories = read("META-INF/services/org.apache.flink.table.factories.Factory");
    assertTrue(factories.contains("KafkaDynamicTableFactory"), factories);
    assertTrue(factories.contains("AvroFormatFactory"), factories);
    assertTrue(read("META-INF/services/ai.djl.engine.EngineProvider").contains("PtEngineProvider"));
    List<String> signatures =
        entries.stream().filter(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")).toList();
    assertTrue(signatures.isEmpty(), signatures.toString());
    assertEquals(
        TaggingJobMain.class.getName(),
        jar.getManifest().getMainAttributes().getValue("Main-Class"));
  }

  private static String read(String entry) throws IOException {
    ZipEntry e = jar.getEntry(entry);
    assertTrue(e != null, "no " + entry);
    try (var in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
