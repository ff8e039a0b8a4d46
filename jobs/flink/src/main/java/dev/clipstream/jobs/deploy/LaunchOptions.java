package dev.clipstream.jobs.deploy;

import dev.clipstream.model.data.FashionMnist;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * What a tagging job is started with beyond {@link dev.clipstream.jobs.tagging.TaggingOptions}: the
 * weights it serves, its labels and the Kafka client properties. On the command line these are also
 * the flags {@code --weights}, {@code --labels} and {@code --property}.
 */
public final class LaunchOptions {
  private LaunchOptions() {}

  public static final ConfigOption<String> WEIGHTS =
      ConfigOptions.key("model.weights")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Safetensors weights to serve (or, for the training job, to start from): a local"
                  + " path or any Flink file system URI (file://, s3://, hdfs://), read by each"
                  + " TaskManager when it loads the model, not by the client (empty: the default"
                  + " model embedded in the jar).");

  public static final ConfigOption<List<String>> LABELS =
      ConfigOptions.key("labels.names")
          .stringType()
          .asList()
          .defaultValues(FashionMnist.CLASSES.toArray(String[]::new))
          .withDescription("Labels of the label set, separated by ';' (default: Fashion-MNIST's).");

  public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES =
      ConfigOptions.key("kafka.properties")
          .mapType()
          .defaultValue(Map.of())
          .withDescription(
              "Kafka client properties for every source and sink, e.g."
                  + " 'security.protocol:SSL,ssl.truststore.location:/etc/kafka/truststore.jks'.");
}
