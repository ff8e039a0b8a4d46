/**
 * Transformer blocks shared by CLIP's two towers, as DJL blocks whose parameters carry OpenAI's
 * names: linear and layer-norm layers, self-attention, the QuickGELU MLP, residual blocks and the
 * transformer stack, plus the scoping and grad-mode guards every forward pass runs under.
 */
package dev.clipstream.model.nn;
