/** Contrastive training: CLIP's loss with caption groups, AdamW, the learning-rate schedule. */
package dev.clipstream.model.training;
