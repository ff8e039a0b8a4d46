package dev.clipstream.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * The deployment files under {@code deploy/} as the tests read them: YAML documents, the
 * Dockerfiles, the shell commands of the compose services, and the job's configuration options.
 */
public final class DeployFiles {
  private DeployFiles() {}

  /** The checkout's root (set by the build; the module's parent when run from an IDE). */
  public static final Path ROOT =
      Path.of(System.getProperty("clipstream.root", "..")).toAbsolutePath().normalize();

  public static final Path DEPLOY = ROOT.resolve("deploy");
  public static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");
  public static final Path K8S = DEPLOY.resolve("k8s");

  /** The prefixes of the jobs' own configuration keys. */
  public static final List<String> JOB_KEY_PREFIXES =
      List.of(
          "kafka.",
          "topics.",
          "batch.",
          "labels.",
          "model.",
          "training.",
          "deployment.",
          "control.",
          "dead-letters.",
          "duplicates.");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)");

  /** A version the build passes in as a system property. */
  public static String buildVersion(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(property + " is not set: run the test through Maven");
    }
    return value;
  }

  /** Every YAML file under deploy/. */
  public static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of a YAML file ({@code ---} separated). */
  public static List<JsonNode> documents(Path file) {
    try {
      return YAML.readValues(YAML.getFactory().createParser(file.toFile()), JsonNode.class)
          .readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every document of every YAML file under {@code dir} whose {@code kind} is {@code kind}. */
  public static List<JsonNode> resources(Path dir, String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (Path file : yamlFiles()) {
      if (file.startsWith(dir)) {
        documents(file).stream()
            .filter(d -> kind.equals(d.path("kind").asText()))
            .forEach(out::add);
      }
    }
    return out;
  }

  /** The compose file's services by name. */
  public static Map<String, JsonNode> composeServices() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    documents(COMPOSE)
        .get(0)
        .path("services")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** A compose service's command as one script (its list items joined by new lines). */
  public static String script(JsonNode service) {
    JsonNode command = service.path("command");
    if (command.isArray()) {
      List<String> parts = new ArrayList<>();
      command.forEach(c -> parts.add(c.asText()));
      return String.join("\n", parts);
    }
    return command.asText();
  }

  /** Shell-like words of a line: quotes removed, no expansion. */
  public static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(line);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }

  /** Every string value under the key {@code field}, anywhere in a document. */
  public static List<String> valuesOf(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    collect(node, field, out);
    return out;
  }

  private static void collect(JsonNode node, String field, List<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals(field) && e.getValue().isValueNode()) {
                  out.add(e.getValue().asText());
                }
                collect(e.getValue(), field, out);
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, field, out));
    }
  }

  /** The {@code FROM} images of the Dockerfiles under deploy/. */
  public static Map<Path, List<String>> dockerfileBases() {
    Map<Path, List<String>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("Dockerfile")).toList()) {
        out.put(
            f,
            Files.readAllLines(f).stream()
                .filter(l -> l.startsWith("FROM "))
                .map(l -> words(l).get(1))
                .toList());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Every configuration option of the jobs: the public static {@link ConfigOption} fields of every
   * {@code *Options} class compiled in the jobs module (so an options class added later is found).
   */
  public static Map<String, ConfigOption<?>> jobOptions() {
    Map<String, ConfigOption<?>> out = new LinkedHashMap<>();
    Path classes;
    try {
      classes =
          Path.of(
              dev.clipstream.jobs.tagging.TaggingOptions.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> files = Files.walk(classes.resolve("dev/clipstream/jobs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith("Options.class")).toList()) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        for (Field field : Class.forName(name).getFields()) {
          if (Modifier.isStatic(field.getModifiers())
              && ConfigOption.class.isAssignableFrom(field.getType())) {
            ConfigOption<?> option = (ConfigOption<?>) field.get(null);
            out.put(option.key(), option);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Whether a configuration key is one of the jobs' own (not Flink's). */
  public static boolean isJobKey(String key) {
    return JOB_KEY_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** A compose service's {@code flink run} of {@code entryClass}. */
  public record FlinkRun(Map<String, String> dynamicProperties, List<String> programArgs) {}

  private static final Pattern DYNAMIC_PROPERTY =
      Pattern.compile("-D([A-Za-z0-9_.-]+)=([^\\s\"]+)");

  /**
   * How {@code service} submits {@code entryClass}: the {@code -Dkey=value} options anywhere in its
   * script (the client's Flink configuration) and the words after the jar on the line that names
   * the class (the program arguments).
   */
  public static FlinkRun flinkRun(JsonNode service, String entryClass) {
    String script = script(service);
    Map<String, String> properties = new LinkedHashMap<>();
    Matcher m = DYNAMIC_PROPERTY.matcher(script);
    while (m.find()) {
      properties.put(m.group(1), m.group(2));
    }
    String line =
        script
            .lines()
            .filter(l -> l.contains("-c " + entryClass + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no flink run -c " + entryClass));
    List<String> words = words(line);
    int jar = words.indexOf(entryClass) + 1;
    return new FlinkRun(properties, words.subList(jar + 1, words.size()));
  }

  /** The classes that {@code flink run -c} names in a script. */
  public static List<String> runClasses(String script) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?:-c|--class) ([\\w.$]+)").matcher(script);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
