package dev.clipstream.model.zeroshot;

/** One label of a prediction: its index in the label set, name and softmax probability. */
public record ScoredLabel(int index, String label, float probability) {}
