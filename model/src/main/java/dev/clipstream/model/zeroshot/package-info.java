/** Zero-shot classification: label sets, prompt templates, the cached label matrix, top-k. */
package dev.clipstream.model.zeroshot;
