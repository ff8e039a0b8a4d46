/** Image decoding with size limits and OpenAI CLIP's preprocessing, in pure Java. */
package dev.clipstream.model.preprocess;
