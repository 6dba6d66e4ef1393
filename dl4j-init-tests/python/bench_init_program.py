"""torchvision resnet18's whole init program, PyTorch beside dl4j-init, in one command.

PyTorch: ``torch.manual_seed(0); resnet18()`` (module construction, every reset_parameters(), then
ResNet's own kaiming_normal_ loop). dl4j-init: the same draws on the DL4J twin
(InitProgramBenchmark, JMH), exact (TorchGenerator, PyTorch's bits) and fast (ND4J-seeded samplers).
Prints both and the speed ratio (PyTorch time / dl4j-init time: above 1 means dl4j-init is faster).

Usage, from the repository root:
    ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests
    python dl4j-init-tests/python/bench_init_program.py [--reps N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_orders  # noqa: E402  (loads torchvision's model files without its package __init__)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JAR = os.path.join(ROOT, "dl4j-init-tests", "target", "benchmarks.jar")


def time_torch(reps):
    resnet18 = module_orders.load_callable("torchvision.models.resnet:resnet18")
    start = time.perf_counter()
    while time.perf_counter() - start < 10:  # warm up as long as JMH does
        torch.manual_seed(0)
        resnet18()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.manual_seed(0)
        resnet18()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), min(times), max(times)


def time_java():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "jmh.json")
        run = subprocess.run(["java", "-jar", JAR, "InitProgramBenchmark", "-rf", "json", "-rff", out],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stdout + f"\nerror: the JMH run failed (exit {run.returncode})")
        with open(out) as f:
            results = json.load(f)
    return {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in results}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=20, help="timed PyTorch runs (default 20)")
    args = p.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit(f"error: {JAR} is missing; build it first: ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {os.cpu_count()} cores")
    median, best, worst = time_torch(args.reps)
    java = time_java()
    print()
    print("| resnet18 init program (11.7 M parameters) | time per program | speed vs PyTorch |")
    print("|---|---:|---:|")
    print(f"| PyTorch `torch.manual_seed(0); resnet18()` | {median:.1f} ms (best {best:.1f}, worst {worst:.1f}) | 1.00x |")
    for name, label in (("resnet18ProgramExact", "dl4j-init exact (TorchGenerator, PyTorch's bits)"),
                        ("resnet18ProgramFast", "dl4j-init fast (ND4J-seeded)")):
        m = java[name]
        low, high = m["scoreConfidence"]
        print(f"| {label} | {m['score']:.1f} ms (99.9 % CI {low:.1f}-{high:.1f}) | {median / m['score']:.2f}x |")


if __name__ == "__main__":
    main()
