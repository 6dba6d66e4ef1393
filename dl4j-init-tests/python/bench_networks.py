"""Whole networks initialized as PyTorch initializes them, PyTorch beside dl4j-init, in one command.

Models (the same on both sides): an MLP 3 x Linear(4096, 4096) + Linear(4096, 1000) and a ResNet-like
net of 51 Conv2d(128, 128, 3) + 50 BatchNorm2d, each re-initialized by PyTorch's reset_parameters()
on every module; and torchvision's resnet18, whose whole init program is timed as
``torch.manual_seed(0); resnet18()`` (module construction, every reset_parameters(), then ResNet's
own kaiming_normal_ loop). dl4j-init: NetworkInitBenchmark (JMH), exact (TorchGenerator, PyTorch's
bits) and fast (ND4J-seeded samplers). Prints one table with both and the speed ratio (PyTorch time
divided by dl4j-init's: above 1 means dl4j-init is faster).

Usage, from the repository root:
    ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests
    python dl4j-init-tests/python/bench_networks.py
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_orders  # noqa: E402  (loads torchvision's model files without its package __init__)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JAR = os.path.join(ROOT, "dl4j-init-tests", "target", "benchmarks.jar")
WARMUP_S = 10  # as JMH's warm-up: 5 iterations of 2 s
REPS = 15


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c)


def resnet_like(c=128):
    return nn.Sequential(nn.Conv2d(3, c, 3, padding=1), *[Block(c) for _ in range(25)],
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))


def mlp():
    return nn.Sequential(nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


def reset(model):
    for m in model.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()


def timed(fn):
    start = time.perf_counter()
    while time.perf_counter() - start < WARMUP_S:
        fn()
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def time_torch():
    out = {}
    with torch.no_grad():
        for name, model in (("mlp", mlp()), ("resnet-like", resnet_like())):
            out[name] = timed(lambda: (torch.manual_seed(0), reset(model)))
    resnet18 = module_orders.load_callable("torchvision.models.resnet:resnet18")
    out["resnet18"] = timed(lambda: (torch.manual_seed(0), resnet18()))
    return out


def time_java():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "jmh.json")
        run = subprocess.run(["java", "-jar", JAR, "NetworkInitBenchmark", "-rf", "json", "-rff", path],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stdout + f"\nerror: the JMH run failed (exit {run.returncode})")
        with open(path) as f:
            results = json.load(f)
    return {(r["params"]["model"], r["benchmark"].rsplit(".", 1)[1]): r["primaryMetric"]["score"] for r in results}


MODELS = (("mlp", "MLP 3 x Linear(4096, 4096) + Linear(4096, 1000), 54.4 M, `reset_parameters()`"),
          ("resnet-like", "ResNet-like: 51 Conv2d(128, 128, 3), 50 BatchNorm2d, 7.4 M, `reset_parameters()`"),
          ("resnet18", "torchvision resnet18, 11.7 M: `torch.manual_seed(0); resnet18()`, its loop included"))


def main():
    if not os.path.exists(JAR):
        raise SystemExit(f"error: {JAR} is missing; build it first: ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f}")
    torch_ms = time_torch()
    java = time_java()
    print()
    print("| model | PyTorch | dl4j-init exact | exact speed | dl4j-init fast | fast speed |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, label in MODELS:
        t, e, f = torch_ms[key], java[(key, "exact")], java[(key, "fast")]
        print(f"| {label} | {t:.1f} ms | {e:.1f} ms | **{t / e:.2f}x** | {f:.1f} ms | **{t / f:.2f}x** |")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
