#!/usr/bin/env python3
"""Pillow's decode + OpenAI's CLIP preprocessing per photo, on one thread, for comparison with
`clipstream bench decode` on the same machine and the same files.

The steps are those of OpenAI's clip.clip._transform (Resize(n) with BICUBIC on the shorter side,
CenterCrop(n), convert("RGB"), ToTensor, Normalize), written with Pillow and numpy so that torchvision
is not needed: Pillow decodes (libjpeg-turbo, zlib) and resizes exactly as in OpenAI's pipeline.

  python3 bench/pillow-preprocess.py SECONDS FILE...
  (the photos: java -cp ... dev.clipstream.model.preprocess.DecodeBenchmark --write DIR)
"""
import io
import sys
import time

import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(data, n=224):
    image = Image.open(io.BytesIO(data))
    w, h = image.size
    # torchvision's Resize(int): the shorter side to n, the longer int(n * long / short)
    size = (n, int(n * h / w)) if w <= h else (int(n * w / h), n)
    image = image.resize(size, Image.BICUBIC)
    left = int(round((size[0] - n) / 2.0))
    top = int(round((size[1] - n) / 2.0))
    image = image.crop((left, top, left + n, top + n)).convert("RGB")
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    return ((pixels - MEAN) / STD).transpose(2, 0, 1).copy()


def measure(data, seconds):
    end = time.perf_counter() + min(2.0, seconds)
    while time.perf_counter() < end:
        preprocess(data)
    n = 0
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    end = wall0 + seconds
    while True:
        preprocess(data)
        n += 1
        if time.perf_counter() >= end:
            break
    wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
    return n, n / wall, n / cpu


def main():
    seconds = float(sys.argv[1])
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            data = f.read()
        n, per_wall, per_cpu = measure(data, seconds)
        print(f"pillow: {path} ({len(data)} bytes): {per_wall:.1f} images/s wall, "
              f"{per_cpu:.1f} per CPU-second, {n} images")


if __name__ == "__main__":
    main()
