#!/usr/bin/env python3
"""Writes the small Fashion-MNIST subset that ships inside dl4j-init-examples.jar.

Takes the first N training and first M test examples of Fashion-MNIST (MIT licence,
Zalando Research, https://github.com/zalandoresearch/fashion-mnist) from the IDX files of
Debian's package dataset-fashion-mnist and writes them as gzipped IDX files with the
standard names. Standard library only; deterministic output (gzip mtime 0).

    python3 make_subset.py [--src /usr/share/datasets/fashion-mnist] [--train 4000] [--test 1000] OUT_DIR
"""
import argparse
import gzip
import os
import struct

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return magic, dims, data[4 + 4 * ndim:]


def write_subset(src, dst, count):
    magic, dims, payload = read_idx(src)
    if count > dims[0]:
        raise SystemExit(f"{src}: holds {dims[0]} examples, {count} asked for")
    per_item = 1
    for d in dims[1:]:
        per_item *= d
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), count, *dims[1:])
    with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
        f.write(header + payload[:count * per_item])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--src", default=DEBIAN_DIR)
    p.add_argument("--train", type=int, default=4000)
    p.add_argument("--test", type=int, default=1000)
    p.add_argument("out")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for split, n in (("train", a.train), ("t10k", a.test)):
        for kind in ("images-idx3", "labels-idx1"):
            name = f"{split}-{kind}-ubyte.gz"
            write_subset(os.path.join(a.src, name), os.path.join(a.out, name), n)
            print("wrote", os.path.join(a.out, name))


if __name__ == "__main__":
    main()
