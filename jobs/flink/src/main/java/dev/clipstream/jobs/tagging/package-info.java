/** The real-time tagging job: decode, batch, encode with CLIP, label zero-shot, write. */
package dev.clipstream.jobs.tagging;
