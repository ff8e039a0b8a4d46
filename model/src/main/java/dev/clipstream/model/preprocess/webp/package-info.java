/**
 * A decoder of lossy WebP (a VP8 key frame, RFC 6386, in a RIFF container) that gives the RGB bytes
 * libwebp, and so Pillow, gives: the VP8 reconstruction the RFC defines, then libwebp's output
 * conversion (bilinear "fancy" chroma upsampling and its fixed-point BT.601 YUV to RGB).
 */
package dev.clipstream.model.preprocess.webp;
