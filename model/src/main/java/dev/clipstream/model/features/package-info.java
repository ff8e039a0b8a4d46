/**
 * CLIP embeddings as plain float vectors: a labelled image set embedded once, a label set's text
 * weights, and the vector arithmetic the few-shot, confidence and duplicate code shares.
 */
package dev.clipstream.model.features;
