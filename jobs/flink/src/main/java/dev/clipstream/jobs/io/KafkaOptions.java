package dev.clipstream.jobs.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * How the jobs reach Kafka: the bootstrap servers and any client properties the user gives
 * (security settings such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*} pass through
 * to every consumer, producer and admin client unchanged).
 */
public record KafkaOptions(
    String bootstrapServers, Map<String, String> clientProperties, Duration transactionTimeout)
    implements Serializable {

  /**
   * The exactly-once sink's transactions must time out below the broker's maximum (15 minutes by
   * default) and above the checkpoint interval plus the longest outage to survive.
   */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

  public KafkaOptions {
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Plain options for a broker at {@code bootstrapServers}. */
  public static KafkaOptions of(String bootstrapServers) {
    return new KafkaOptions(bootstrapServers, Map.of(), DEFAULT_TRANSACTION_TIMEOUT);
  }

  /** The client properties as {@link Properties}, bootstrap servers included. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.setProperty("bootstrap.servers", bootstrapServers);
    return p;
  }
}
