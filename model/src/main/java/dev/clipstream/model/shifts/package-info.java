/**
 * Seeded distribution shifts of images (placement, scale, colour, noise, blur, contrast,
 * brightness, JPEG, size) for measuring robustness, and the pixel operations they share with
 * training-time augmentation.
 */
package dev.clipstream.model.shifts;
