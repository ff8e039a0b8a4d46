package dev.clipstream.jobs.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * How the jobs reach Kafka: the bootstrap servers and any client properties the user gives
 * (security settings such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*} pass through
 * to every consumer, producer and admin client unchanged), the exactly-once sinks' transaction
 * timeout and naming, and the deployment their transactional ids belong to.
 */
public record KafkaOptions(
    String bootstrapServers,
    Map<String, String> clientProperties,
    Duration transactionTimeout,
    String deployment,
    TransactionNamingStrategy transactionNaming)
    implements Serializable {

  /**
   * The exactly-once sink's transactions must time out below the broker's maximum (15 minutes by
   * default) and above the checkpoint interval plus the longest outage to survive.
   */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

  public static final ConfigOption<String> DEPLOYMENT =
      ConfigOptions.key("deployment.name")
          .stringType()
          .defaultValue("clipstream")
          .withDescription(
              "Name of this deployment of the jobs, unique on its Kafka cluster and stable across"
                  + " restarts and upgrades: the exactly-once sinks' transactional ids begin with"
                  + " it (two deployments with one name fence each other's transactions), and the"
                  + " default consumer groups are <name>-tagging and <name>-training. Lower-case"
                  + " letters, digits and '-'.");

  public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
      ConfigOptions.key("kafka.transaction-timeout")
          .durationType()
          .defaultValue(DEFAULT_TRANSACTION_TIMEOUT)
          .withDescription(
              "Transaction timeout of the exactly-once sinks: above the checkpoint interval plus"
                  + " the longest outage to survive, at most the brokers'"
                  + " transaction.max.timeout.ms (checked at start where it can be read)."
                  + " transaction.timeout.ms in kafka.properties means the same.");

  public static final ConfigOption<TransactionNamingStrategy> TRANSACTION_NAMING =
      ConfigOptions.key("kafka.transaction-naming")
          .enumType(TransactionNamingStrategy.class)
          .defaultValue(TransactionNamingStrategy.POOLING)
          .withDescription(
              "How the exactly-once sinks name transactions: POOLING reuses a small set of"
                  + " transactional ids (fit for long runs; needs Kafka 3.0+ and DESCRIBE on the"
                  + " transactional ids), INCREMENTING takes a new id per subtask and checkpoint,"
                  + " which the brokers remember for transactional.id.expiration.ms.");

  /** Kubernetes' name rule (RFC 1123 label), so a name can also name pods and topics. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public KafkaOptions {
    clientProperties = Map.copyOf(clientProperties);
    if (!NAME.matcher(deployment).matches()) {
      throw new IllegalArgumentException(
          DEPLOYMENT.key()
              + " '"
              + deployment
              + "' is not a name: lower-case letters, digits and '-', at most 63");
    }
    if (transactionTimeout.isNegative() || transactionTimeout.isZero()) {
      throw new IllegalArgumentException(
          TRANSACTION_TIMEOUT.key() + " must be positive, not " + transactionTimeout);
    }
  }

  /** The default deployment and transaction naming. */
  public KafkaOptions(
      String bootstrapServers, Map<String, String> clientProperties, Duration transactionTimeout) {
    this(
        bootstrapServers,
        clientProperties,
        transactionTimeout,
        DEPLOYMENT.defaultValue(),
        TRANSACTION_NAMING.defaultValue());
  }

  /** Plain options for a broker at {@code bootstrapServers}. */
  public static KafkaOptions of(String bootstrapServers) {
    return new KafkaOptions(bootstrapServers, Map.of(), DEFAULT_TRANSACTION_TIMEOUT);
  }

  /**
   * The options {@code config} sets for brokers at {@code bootstrapServers} with client {@code
   * properties}. A {@code transaction.timeout.ms} among the properties is the timeout when {@code
   * kafka.transaction-timeout} is not set; both set to different values is an error.
   */
  public static KafkaOptions from(
      String bootstrapServers, Map<String, String> properties, ReadableConfig config) {
    Duration timeout = config.get(TRANSACTION_TIMEOUT);
    String property = properties.get("transaction.timeout.ms");
    if (property != null) {
      Duration given;
      try {
        given = Duration.ofMillis(Long.parseLong(property.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "kafka.properties transaction.timeout.ms '" + property + "' is not milliseconds", e);
      }
      if (config.getOptional(TRANSACTION_TIMEOUT).isPresent() && !given.equals(timeout)) {
        throw new IllegalArgumentException(
            TRANSACTION_TIMEOUT.key()
                + " ("
                + timeout.toMillis()
                + " ms) and transaction.timeout.ms in kafka.properties ("
                + property
                + " ms) disagree: set one");
      }
      timeout = given;
    }
    Map<String, String> rest = new HashMap<>(properties);
    rest.remove("transaction.timeout.ms");
    return new KafkaOptions(
        bootstrapServers,
        rest,
        timeout,
        config.get(DEPLOYMENT).strip(),
        config.get(TRANSACTION_NAMING));
  }

  /**
   * The transactional-id prefix of the sink {@code sink} (e.g. {@code tagging-results}) of this
   * deployment. The dots end each part, so no deployment's or sink's prefix begins another's: the
   * connector aborts every open transaction whose id starts with one of its prefixes.
   */
  public String transactionalIdPrefix(String sink) {
    return deployment + "." + sink + ".";
  }

  /** The client properties as {@link Properties}, bootstrap servers included. */
  public Properties toProperties() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.setProperty("bootstrap.servers", bootstrapServers);
    return p;
  }
}
