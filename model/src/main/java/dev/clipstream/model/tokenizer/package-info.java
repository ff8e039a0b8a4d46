/** OpenAI CLIP's byte-level BPE tokenizer in pure Java. */
package dev.clipstream.model.tokenizer;
