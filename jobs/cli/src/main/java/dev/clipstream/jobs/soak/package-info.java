/**
 * {@code clipstream soak}: the tagging job under steady load on the embedded runtime for a while,
 * the process's resident set, heap, direct buffers, code cache and open files sampled once a second
 * against the events processed; it fails when the anonymous resident set (less the JIT's code cache
 * and metaspace) grows by more than a bound per event after the warm-up, or when an input does not
 * come back exactly once. {@link dev.clipstream.jobs.soak.SoakModel} and {@link
 * dev.clipstream.jobs.soak.SoakPhotos} make the real-size run: a ViT-B/32-sized model on JPEG
 * photos.
 */
package dev.clipstream.jobs.soak;
