package dev.clipstream.jobs.control;

import dev.clipstream.schemas.LabelDefinition;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a control message's signature covers: every field that changes what the tagging job
 * does, in a fixed order, each length-prefixed, after a tag that names the kind (so a label set's
 * signature can never pass for a model update's). Not the Avro bytes: those change with the schema
 * and carry the signature itself.
 */
public final class SignedContent {
  private SignedContent() {}

  static final String MODEL_UPDATE_TAG = "clipstream/model-update/v1";
  static final String LABEL_SET_TAG = "clipstream/label-set/v1";

  /** Version, step, file, the weights' SHA-256 (which pins the architecture), metrics, time. */
  public static byte[] of(ModelUpdate update) {
    return write(
        out -> {
          text(out, MODEL_UPDATE_TAG);
          text(out, update.getModelVersion().toString());
          out.writeLong(update.getTrainingStep());
          text(out, update.getCheckpointUri().toString());
          text(out, update.getWeightsSha256().toString().toLowerCase(Locale.ROOT));
          Map<String, Double> metrics = new TreeMap<>();
          update.getMetrics().forEach((k, v) -> metrics.put(k.toString(), v));
          out.writeInt(metrics.size());
          for (Map.Entry<String, Double> m : metrics.entrySet()) {
            text(out, m.getKey());
            out.writeLong(Double.doubleToLongBits(m.getValue()));
          }
          out.writeLong(update.getCreatedTime().toEpochMilli());
        });
  }

  /** Name, version, every label with its prompts, the templates, time. */
  public static byte[] of(LabelSetDefinition definition) {
    return write(
        out -> {
          text(out, LABEL_SET_TAG);
          text(out, definition.getName().toString());
          out.writeLong(definition.getVersion());
          out.writeInt(definition.getLabels().size());
          for (LabelDefinition label : definition.getLabels()) {
            text(out, label.getName().toString());
            texts(out, label.getPrompts());
          }
          texts(out, definition.getTemplates());
          out.writeLong(definition.getCreatedTime().toEpochMilli());
        });
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static void texts(DataOutputStream out, List<? extends CharSequence> texts)
      throws IOException {
    out.writeInt(texts.size());
    for (CharSequence t : texts) {
      text(out, t.toString());
    }
  }

  private static void text(DataOutputStream out, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
