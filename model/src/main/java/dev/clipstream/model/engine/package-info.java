/** Starting DJL's PyTorch engine offline and reporting what it runs on. */
package dev.clipstream.model.engine;
