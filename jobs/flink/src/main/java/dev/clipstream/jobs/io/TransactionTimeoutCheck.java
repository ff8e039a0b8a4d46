package dev.clipstream.jobs.io;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before a job starts, that its sinks' transaction timeout is within the brokers' {@code
 * transaction.max.timeout.ms}: otherwise every producer fails at its first transaction, long after
 * the job was submitted. Where the brokers' setting cannot be read (no permission to describe
 * configs, brokers not up yet) it says so in the log and lets the job start.
 */
public final class TransactionTimeoutCheck {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionTimeoutCheck.class);

  static final String BROKER_MAXIMUM = "transaction.max.timeout.ms";

  private static final Duration WAIT = Duration.ofSeconds(15);

  private TransactionTimeoutCheck() {}

  /**
   * @throws IllegalArgumentException with one line when the timeout is above a broker's maximum
   */
  public static void check(KafkaOptions kafka) {
    Duration maximum;
    try {
      maximum = brokerMaximum(kafka);
    } catch (Exception e) {
      LOG.warn(
          "could not read the brokers' {} to check {} against it: {}",
          BROKER_MAXIMUM,
          KafkaOptions.TRANSACTION_TIMEOUT.key(),
          e.toString());
      return;
    }
    if (maximum != null && kafka.transactionTimeout().compareTo(maximum) > 0) {
      throw new IllegalArgumentException(
          KafkaOptions.TRANSACTION_TIMEOUT.key()
              + " "
              + kafka.transactionTimeout().toMillis()
              + " ms is above the brokers' "
              + BROKER_MAXIMUM
              + " ("
              + maximum.toMillis()
              + " ms): lower it or raise the brokers' maximum");
    }
  }

  /** The smallest {@code transaction.max.timeout.ms} of the cluster's brokers, or null. */
  static Duration brokerMaximum(KafkaOptions kafka) throws Exception {
    Properties props = kafka.toProperties();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
    try (Admin admin = Admin.create(props)) {
      Collection<Node> nodes =
          admin.describeCluster().nodes().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      List<ConfigResource> brokers =
          nodes.stream()
              .map(n -> new ConfigResource(ConfigResource.Type.BROKER, n.idString()))
              .toList();
      Duration smallest = null;
      for (Config config :
          admin.describeConfigs(brokers).all().get(WAIT.toSeconds(), TimeUnit.SECONDS).values()) {
        ConfigEntry entry = config.get(BROKER_MAXIMUM);
        if (entry != null && entry.value() != null) {
          Duration value = Duration.ofMillis(Long.parseLong(entry.value()));
          smallest = smallest == null || value.compareTo(smallest) < 0 ? value : smallest;
        }
      }
      return smallest;
    }
  }
}
