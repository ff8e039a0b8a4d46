/**
 * Checkpoint layouts: which files make up a CLIP checkpoint (OpenAI-named safetensors with
 * clipstream's manifest, a Hugging Face transformers folder, an open_clip folder, an OpenAI
 * TorchScript archive), how their tensors map onto OpenAI's names, and what their own descriptions
 * say about the activation, head counts and layer-norm epsilon.
 */
package dev.clipstream.model.checkpoint;
