/** CLIP's text tower: OpenAI's causally masked text transformer as a DJL block. */
package dev.clipstream.model.text;
