"""Reads MNIST-format IDX files (gzipped or not) into numpy arrays; shared by the PyTorch scripts.

Same rules as the Java reader: with no --data folder, Debian's dataset-fashion-mnist location.
"""
import gzip
import os
import struct

import numpy as np

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
NAMES = {
    "train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte",
}


def _find(folder, base):
    for name in (base, base + ".gz"):
        p = os.path.join(folder, name)
        if os.path.isfile(p):
            return p
    raise SystemExit(f"{os.path.join(folder, base)}[.gz]: file not found")


def read_idx(path, expected_magic):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    if magic != expected_magic:
        raise SystemExit(f"{path}: magic number {magic:#010x}, expected {expected_magic:#010x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: {arr.size} data bytes, header says {int(np.prod(dims))}")
    return arr.reshape(dims)


def load(folder=None):
    """Returns (x_train, y_train, x_test, y_test): float32 images in [0,1] of shape [n,1,28,28], int64 labels."""
    folder = folder or DEBIAN_DIR
    out = []
    for split in ("train", "test"):
        x = read_idx(_find(folder, NAMES[split + "_images"]), 0x00000803)
        y = read_idx(_find(folder, NAMES[split + "_labels"]), 0x00000801)
        if len(x) != len(y):
            raise SystemExit(f"{folder}: {len(x)} {split} images but {len(y)} labels")
        out += [(x.astype(np.float32) / 255.0)[:, None, :, :], y.astype(np.int64)]
    return tuple(out)
