/**
 * Near-duplicates by nearest neighbours in embedding space, as the CLIP paper's overlap analysis
 * finds them: a bounded window of recent image embeddings, per source or global.
 */
package dev.clipstream.model.duplicates;
