package dev.clipstream.jobs.control;

import dev.clipstream.schemas.FailureStage;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.DecodeResult;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Judges one control record against a {@link ControlPolicy}: size, decoding, limits, sense,
 * signature, then freshness (a replayed message, validly signed but not newer than the last one
 * accepted of its kind and name, is refused). Remembers what it accepted so that the next check
 * knows; {@link #newest()} is that memory, for a checkpoint.
 */
public final class ControlCheck {

  /** Why a record was refused; each is counted by its own metric. */
  public enum Refusal {
    MALFORMED,
    OVER_LIMIT,
    INVALID,
    UNSIGNED,
    UNTRUSTED_KEY,
    FORGED,
    REPLAYED
  }

  /** What became of a record. */
  public sealed interface Outcome {}

  public record Accepted(ControlMessage message) implements Outcome {}

  public record Refused(Refusal refusal, FailureStage stage, String id, String reason)
      implements Outcome {}

  private final ControlPolicy policy;
  private final SingleObjectCodec<LabelSetDefinition> labelSets =
      SingleObjectCodec.of(LabelSetDefinition.class);
  private final SingleObjectCodec<ModelUpdate> modelUpdates =
      SingleObjectCodec.of(ModelUpdate.class);
  private final Map<String, Long> newest = new HashMap<>();

  public ControlCheck(ControlPolicy policy) {
    this.policy = policy;
  }

  /** The newest accepted order (label-set version, model-update time) per kind and name. */
  public Map<String, Long> newest() {
    return Map.copyOf(newest);
  }

  /** Restores {@link #newest()} after a restart. */
  public void remember(String key, long order) {
    newest.merge(key, order, Math::max);
  }

  /** Judges a label-sets topic record. */
  public Outcome labelSet(byte[] value) {
    FailureStage stage = FailureStage.LABEL_SET;
    String tooBig = policy.limits().problemWithSize(value.length);
    if (tooBig != null) {
      return new Refused(Refusal.OVER_LIMIT, stage, null, tooBig);
    }
    DecodeResult<LabelSetDefinition> result = labelSets.decode(value);
    if (result instanceof DecodeResult.Failed<LabelSetDefinition> failed) {
      return new Refused(Refusal.MALFORMED, stage, null, failed.error().toString());
    }
    LabelSetDefinition definition = ((DecodeResult.Decoded<LabelSetDefinition>) result).value();
    String name = definition.getName().toString();
    String what = "label set '" + name + "' v" + definition.getVersion();
    String overLimit = policy.limits().problemWith(definition);
    if (overLimit != null) {
      return new Refused(Refusal.OVER_LIMIT, stage, name, overLimit);
    }
    try {
      LabelSetDefinitions.toLabelSet(definition);
    } catch (IllegalArgumentException e) {
      return new Refused(Refusal.INVALID, stage, name, e.getMessage());
    }
    Refused unsigned =
        signature(stage, name, what, SignedContent.of(definition), definition.getSignature());
    if (unsigned != null) {
      return unsigned;
    }
    String key = "label-set:" + name;
    Long last = newest.get(key);
    if (last != null && definition.getVersion() <= last) {
      return new Refused(
          Refusal.REPLAYED,
          stage,
          name,
          what + " is not newer than v" + last + ", already accepted: refused as a replay");
    }
    newest.put(key, definition.getVersion());
    return new Accepted(ControlMessage.of(definition));
  }

  /** Judges a model-updates topic record. */
  public Outcome modelUpdate(byte[] value) {
    FailureStage stage = FailureStage.MODEL_UPDATE;
    String tooBig = policy.limits().problemWithSize(value.length);
    if (tooBig != null) {
      return new Refused(Refusal.OVER_LIMIT, stage, null, tooBig);
    }
    DecodeResult<ModelUpdate> result = modelUpdates.decode(value);
    if (result instanceof DecodeResult.Failed<ModelUpdate> failed) {
      return new Refused(Refusal.MALFORMED, stage, null, failed.error().toString());
    }
    ModelUpdate update = ((DecodeResult.Decoded<ModelUpdate>) result).value();
    String version = update.getModelVersion().toString();
    String problem = problemWith(update);
    if (problem != null) {
      return new Refused(Refusal.INVALID, stage, version, problem);
    }
    String what = "model update " + version;
    Refused unsigned =
        signature(stage, version, what, SignedContent.of(update), update.getSignature());
    if (unsigned != null) {
      return unsigned;
    }
    long created = update.getCreatedTime().toEpochMilli();
    Long last = newest.get("model-update");
    if (last != null && created <= last) {
      return new Refused(
          Refusal.REPLAYED,
          stage,
          version,
          what
              + " was created at "
              + update.getCreatedTime()
              + ", not after the last accepted update ("
              + java.time.Instant.ofEpochMilli(last)
              + "): refused as a replay");
    }
    newest.put("model-update", created);
    return new Accepted(ControlMessage.of(update));
  }

  private Refused signature(
      FailureStage stage,
      String id,
      String what,
      byte[] content,
      dev.clipstream.schemas.ControlSignature signature) {
    TrustedKeys.Verdict verdict = policy.trusted().verify(content, signature);
    return switch (verdict) {
      case VALID -> null;
      case UNSIGNED ->
          policy.requireSignatures()
              ? new Refused(
                  Refusal.UNSIGNED,
                  stage,
                  id,
                  what + " is not signed and this job requires signatures")
              : null;
      case UNTRUSTED_KEY ->
          new Refused(
              Refusal.UNTRUSTED_KEY,
              stage,
              id,
              what
                  + " is signed by key "
                  + signature.getKeyId()
                  + ", which this job does not trust");
      case FORGED ->
          new Refused(
              Refusal.FORGED,
              stage,
              id,
              what
                  + " has a signature by key "
                  + signature.getKeyId()
                  + " that does not match its content");
    };
  }

  /** Why an update cannot be applied, judged from the record alone; null when it may be. */
  static String problemWith(ModelUpdate update) {
    if (update.getModelVersion().toString().isBlank()) {
      return "model update has no model version";
    }
    if (update.getCheckpointUri().toString().isBlank()) {
      return "model update " + update.getModelVersion() + " names no checkpoint";
    }
    String sha = update.getWeightsSha256().toString();
    if (sha.length() != 64 || !sha.chars().allMatch(HexFormat::isHexDigit)) {
      return "model update "
          + update.getModelVersion()
          + " has no valid SHA-256 (64 hex digits expected)";
    }
    return null;
  }
}
