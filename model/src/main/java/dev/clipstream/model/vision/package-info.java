/** CLIP's image tower: OpenAI's Vision Transformer as a DJL block. */
package dev.clipstream.model.vision;
