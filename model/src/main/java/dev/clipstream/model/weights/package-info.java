/** Reading and writing weights: safetensors files, their checksums and atomic writes. */
package dev.clipstream.model.weights;
