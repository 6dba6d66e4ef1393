#!/usr/bin/env python3
"""PyTorch twin of `dl4j-init-examples train-cnn`: the same CNN, optimizer, batch size and data files.

    python train_cnn_torch.py [--data DIR] [--epochs 1] [--batch-size 64] [--lr 0.001] [--threads N]
                              [--save-state-dict FILE.safetensors]

Prints seconds per epoch (training only, as the Java trainer does) and test accuracy.
--save-state-dict writes the trained model's state_dict with safetensors.torch.save_file (its
metadata records the torch version and the final test accuracy), for
``dl4j-init-examples port-check --state-dict FILE --model cnn``.
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import idx


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.bn2 = nn.BatchNorm2d(20)
        self.fc1 = nn.Linear(320, 50)
        self.bn3 = nn.BatchNorm1d(50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.bn2(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.bn3(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.001)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    p.add_argument("--save-state-dict", metavar="FILE", help="write the trained state_dict as safetensors")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr, xte, yte = (torch.from_numpy(t) for t in idx.load(a.data))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, train {len(xtr)}, test {len(xte)}")
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr))
        t0 = time.perf_counter()
        for i in range(0, len(xtr), a.batch_size):
            b = perm[i:i + a.batch_size]
            opt.zero_grad()
            loss = F.nll_loss(model(xtr[b]), ytr[b])
            loss.backward()
            opt.step()
        secs = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                          for i in range(0, len(xte), 1000))
        print(f"epoch {epoch}: {secs:.1f} s, last train loss {loss.item():.4f}, "
              f"test accuracy {100.0 * correct / len(xte):.2f} %")
    if a.save_state_dict:
        from safetensors.torch import save_file
        save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, a.save_state_dict,
                  metadata={"torch_version": torch.__version__, "test_correct": str(correct),
                            "test_size": str(len(xte)), "epochs": str(a.epochs), "seed": str(a.seed)})
        print(f"state_dict written to {a.save_state_dict}")


if __name__ == "__main__":
    main()
