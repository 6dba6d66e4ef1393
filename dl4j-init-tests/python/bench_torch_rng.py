#!/usr/bin/env python3
"""Times torch's own uniform_ / normal_ / kaiming_uniform_ on a 4096x4096 float tensor.

Companion of the JMH benchmark io.github.dl4jinit.bench.TorchGeneratorBenchmark: run both in the
back to back on the same machine to compare. Prints the median and best of --reps runs (after
--warmup runs) in ms and M values/s.

    python dl4j-init-tests/python/bench_torch_rng.py [--reps 21] [--threads N]
"""
import argparse
import math
import statistics
import time

import torch
from torch import nn


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=21)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    t = torch.empty(4096, 4096)
    n = t.numel()
    ops = {
        "uniform_(-0.5, 0.5)": lambda: t.uniform_(-0.5, 0.5),
        "normal_(0, 1)": lambda: t.normal_(0, 1),
        "kaiming_uniform_(a=sqrt(5))": lambda: nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
    }
    print("torch %s, %s, %d threads, 4096x4096 float32" % (
        torch.__version__, torch.backends.cpu.get_cpu_capability(), torch.get_num_threads()))
    torch.manual_seed(0)
    for name, op in ops.items():
        for _ in range(args.warmup):
            op()
        times = []
        for _ in range(args.reps):
            s = time.perf_counter()
            op()
            times.append((time.perf_counter() - s) * 1e3)
        med, best = statistics.median(times), min(times)
        print("%-28s median %7.1f ms (%6.1f M/s)  best %7.1f ms (%6.1f M/s)" % (
            name, med, n / med / 1e3, best, n / best / 1e3))


if __name__ == "__main__":
    main()
