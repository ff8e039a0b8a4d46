package dev.clipstream.jobs.control;

import dev.clipstream.schemas.ModelUpdate;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the continual-training job's model updates on their way to Kafka with the key at {@code
 * control.signing-key}. The key file is read on the TaskManager in {@link #open}, so the private
 * key never travels in the job graph; an empty path leaves updates unsigned (logged once).
 */
public final class SignModelUpdates extends RichMapFunction<ModelUpdate, ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SignModelUpdates.class);

  private final String keyFile;
  private transient ControlSigner signer;

  public SignModelUpdates(String keyFile) {
    this.keyFile = keyFile == null ? "" : keyFile.strip();
  }

  @Override
  public void open(OpenContext context) throws Exception {
    if (keyFile.isEmpty()) {
      LOG.warn(
          "no {} set: model updates go out unsigned, and tagging jobs that require signatures"
              + " refuse them",
          ControlOptions.SIGNING_KEY.key());
    } else {
      signer = ControlSigner.load(Path.of(keyFile));
      LOG.info("signing model updates with key {}", signer.keyId());
    }
  }

  @Override
  public ModelUpdate map(ModelUpdate update) {
    return signer == null ? update : signer.sign(update);
  }
}
