package dev.clipstream.model.training;

/** What one optimisation step did: its number, loss, gradient norm, rate and temperature. */
public record TrainingStep(
    long step, double loss, double gradientNorm, double learningRate, float logitScale) {}
