package dev.clipstream.jobs.control;

import java.io.Serializable;

/**
 * What the tagging job accepts on its control topics: messages signed by one of {@code trusted}
 * (unless {@code requireSignatures} is off), within {@code limits}; and how much of a rejected
 * record's bytes a dead letter keeps.
 */
public record ControlPolicy(boolean requireSignatures, TrustedKeys trusted, ControlLimits limits)
    implements Serializable {

  /** Secure by default: signatures required, no key trusted yet, default limits. */
  public static ControlPolicy defaults() {
    return new ControlPolicy(true, TrustedKeys.none(), ControlLimits.defaults());
  }

  /** Signatures required from {@code trusted}, default limits. */
  public static ControlPolicy trusting(TrustedKeys trusted) {
    return new ControlPolicy(true, trusted, ControlLimits.defaults());
  }
}
