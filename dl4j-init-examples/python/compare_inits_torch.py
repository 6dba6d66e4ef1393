#!/usr/bin/env python3
"""PyTorch twin of `dl4j-init-examples compare-inits`: MLP 784-256-128-10, ReLU, dropout 0.2 after
each hidden layer, Adam lr 0.001, batch 100, 2 epochs; train on the first 80 % of the training file
(48,000 of Fashion-MNIST's 60,000), validate on the last 20 % (12,000) after every epoch, as the Java
command does. Biases 0 for every scheme except the PyTorch default (which keeps PyTorch's own biases).

    python compare_inits_torch.py [--data DIR] [--epochs 2] [--seed 42] [--seeds N] [--threads N]
                                  [--schemes a,b,...] [--csv FILE] [--validate-with-dropout] [--java-shuffle]

--seeds N trains every scheme N times, with seeds --seed, --seed + 1, ..., --seed + N - 1 (seed-major:
all schemes with the first seed, then all with the next). A seed sets torch's generator before the
model is built, so it changes the initialization, the dropout masks and the shuffling; the split
stays fixed. Every finished run is appended to --csv (flushed, so an interrupted sweep keeps the runs
already finished), one row per epoch, with the columns of the Java command's compare-inits-runs.csv;
`dl4j-init-examples compare-inits --seeds N --torch-csv FILE` or `compare-inits-report` put the two
side by side.

--validate-with-dropout measures validation accuracy as the published notebook does: with the model
left in training mode, so dropout stays active. The training is unchanged (the evaluation's dropout
masks come from a forked generator), so the same seeds train the same models; only what is measured
differs. Those rows are not comparable with the Java command's, which validates in inference mode.

--java-shuffle draws each epoch's mini-batch order as the Java command does (java.util.Random seeded
with the run's seed, Fisher-Yates from the last position, the previous epoch's order reshuffled), so
that both frameworks train on the same mini-batches; initialization and dropout still come from torch.
"""
import argparse
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import idx

CSV_HEADER = "framework,scheme,seed,epoch,validation_accuracy,mean_train_loss,train_seconds"


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


class JavaRandom:
    """java.util.Random: the 48-bit linear congruential generator and its unbiased nextInt(bound)."""
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.state = (seed ^ 0x5DEECE66D) & self.MASK

    def next31(self):
        self.state = (self.state * 0x5DEECE66D + 0xB) & self.MASK
        return self.state >> 17

    def next_int(self, bound):
        r = self.next31()
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < (1 << 31):  # Java rejects draws whose int arithmetic overflows here
                return r
            u = self.next31()


def java_shuffle(order, rnd):
    """The Java command's InMemoryIterator.reset(): Fisher-Yates from the last position, in place."""
    for i in range(len(order) - 1, 0, -1):
        j = rnd.next_int(i + 1)
        order[i], order[j] = order[j], order[i]


def accuracy(model, x, y, with_dropout=False):
    """Percentage of x classified as y: in inference mode, or with dropout active (the published protocol)."""
    with torch.no_grad(), torch.random.fork_rng():
        model.train(with_dropout)
        acc = (model(x).argmax(1) == y).double().mean().item()
    model.train()
    return 100.0 * acc


def train_one(name, seed, epochs, xtr, ytr, xv, yv, with_dropout=False, java_order=False):
    """Trains one scheme with one seed; returns one (accuracy %, mean loss, seconds, last loss) per epoch."""
    torch.manual_seed(seed)
    model = Mlp(name)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    rnd, order = (JavaRandom(seed), list(range(len(xtr)))) if java_order else (None, None)
    out = []
    for epoch in range(1, epochs + 1):
        model.train()
        if java_order:
            java_shuffle(order, rnd)
            perm = torch.tensor(order)
        else:
            perm = torch.randperm(len(xtr))
        t0 = time.perf_counter()
        loss_sum, batches = 0.0, 0
        for i in range(0, len(xtr), 100):
            b = perm[i:i + 100]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[b]), ytr[b])
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            batches += 1
        secs = time.perf_counter() - t0
        acc = accuracy(model, xv, yv, with_dropout)
        out.append((acc, loss_sum / batches, secs, loss.item()))
        print(f"{name} seed {seed} epoch {epoch}/{epochs}: mean train loss {loss_sum / batches:.4f},"
              f" accuracy {acc:.2f} %, {secs:.1f} s training", flush=True)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--seeds", type=int, default=1, help="runs per scheme, seeds --seed ... --seed + N - 1")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--schemes", default=",".join(SCHEMES))
    p.add_argument("--validate-with-dropout", action="store_true",
                   help="validate with dropout active, as the published notebook does (see above)")
    p.add_argument("--java-shuffle", action="store_true",
                   help="mini-batch order from java.util.Random, as the Java command draws it (see above)")
    p.add_argument("--csv", default=os.path.join("dl4j-init-output", "compare-inits-torch-runs.csv"),
                   help="every run, one row per epoch (default: %(default)s)")
    a = p.parse_args()
    if a.epochs < 1:
        p.error(f"--epochs: {a.epochs}, expected a positive number")
    if a.seeds < 1:
        p.error(f"--seeds: {a.seeds}, expected a positive number")
    names = a.schemes.split(",")
    for name in names:
        if name not in SCHEMES:
            p.error(f"--schemes: '{name}' is not one of {', '.join(SCHEMES)}")
    if a.threads:
        torch.set_num_threads(a.threads)
    xtr, ytr, _, _ = (torch.from_numpy(t) for t in idx.load(a.data))
    n_train = len(xtr) * 4 // 5
    xv, yv, xtr, ytr = xtr[n_train:], ytr[n_train:], xtr[:n_train], ytr[:n_train]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, train {len(xtr)}, validation {len(xv)},"
          f" {a.seeds} seed(s) from {a.seed}"
          + (", validation with dropout active (the published notebook's protocol)" if a.validate_with_dropout else "")
          + (", mini-batch order from java.util.Random" if a.java_shuffle else ""),
          flush=True)
    if os.path.dirname(a.csv):
        os.makedirs(os.path.dirname(a.csv), exist_ok=True)
    finals = {name: [] for name in names}
    with open(a.csv, "w") as csv:
        csv.write(CSV_HEADER + "\n")
        csv.flush()
        for seed in range(a.seed, a.seed + a.seeds):
            for name in names:
                epochs = train_one(name, seed, a.epochs, xtr, ytr, xv, yv, a.validate_with_dropout, a.java_shuffle)
                csv.write("".join(f"pytorch,{name},{seed},{e},{acc:.4f},{loss:.6f},{secs:.3f}\n"
                                  for e, (acc, loss, secs, _) in enumerate(epochs, start=1)))
                csv.flush()
                finals[name].append(epochs)
    print()
    if a.seeds == 1:
        print("| scheme | validation accuracy | last training loss | seconds per epoch |")
        print("|---|---:|---:|---:|")
        for name in names:
            epochs = finals[name][0]
            acc, _, _, last = epochs[-1]
            print(f"| {name} | {acc:.3f} % | {last:.4f} | {sum(s for _, _, s, _ in epochs) / a.epochs:.1f} |")
    else:
        print(f"| scheme | validation accuracy after epoch {a.epochs}, mean ± std over {a.seeds} seeds |")
        print("|---|---:|")
        for name in names:
            accs = [epochs[-1][0] for epochs in finals[name]]
            print(f"| {name} | {statistics.mean(accs):.3f} ± {statistics.stdev(accs):.3f} % |")
    print(f"Wrote {a.csv}")


if __name__ == "__main__":
    main()
