package dev.clipstream.jobs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.schemas.ControlSignature;
import dev.clipstream.schemas.LabelSetDefinition;
import dev.clipstream.schemas.ModelUpdate;
import dev.clipstream.schemas.wire.SingleObjectCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's admission rules, one refusal each: unsigned, signed by an unknown key, forged
 * (content changed after signing), replayed (validly signed but not newer), over a limit; and the
 * happy path, including a key rotation (two trusted keys at once).
 */
class ControlCheckTest {

  final KeyPair trustedPair = ControlKeys.generate();
  final KeyPair rotatedPair = ControlKeys.generate();
  final KeyPair strangerPair = ControlKeys.generate();
  final ControlSigner trusted = ControlSigner.of(trustedPair.getPrivate(), trustedPair.getPublic());
  final ControlSigner rotated = ControlSigner.of(rotatedPair.getPrivate(), rotatedPair.getPublic());
  final ControlSigner stranger =
      ControlSigner.of(strangerPair.getPrivate(), strangerPair.getPublic());
  final ControlCheck check =
      new ControlCheck(
          ControlPolicy.trusting(
              new TrustedKeys(
                  List.of(
                      trustedPair.getPublic().getEncoded(),
                      rotatedPair.getPublic().getEncoded()))));

  @Test
  void acceptsASignedLabelSetAndThenOneSignedByTheRotatedKey() {
    assertInstanceOf(ControlCheck.Accepted.class, check.labelSet(bytes(trusted.sign(set(2)))));
    assertInstanceOf(ControlCheck.Accepted.class, check.labelSet(bytes(rotated.sign(set(3)))));
  }

  @Test
  void refusesAnUnsignedLabelSet() {
    assertRefused(ControlCheck.Refusal.UNSIGNED, check.labelSet(bytes(set(2))), "is not signed");
  }

  @Test
  void refusesALabelSetSignedByAnUntrustedKey() {
    assertRefused(
        ControlCheck.Refusal.UNTRUSTED_KEY,
        check.labelSet(bytes(stranger.sign(set(2)))),
        "does not trust");
  }

  @Test
  void refusesALabelSetChangedAfterSigning() {
    LabelSetDefinition forged = trusted.sign(set(2));
    forged.getLabels().get(0).setName("wolf");
    assertRefused(
        ControlCheck.Refusal.FORGED, check.labelSet(bytes(forged)), "does not match its content");
  }

  @Test
  void refusesALabelSetWhoseSignatureWasMovedToAnotherKeyId() {
    LabelSetDefinition forged = stranger.sign(set(2));
    forged.setSignature(
        new ControlSignature(trusted.keyId(), forged.getSignature().getSignature()));
    assertRefused(ControlCheck.Refusal.FORGED, check.labelSet(bytes(forged)), "does not match");
  }

  @Test
  void refusesAReplayedLabelSet() {
    byte[] v3 = bytes(trusted.sign(set(3)));
    byte[] v2 = bytes(trusted.sign(set(2)));
    assertInstanceOf(ControlCheck.Accepted.class, check.labelSet(v3));
    assertRefused(ControlCheck.Refusal.REPLAYED, check.labelSet(v2), "not newer than v3");
    assertRefused(ControlCheck.Refusal.REPLAYED, check.labelSet(v3), "not newer than v3");
  }

  @Test
  void refusesALabelSetOverTheLabelLimit() {
    ControlCheck small =
        new ControlCheck(
            new ControlPolicy(
                true,
                new TrustedKeys(List.of(trustedPair.getPublic().getEncoded())),
                new ControlLimits(1 << 20, 3, 64, 100)));
    assertRefused(
        ControlCheck.Refusal.OVER_LIMIT,
        small.labelSet(bytes(trusted.sign(set(2)))),
        "has 4 labels, over the limit of 3");
  }

  @Test
  void refusesARecordOverTheByteLimitBeforeDecodingIt() {
    ControlCheck small =
        new ControlCheck(
            new ControlPolicy(true, TrustedKeys.none(), new ControlLimits(16, 3, 64, 100)));
    assertRefused(
        ControlCheck.Refusal.OVER_LIMIT,
        small.modelUpdate(new byte[17]),
        "17 bytes is over the limit of 16");
  }

  @Test
  void refusesUnsignedForgedAndReplayedModelUpdates() {
    ModelUpdate first = update("step-1", Instant.ofEpochMilli(1_000));
    ModelUpdate second = update("step-2", Instant.ofEpochMilli(2_000));
    assertRefused(ControlCheck.Refusal.UNSIGNED, check.modelUpdate(bytes(first)), "not signed");

    ModelUpdate forged = trusted.sign(update("step-2", Instant.ofEpochMilli(2_000)));
    forged.setWeightsSha256("ff".repeat(32));
    assertRefused(ControlCheck.Refusal.FORGED, check.modelUpdate(bytes(forged)), "does not match");

    byte[] signedSecond = bytes(trusted.sign(second));
    assertInstanceOf(ControlCheck.Accepted.class, check.modelUpdate(signedSecond));
    assertRefused(
        ControlCheck.Refusal.REPLAYED, check.modelUpdate(bytes(trusted.sign(first))), "replay");
    assertRefused(ControlCheck.Refusal.REPLAYED, check.modelUpdate(signedSecond), "replay");
  }

  @Test
  void acceptsUnsignedMessagesOnlyWhenSignaturesAreNotRequired() {
    ControlCheck lax =
        new ControlCheck(new ControlPolicy(false, TrustedKeys.none(), ControlLimits.defaults()));
    assertInstanceOf(ControlCheck.Accepted.class, lax.labelSet(bytes(set(2))));
    assertRefused(
        ControlCheck.Refusal.UNTRUSTED_KEY,
        lax.labelSet(bytes(stranger.sign(set(3)))),
        "does not trust");
  }

  @Test
  void aSignerLoadedFromItsPemFileHasTheKeyIdOfItsPublicKey(@TempDir Path dir) throws Exception {
    Path privateKey = dir.resolve("control.key");
    Path publicKey = dir.resolve("control.pub");
    ControlKeys.write(trustedPair, privateKey, publicKey);

    ControlSigner loaded = ControlSigner.load(privateKey);

    assertEquals(trusted.keyId(), loaded.keyId());
    assertEquals(trusted.keyId(), ControlKeys.keyId(ControlKeys.readPublic(publicKey)));
    assertTrue(Files.readString(privateKey).startsWith("-----BEGIN PRIVATE KEY-----"));
    ControlCheck fromFiles =
        new ControlCheck(
            ControlPolicy.trusting(new TrustedKeys(ControlKeys.readPublic(List.of(publicKey)))));
    assertInstanceOf(ControlCheck.Accepted.class, fromFiles.labelSet(bytes(loaded.sign(set(2)))));
  }

  static LabelSetDefinition set(long version) {
    LabelSetDefinition d =
        LabelSetDefinitions.of(
            LabelSet.of("animals", version, List.of("cat", "dog", "bird", "fish")));
    d.setCreatedTime(Instant.ofEpochMilli(version));
    d.setLabels(new ArrayList<>(d.getLabels()));
    return d;
  }

  static ModelUpdate update(String version, Instant created) {
    return ModelUpdate.newBuilder()
        .setModelVersion(version)
        .setTrainingStep(1)
        .setCheckpointUri(version + ".safetensors")
        .setWeightsSha256("ab".repeat(32))
        .setMetrics(Map.of("loss", 0.5))
        .setCreatedTime(created)
        .build();
  }

  static byte[] bytes(LabelSetDefinition d) {
    return SingleObjectCodec.of(LabelSetDefinition.class).encode(d);
  }

  static byte[] bytes(ModelUpdate u) {
    return SingleObjectCodec.of(ModelUpdate.class).encode(u);
  }

  static void assertRefused(
      ControlCheck.Refusal refusal, ControlCheck.Outcome outcome, String why) {
    ControlCheck.Refused refused = assertInstanceOf(ControlCheck.Refused.class, outcome);
    assertEquals(refusal, refused.refusal(), refused.reason());
    assertTrue(refused.reason().contains(why), refused.reason());
    assertTrue(!refused.reason().contains("\n"), "one line: " + refused.reason());
  }
}
