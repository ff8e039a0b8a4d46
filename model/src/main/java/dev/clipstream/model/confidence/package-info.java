/**
 * An honest "unknown": a rule that abstains when the top label's probability (or its margin over
 * the second) is low, and its calibration on held-out labelled predictions to a target precision.
 */
package dev.clipstream.model.confidence;
