#!/usr/bin/env python3
"""Makes the bit-exactness fixtures of dl4j-init's TorchGenerator with REAL PyTorch.

Every case is: torch.manual_seed(seed); <fn>(tensor, *args); then four raw draws
torch.empty(4, dtype=torch.int64).random_(), which are random64() & (2^63 - 1) of PyTorch's
mt19937 (so the Java side can check that the generator stream is still in sync after the fill).

For each case the manifest records the sha256 of the result's little-endian bytes in C order,
the first 8 values as hex bits, every value as hex bits when the tensor has at most 17 elements,
and the four sync draws. orthogonal_ cases also get a full .npy of the result (the QR is compared
with a tolerance) and the sha256 of the normal draws that feed the QR (compared exactly).

Usage (from the repository root, with a Python that has torch and numpy, e.g. a venv made with
`pip install --no-index path/to/torch-*.whl numpy`):

    python dl4j-init-tests/python/make_rng_fixtures.py            # (re)write the fixtures
    python dl4j-init-tests/python/make_rng_fixtures.py --check    # compare committed fixtures
                                                                  # with the installed torch

The fixtures are written to dl4j-init-tests/src/test/resources/fixtures/rng/. This script is the
only way they are made.
"""
import argparse
import hashlib
import json
import math
import os
import platform
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "src", "test", "resources", "fixtures", "rng"))

SEEDS = [0, 1, 2, 42, 123456789, 2**32, 2**32 + 5, -1, -2**63, 2**63 - 1]
SIZES = [1, 7, 15, 16, 17, 1000, 65541]
DTYPES = {"float32": torch.float32, "float64": torch.float64}

# 2-D PyTorch shapes (out, in) used by the fan-based schemes for each element count.
SHAPES_2D = {1: [1, 1], 7: [7, 1], 15: [3, 5], 16: [4, 4], 17: [17, 1], 1000: [40, 25], 65541: [21, 3121]}
CONV_SHAPES = [[16, 3, 5, 5], [8, 4, 3, 3], [6, 2, 3, 3, 3], [4, 2, 7]]
# orthogonal_ where LAPACK's QR works in blocks of columns: tall, wide, square, a conv weight flattened
# wide (64 x 288) and one flattened tall (128 x 64)
ORTHOGONAL_SHAPES = [[300, 100], [100, 300], [256, 256], [64, 32, 3, 3], [128, 16, 2, 2]]

# fn name -> (args, dims): dims 1 = a 1-D tensor of n elements, 2 = SHAPES_2D[n].
FNS = {
    "uniform_": ([-0.5, 2.0], 1),
    "uniform_unit": ([0.0, 1.0], 1),
    "normal_": ([0.3, 2.0], 1),
    "trunc_normal_": ([0.0, 1.0, -2.0, 2.0], 1),            # p > 0.3: normal + redraw branch
    "trunc_normal_tail": ([0.0, 1.0, 1.5, 3.0], 1),         # p < 0.3: uniform proposal branch
    "xavier_uniform_": ([1.0], 2),
    "xavier_normal_": ([1.0], 2),
    "kaiming_uniform_": ([math.sqrt(5.0), "fan_in", "leaky_relu"], 2),  # nn.Linear's default
    "kaiming_normal_": ([0.0, "fan_out", "relu"], 2),
    "orthogonal_": ([1.0], 2),
    "sparse_": ([0.3, 0.01], 2),
}


def apply_fn(fn, t, args):
    if fn in ("uniform_", "uniform_unit"):
        nn.init.uniform_(t, args[0], args[1])
    elif fn == "normal_":
        nn.init.normal_(t, args[0], args[1])
    elif fn in ("trunc_normal_", "trunc_normal_tail"):
        nn.init.trunc_normal_(t, args[0], args[1], args[2], args[3])
    elif fn == "xavier_uniform_":
        nn.init.xavier_uniform_(t, gain=args[0])
    elif fn == "xavier_normal_":
        nn.init.xavier_normal_(t, gain=args[0])
    elif fn == "kaiming_uniform_":
        nn.init.kaiming_uniform_(t, a=args[0], mode=args[1], nonlinearity=args[2])
    elif fn == "kaiming_normal_":
        nn.init.kaiming_normal_(t, a=args[0], mode=args[1], nonlinearity=args[2])
    elif fn == "orthogonal_":
        nn.init.orthogonal_(t, gain=args[0])
    elif fn == "sparse_":
        # sparse_'s randperm always uses the default generator, so no generator is passed anywhere
        nn.init.sparse_(t, args[0], args[1])
    else:
        raise ValueError(fn)


# float64 normal_ calls the system libm (log, sin, cos, log1p), so its last bits depend on the libm:
# those cases get their full values (.npy) or an evenly spaced sample, compared with a ulp tolerance.
NORMAL_FAMILY = {"normal_", "xavier_normal_", "kaiming_normal_", "trunc_normal_", "sparse_", "orthogonal_",
                 "normal_noncontig", "normal_sequence"}
SAMPLE_ABOVE = 1200
SAMPLE_EVERY = 127


def uses_libm(case):
    return case["dtype"] == "float64" and case["fn"] in NORMAL_FAMILY


def le_bytes(t):
    a = t.detach().contiguous().numpy()
    return a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()


def hex_bits(t):
    a = t.detach().contiguous().numpy().ravel()
    if a.dtype == np.float32:
        return ["%08x" % v for v in a.view(np.uint32).tolist()]
    return ["%016x" % v for v in a.view(np.uint64).tolist()]


def sync_draws():
    return ["%016x" % (v & (2**63 - 1)) for v in torch.empty(4, dtype=torch.int64).random_().tolist()]


def run_case(case):
    """Runs one case with the installed torch; returns (result tensor, record fields)."""
    torch.manual_seed(case["seed"])
    dtype = DTYPES[case["dtype"]]
    fn = case["fn"]
    if fn == "normal_noncontig":
        rows, cols, keep = case["shape_parent"]
        t = torch.empty(rows, cols, dtype=dtype)[:, :keep]
        t.normal_(case["args"][0], case["args"][1])
    elif fn == "normal_sequence":
        parts = []
        for n in case["shape"]:
            p = torch.empty(n, dtype=dtype)
            p.normal_(case["args"][0], case["args"][1])
            parts.append(p)
        t = torch.cat(parts)
    else:
        t = torch.empty(case["shape"], dtype=dtype)
        apply_fn(fn, t, case["args"])
    rec = {
        "sha256": hashlib.sha256(le_bytes(t)).hexdigest(),
        "first": hex_bits(t)[:8],
        "sync": sync_draws(),
    }
    if t.numel() <= 17:
        rec["values"] = hex_bits(t)
    if uses_libm(case) and t.numel() > SAMPLE_ABOVE:
        rec["sample_every"] = SAMPLE_EVERY
        rec["sample"] = hex_bits(t)[::SAMPLE_EVERY]
    if fn == "orthogonal_":
        rows = case["shape"][0]
        cols = t.numel() // rows
        torch.manual_seed(case["seed"])
        normals = torch.empty(rows, cols, dtype=dtype).normal_(0, 1)
        rec["normals_sha256"] = hashlib.sha256(le_bytes(normals)).hexdigest()
    return t, rec


def cases():
    out = []
    for fn, (args, dims) in FNS.items():
        for dtype in DTYPES:
            for n in SIZES:
                for seed in SEEDS:
                    if fn == "orthogonal_" and n == 65541 and not (dtype == "float32" and seed == 0):
                        continue  # keep the committed .npy files small
                    shape = [n] if dims == 1 else SHAPES_2D[n]
                    out.append({"fn": fn, "args": args, "shape": shape, "dtype": dtype, "seed": seed})
    conv_fns = ["kaiming_normal_", "kaiming_uniform_", "xavier_uniform_", "xavier_normal_", "normal_",
                "trunc_normal_", "orthogonal_"]
    for fn in conv_fns:
        for shape in CONV_SHAPES:
            for dtype in DTYPES:
                for seed in (0, 42, -1):
                    out.append({"fn": fn, "args": FNS[fn][0], "shape": shape, "dtype": dtype, "seed": seed})
    for shape in ORTHOGONAL_SHAPES:
        for dtype in DTYPES:
            out.append({"fn": "orthogonal_", "args": FNS["orthogonal_"][0], "shape": shape, "dtype": dtype, "seed": 7})
    # strided (non-contiguous) targets take the scalar Box-Muller path whatever their size
    for dtype in DTYPES:
        for seed in (0, 42, 2**32, -1):
            for parent in ([10, 8, 5], [40, 30, 17]):
                out.append({"fn": "normal_noncontig", "args": [0.0, 1.0], "shape": [parent[0], parent[2]],
                            "shape_parent": parent, "dtype": dtype, "seed": seed})
    # the scalar path's cached second value survives a batched fill in between
    for dtype in DTYPES:
        for seed in (0, 42):
            out.append({"fn": "normal_sequence", "args": [0.0, 1.0], "shape": [3, 20, 1], "dtype": dtype,
                        "seed": seed})
    # large fills: the block transform runs on several threads in Java; its bits must not change
    for fn in ("normal_", "uniform_", "kaiming_normal_"):
        out.append({"fn": fn, "args": FNS[fn][0], "shape": [4096, 4096], "dtype": "float32", "seed": 7})
    for i, c in enumerate(out):
        c["id"] = "%s-%s-%s-%s" % (c["fn"], c["dtype"], "x".join(map(str, c["shape"])), c["seed"])
    return out


def header():
    return {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "machine": platform.machine(),
        "sync": "after each fill: torch.empty(4, dtype=torch.int64).random_(), i.e. random64() & (2^63-1), as hex",
        "sha256": "of the result's little-endian bytes in C order",
    }


def generate():
    os.makedirs(OUT_DIR, exist_ok=True)
    for f in os.listdir(OUT_DIR):
        if f.endswith(".npy") or f == "manifest.json":
            os.remove(os.path.join(OUT_DIR, f))
    entries = []
    for case in cases():
        t, rec = run_case(case)
        case.update(rec)
        if case["fn"] == "orthogonal_" or (uses_libm(case) and t.numel() <= SAMPLE_ABOVE):
            name = case["id"].replace("-", "_") + ".npy"
            np.save(os.path.join(OUT_DIR, name), t.contiguous().numpy())
            case["npy"] = name
        entries.append(case)
    manifest = dict(header(), cases=entries)
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("wrote %d cases to %s (torch %s, %s)" % (len(entries), OUT_DIR, torch.__version__,
                                                  torch.backends.cpu.get_cpu_capability()))


def check():
    with open(os.path.join(OUT_DIR, "manifest.json")) as f:
        manifest = json.load(f)
    print("fixtures from torch %s (%s); installed torch %s (%s)" % (
        manifest["torch_version"], manifest["cpu_capability"], torch.__version__,
        torch.backends.cpu.get_cpu_capability()))
    bad = 0
    ortho_max = 0.0
    for case in manifest["cases"]:
        t, rec = run_case(case)
        if case["fn"] == "orthogonal_":
            same = rec["normals_sha256"] == case["normals_sha256"] and rec["sync"] == case["sync"]
            ref = np.load(os.path.join(OUT_DIR, case["npy"]))
            diff = float(np.max(np.abs(ref.astype(np.float64) - t.numpy().astype(np.float64)))) if ref.size else 0.0
            ortho_max = max(ortho_max, diff)
            same = same and diff <= 2e-6
        else:
            same = all(rec[k] == case[k] for k in ("sha256", "first", "sync"))
        if not same:
            bad += 1
            print("DIFFERS:", case["id"])
    print("%d of %d cases differ; orthogonal_ max abs difference %.3g" % (bad, len(manifest["cases"]), ortho_max))
    return 1 if bad else 0


def evaluate():
    """--eval: reads a JSON list of cases on stdin, writes their records (no .npy) to stdout."""
    records = []
    for case in json.load(sys.stdin):
        t, rec = run_case(case)
        rec["id"] = case.get("id")
        if case["fn"] == "orthogonal_":
            rec["values_all"] = hex_bits(t)
        records.append(rec)
    json.dump({"torch_version": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
               "records": records}, sys.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare the committed fixtures with the installed torch")
    ap.add_argument("--eval", action="store_true",
                    help="read cases as JSON on stdin and print their records (used by the live cross-check)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.eval:
        evaluate()
        return
    if args.check:
        sys.exit(check())
    generate()


if __name__ == "__main__":
    main()
