/**
 * OpenAI's CLIP (ViT image tower, text tower) on DJL: {@link dev.clipstream.model.ClipModel} loads,
 * initialises, encodes and saves; {@link dev.clipstream.model.ClipConfig} describes it; {@link
 * dev.clipstream.model.ReferenceCheck} measures it against OpenAI's outputs.
 */
package dev.clipstream.model;
