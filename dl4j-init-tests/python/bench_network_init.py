"""PyTorch side of NetworkInitializerBenchmark: reset_parameters() of every module, in params/s, on
the same two models (3 x Linear(4096, 4096) + Linear(4096, 1000); a ResNet-like net with 51 convs).

Usage: python dl4j-init-tests/python/bench_network_init.py
"""
import time

import torch
import torch.nn as nn

REPS = 15
WARMUP_S = 5.0  # as NetworkInitializerBenchmark: warm up this long (and at least 10 runs) before timing


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


def mlp50m():
    return nn.Sequential(nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


def reset(model):
    for m in model.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()


def bench(name, model):
    n = sum(p.numel() for p in model.parameters())
    start, runs = time.perf_counter(), 0
    while runs < 10 or time.perf_counter() - start < WARMUP_S:
        torch.manual_seed(0)
        reset(model)
        runs += 1
    times = []
    for _ in range(REPS):
        torch.manual_seed(0)
        t0 = time.perf_counter()
        reset(model)
        times.append(time.perf_counter() - t0)
    times.sort()
    med = times[REPS // 2]
    print(f"BENCH torch {name:40s} {n:,} params  median {med * 1e3:.1f} ms  best {times[0] * 1e3:.1f} ms  "
          f"{n / med / 1e6:.0f} M params/s (best {n / times[0] / 1e6:.0f})")


if __name__ == "__main__":
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    with torch.no_grad():
        bench("MLP 3x4096^2+out reset_parameters()", mlp50m())
        bench("ResNet-like (51 convs) reset_parameters()", resnet_like())
