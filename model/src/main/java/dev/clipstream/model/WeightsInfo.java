package dev.clipstream.model;

import dev.clipstream.model.weights.DType;
import java.nio.file.Path;

/** What {@link ClipModel#save} wrote: the weights file, its manifest and its checksum. */
public record WeightsInfo(
    Path weights,
    Path manifest,
    String sha256,
    DType dtype,
    long parameterCount,
    ClipConfig config) {}
