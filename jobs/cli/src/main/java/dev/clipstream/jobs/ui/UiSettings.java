package dev.clipstream.jobs.ui;

import dev.clipstream.jobs.tagging.TaggingTopics;
import dev.clipstream.schemas.format.SchemaRegistrySettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the page reads and where it listens.
 *
 * @param kafkaClient consumer configuration of the brokers (bootstrap servers, security)
 * @param topics the tagging job's topics: input for thumbnails, results, dead letters
 * @param index the index folder the index job writes
 * @param bindAddress the address the page listens on (127.0.0.1 unless asked otherwise)
 * @param port its port, 0 for any free one
 * @param history records read back per partition at start, so the page is not empty
 * @param registry the schema registry of records written as Confluent-framed Avro, or null (the
 *     page reads single-object Avro and JSON without one)
 */
public record UiSettings(
    Map<String, Object> kafkaClient,
    TaggingTopics topics,
    Path index,
    String bindAddress,
    int port,
    int history,
    SchemaRegistrySettings registry) {

  /** Records per partition read back at start by default. */
  public static final int DEFAULT_HISTORY = 1000;

  public UiSettings {
    kafkaClient = Map.copyOf(kafkaClient);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, not " + port);
    }
    if (history < 0) {
      throw new IllegalArgumentException("--history must be 0 or more, not " + history);
    }
  }

  /** These settings reading Confluent-framed records through {@code registry} (null: none). */
  public UiSettings withRegistry(SchemaRegistrySettings registry) {
    return new UiSettings(kafkaClient, topics, index, bindAddress, port, history, registry);
  }

  /** The page on the embedded broker of {@code bootstrap}, on 127.0.0.1. */
  public static UiSettings local(String bootstrap, TaggingTopics topics, Path index, int port) {
    return new UiSettings(
        Map.of("bootstrap.servers", bootstrap),
        topics,
        index,
        "127.0.0.1",
        port,
        DEFAULT_HISTORY,
        null);
  }
}
