/** Datasets the default model is trained and evaluated on: IDX files, MD5 checks, lookup order. */
package dev.clipstream.model.data;
