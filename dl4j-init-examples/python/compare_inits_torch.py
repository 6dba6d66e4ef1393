#!/usr/bin/env python3
"""PyTorch twin of `dl4j-init-examples compare-inits`: MLP 784-256-128-10, ReLU, dropout 0.2 after
each hidden layer, Adam lr 0.001, batch 100, 2 epochs; train on the first 80 % of the training file
(48,000 of Fashion-MNIST's 60,000), validate on the last 20 % (12,000), as the Java command does.
Biases 0 for every scheme except the PyTorch default (which keeps PyTorch's own biases).

    python compare_inits_torch.py [--data DIR] [--epochs 2] [--threads N] [--schemes a,b,...]
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import idx


def general_rule(w):
    n = w.shape[1]
    nn.init.uniform_(w, -1.0 / math.sqrt(n), 1.0 / math.sqrt(n))


def normal_rule(w):
    nn.init.normal_(w, 0.0, 1.0 / math.sqrt(w.shape[1]))


SCHEMES = {
    "zeros": lambda w: nn.init.zeros_(w),
    "ones": lambda w: nn.init.ones_(w),
    "uniform": lambda w: nn.init.uniform_(w, 0.0, 1.0),
    "centered": lambda w: nn.init.uniform_(w, -0.5, 0.5),
    "general-rule": general_rule,
    "normal": normal_rule,
    "torch-default": None,
    "kaiming": lambda w: nn.init.kaiming_normal_(w, a=0, mode="fan_in", nonlinearity="relu"),
    "xavier": lambda w: nn.init.xavier_uniform_(w),
}


class Mlp(nn.Module):
    def __init__(self, scheme):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
        self.dropout = nn.Dropout(0.2)
        if SCHEMES[scheme] is not None:
            for fc in (self.fc1, self.fc2, self.fc3):
                SCHEMES[scheme](fc.weight)
                nn.init.zeros_(fc.bias)

    def forward(self, x):
        x = x.view(-1, 784)
        x = self.dropout(F.relu(self.fc1(x)))
        x = self.dropout(F.relu(self.fc2(x)))
        return self.fc3(x)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--schemes", default=",".join(SCHEMES))
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    xtr, ytr, _, _ = (torch.from_numpy(t) for t in idx.load(a.data))
    n_train = len(xtr) * 4 // 5
    xv, yv, xtr, ytr = xtr[n_train:], ytr[n_train:], xtr[:n_train], ytr[:n_train]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, train {len(xtr)}, validation {len(xv)}")
    print("| scheme | validation accuracy | last training loss | seconds per epoch |")
    print("|---|---:|---:|---:|")
    for name in a.schemes.split(","):
        torch.manual_seed(a.seed)
        model = Mlp(name)
        opt = torch.optim.Adam(model.parameters(), lr=0.001)
        secs = 0.0
        for _ in range(a.epochs):
            model.train()
            perm = torch.randperm(len(xtr))
            t0 = time.perf_counter()
            for i in range(0, len(xtr), 100):
                b = perm[i:i + 100]
                opt.zero_grad()
                loss = F.cross_entropy(model(xtr[b]), ytr[b])
                loss.backward()
                opt.step()
            secs += time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            acc = (model(xv).argmax(1) == yv).float().mean().item()
        print(f"| {name} | {100 * acc:.3f} % | {loss.item():.4f} | {secs / a.epochs:.1f} |", flush=True)


if __name__ == "__main__":
    main()
