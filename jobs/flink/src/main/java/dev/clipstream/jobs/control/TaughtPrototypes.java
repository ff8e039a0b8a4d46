package dev.clipstream.jobs.control;

import dev.clipstream.model.fewshot.ClassPrototypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The label prototypes taught by examples so far, and the model whose image embeddings they are
 * sums of: an encoder uses them only while it serves that model, so prototypes of two models never
 * mix. {@code modelKey} is {@link #CONFIGURED_MODEL} for the job's configured weights, else the
 * SHA-256 of the model update's weights.
 *
 * <p>Made inside the job (never read from Kafka), so its bytes are a plain versioned layout rather
 * than an Avro schema on the wire.
 */
public record TaughtPrototypes(String modelKey, ClassPrototypes prototypes) {

  /** The model key of the job's configured weights ({@code model.weights}). */
  public static final String CONFIGURED_MODEL = "configured";

  private static final int LAYOUT = 1;

  /** The model key of the weights a model-update message names (null: the configured ones). */
  public static String modelKeyOf(ControlMessage modelUpdate) {
    return modelUpdate == null
        ? CONFIGURED_MODEL
        : modelUpdate.modelUpdate().getWeightsSha256().toString().toLowerCase();
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(LAYOUT);
      out.writeUTF(modelKey);
      out.writeInt(prototypes.dimension());
      out.writeInt(prototypes.labels().size());
      for (String label : prototypes.labels()) {
        out.writeUTF(label);
        out.writeInt(prototypes.count(label));
        for (double v : prototypes.sum(label)) {
          out.writeDouble(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static TaughtPrototypes decode(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int layout = in.readInt();
      if (layout != LAYOUT) {
        throw new IllegalStateException(
            "taught prototypes in layout " + layout + ", not " + LAYOUT);
      }
      String modelKey = in.readUTF();
      int dimension = in.readInt();
      int labels = in.readInt();
      ClassPrototypes prototypes = new ClassPrototypes(dimension);
      for (int i = 0; i < labels; i++) {
        String label = in.readUTF();
        int count = in.readInt();
        double[] sum = new double[dimension];
        for (int j = 0; j < dimension; j++) {
          sum[j] = in.readDouble();
        }
        prototypes.addSum(label, sum, count);
      }
      return new TaughtPrototypes(modelKey, prototypes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
