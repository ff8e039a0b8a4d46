package dev.clipstream.jobs.index;

import dev.clipstream.jobs.io.OutputOptions;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The index job's settings as Flink configuration options; it reads the results topic named by
 * {@code topics.results} (the tagging job's key) and the Kafka keys of the tagging job.
 */
public final class IndexOptions {
  private IndexOptions() {}

  public static final ConfigOption<String> PATH =
      ConfigOptions.key("index.path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Folder of the search index (a local disk or a shared file system the searches see).");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("index.group-id")
          .stringType()
          .defaultValue("clipstream-index")
          .withDescription("Consumer group of the index job's source.");

  public static final ConfigOption<Double> RAM_BUFFER_MB =
      ConfigOptions.key("index.ram-buffer-mb")
          .doubleType()
          .defaultValue(64.0)
          .withDescription("Lucene's in-memory buffer before it flushes a segment.");

  /**
   * What the job needs, fixed when it is built: the index folder, Lucene's buffer, and the schema
   * registry ({@code output.schema-registry.*}; null: none) for results written as confluent-avro.
   */
  public record Settings(String path, double ramBufferMb, SchemaRegistrySettings registry)
      implements Serializable {

    public Settings(String path, double ramBufferMb) {
      this(path, ramBufferMb, null);
    }

    public Settings {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("index.path is not set: name the index folder");
      }
      if (!(ramBufferMb > 0)) {
        throw new IllegalArgumentException(
            "index.ram-buffer-mb must be positive, not " + ramBufferMb);
      }
    }

    public static Settings of(String path) {
      return new Settings(path, RAM_BUFFER_MB.defaultValue());
    }

    /** The settings in {@code config}; a missing or bad value is a one-line exception. */
    public static Settings from(Configuration config) {
      return new Settings(
          config.get(PATH), config.get(RAM_BUFFER_MB), OutputOptions.registry(config));
    }
  }
}
