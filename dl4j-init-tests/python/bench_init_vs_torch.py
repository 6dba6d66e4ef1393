#!/usr/bin/env python3
"""Times single torch.nn.init fills in PyTorch and in dl4j-init, back to back, and prints the ratios.

Each round runs the Java side (io.github.dl4jinit.bench.InitBenchmark from the shaded benchmarks.jar,
one JVM for all rows, exact mode = TorchGenerator, fast mode = Nd4jSampler) and then the same rows
in this process with torch, on one float32 tensor per row: `warmup` untimed fills, then the median
of `reps` timed fills, in wall time and in CPU time of the whole process (all threads; what a busy
machine disturbs least). Rounds alternate the two sides, so that a change in the machine's load hits
both; the table gives, per row, the median over rounds and the range of the per-round ratios
(ratio = PyTorch's time / dl4j-init's time: above 1 means dl4j-init is faster).

    ./mvnw -B -pl dl4j-init-tests -am package -DskipTests
    python dl4j-init-tests/python/bench_init_vs_torch.py [--rounds 3] [--rows trunc_normal_,orthogonal_] [--large]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.normpath(os.path.join(HERE, "..", "target", "benchmarks.jar"))

# fn, shape, warmup, reps (the same for both sides)
ROWS = [
    ("uniform_", (4096, 4096), 3, 15),
    ("normal_", (4096, 4096), 3, 15),
    ("kaiming_normal_", (4096, 4096), 3, 15),
    ("trunc_normal_", (1024, 1024), 3, 15),
    ("trunc_normal_", (4096, 4096), 2, 7),
    ("orthogonal_", (512, 512), 3, 15),
    ("orthogonal_", (1024, 1024), 2, 7),
    ("orthogonal_", (4096, 4096), 1, 3),
]

# --large: the shapes orthogonal_ must also handle (a 512x512x3x3 conv weight flattens to 512 x 4608)
LARGE_ROWS = [
    ("orthogonal_", (512, 512, 3, 3), 3, 7),
    ("orthogonal_", (4096, 16384), 0, 1),
]

FILLS = {
    "uniform_": lambda t: nn.init.uniform_(t, -0.5, 0.5),
    "normal_": lambda t: nn.init.normal_(t, 0.0, 1.0),
    "kaiming_normal_": lambda t: nn.init.kaiming_normal_(t, a=0, mode="fan_in", nonlinearity="relu"),
    "trunc_normal_": lambda t: nn.init.trunc_normal_(t),
    "orthogonal_": lambda t: nn.init.orthogonal_(t),
}


def row_id(fn, shape):
    return "%s:%s" % (fn, "x".join(map(str, shape)))


def run_torch(rows):
    out = {}
    torch.manual_seed(0)
    for fn, shape, warmup, reps in rows:
        t = torch.empty(shape)
        for _ in range(warmup):
            FILLS[fn](t)
        times, cpu = [], []
        for _ in range(reps):
            c = time.process_time()
            s = time.perf_counter()
            FILLS[fn](t)
            times.append((time.perf_counter() - s) * 1e3)
            cpu.append((time.process_time() - c) * 1e3)
        out[row_id(fn, shape)] = (statistics.median(times), statistics.median(cpu))
    return out


def run_java(rows, java):
    args = [java, "-Xmx6g", "-Dorg.bytedeco.javacpp.maxbytes=8G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12G",
            "-cp", JAR, "io.github.dl4jinit.bench.InitBenchmark"]
    args += ["%s:%s:%d:%d" % (fn, "x".join(map(str, shape)), w, r) for fn, shape, w, r in rows]
    proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            rec = json.loads(line)
            out[(rec["row"], rec["mode"])] = (rec["median_ms"], rec["median_cpu_ms"])
    return out


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def spread(values):
    return "[%.2f-%.2f]" % (min(values), max(values)) if len(values) > 1 else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows", default="", help="comma-separated fn names to keep (default: all rows)")
    ap.add_argument("--large", action="store_true", help="time the large orthogonal_ shapes only")
    ap.add_argument("--java", default="java")
    args = ap.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit("%s is missing: run ./mvnw -B -pl dl4j-init-tests -am package -DskipTests" % JAR)
    rows = [r for r in (LARGE_ROWS if args.large else ROWS) if not args.rows or r[0] in args.rows.split(",")]
    print("torch %s (%s, %d threads), %s, %d cores; load average at start %s" % (
        torch.__version__, torch.backends.cpu.get_cpu_capability(), torch.get_num_threads(),
        platform.processor() or platform.machine(), os.cpu_count(), load()), flush=True)
    java_rounds, torch_rounds = [], []
    for r in range(args.rounds):
        java_rounds.append(run_java(rows, args.java))
        torch_rounds.append(run_torch(rows))
        print("round %d done, load average %s" % (r + 1, load()), flush=True)
    print()
    print("| fill | shape | PyTorch ms (CPU ms) | exact ms (CPU ms) | exact ratio: wall (CPU) | fast ms (CPU ms) "
          "| fast ratio: wall (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for fn, shape, _, _ in rows:
        rid = row_id(fn, shape)
        t = [tr[rid] for tr in torch_rounds]
        cells = ["`%s`" % fn, "×".join(map(str, shape)), timing(t)]
        for mode in ("exact", "fast"):
            j = [jr[(rid, mode)] for jr in java_rounds]
            wall = [tt[0] / jj[0] for tt, jj in zip(t, j)]
            cpu = [tt[1] / jj[1] if jj[1] > 0 else float("inf") for tt, jj in zip(t, j)]
            cells += [timing(j), "**%.2f×** %s (%.2f× %s)" % (statistics.median(wall), spread(wall),
                                                             statistics.median(cpu), spread(cpu))]
        print("| " + " | ".join(cells) + " |")
    print("\nload average at end %s; ms = median over %d rounds of each round's median; ratio = PyTorch's "
          "time / dl4j-init's (median over rounds, [range])" % (load(), args.rounds))


def timing(pairs):
    return "%.1f (%.1f)" % (statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs))

if __name__ == "__main__":
    main()
