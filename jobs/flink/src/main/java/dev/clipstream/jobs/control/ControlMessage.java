package dev.clipstream.jobs.control;

import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import org.apache.avro.specific.SpecificRecord;

/**
 * A checked control record on its way to the encoders: a label-set definition or a model update,
 * kept as its single-object Avro bytes so that Flink moves it as plain bytes; or the label
 * prototypes taught by examples so far ({@link TaughtPrototypes}, made inside the job).
 */
public class ControlMessage {

  /** What the record changes. */
  public enum Kind {
    LABEL_SET,
    MODEL_UPDATE,
    PROTOTYPES
  }

  public Kind kind;

  /** Orders messages of one kind: a label set's version, a model update's creation time. */
  public long order;

  public byte[] payload;

  /** For Flink's POJO serializer. */
  public ControlMessage() {}

  private ControlMessage(Kind kind, long order, byte[] payload) {
    this.kind = kind;
    this.order = order;
    this.payload = payload;
  }

  public static ControlMessage of(LabelSetDefinition definition) {
    return new ControlMessage(
        Kind.LABEL_SET,
        definition.getVersion(),
        SingleObjectCodec.of(LabelSetDefinition.class).encode(definition));
  }

  public static ControlMessage of(ModelUpdate update) {
    return new ControlMessage(
        Kind.MODEL_UPDATE,
        update.getCreatedTime().toEpochMilli(),
        SingleObjectCodec.of(ModelUpdate.class).encode(update));
  }

  /** Prototypes taught by examples; {@code order} counts the examples taught so far. */
  public static ControlMessage of(TaughtPrototypes taught, long order) {
    return new ControlMessage(Kind.PROTOTYPES, order, taught.encode());
  }

  /** The taught prototypes this message carries. */
  public TaughtPrototypes taught() {
    if (kind != Kind.PROTOTYPES) {
      throw new IllegalStateException("a " + kind + " message is not a " + Kind.PROTOTYPES);
    }
    return TaughtPrototypes.decode(payload);
  }

  /** The label-set definition this message carries. */
  public LabelSetDefinition labelSet() {
    return decode(Kind.LABEL_SET, LabelSetDefinition.class);
  }

  /** The model update this message carries. */
  public ModelUpdate modelUpdate() {
    return decode(Kind.MODEL_UPDATE, ModelUpdate.class);
  }

  private <T extends SpecificRecord> T decode(Kind expected, Class<T> type) {
    if (kind != expected) {
      throw new IllegalStateException("a " + kind + " message is not a " + expected);
    }
    DecodeResult<T> result = SingleObjectCodec.of(type).decode(payload);
    if (result instanceof DecodeResult.Decoded<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException("checked control message no longer decodes: " + result);
  }

  /**
   * The message of the highest {@code order} of each kind among {@code messages}: what a union
   * restore of every subtask's copy of the same broadcast comes down to.
   */
  public static java.util.Collection<ControlMessage> newestOfEachKind(
      Iterable<ControlMessage> messages) {
    java.util.Map<Kind, ControlMessage> newest = new java.util.EnumMap<>(Kind.class);
    for (ControlMessage m : messages) {
      newest.merge(m.kind, m, (a, b) -> b.order > a.order ? b : a);
    }
    return newest.values();
  }

  @Override
  public String toString() {
    return kind + "@" + order;
  }
}
