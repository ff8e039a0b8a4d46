package dev.clipstream.jobs.ui;

import dev.clipstream.model.ClipModel;

/**
 * The model the page embeds its queries with and the version its vectors carry in the index: the
 * page searches only that version's vectors, as {@code clipstream search} does.
 */
public record PageSearchModel(ClipModel model, String version) {}
