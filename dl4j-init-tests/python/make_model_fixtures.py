"""Writes the model-parity fixtures of NetworkInitializer: the state_dict of small PyTorch models
right after ``torch.manual_seed(seed); Model()``, and for some models one forward pass in eval mode.

Usage (from the repository root, with torch and numpy installed):
    python dl4j-init-tests/python/make_model_fixtures.py

Output: dl4j-init-tests/src/test/resources/fixtures/models/<model>_seed<s>/ and
        dl4j-init-tests/src/test/resources/fixtures/modules/<module>_seed<s>/ (single modules)
    <state_dict key>.npy   float32 parameters and buffers (num_batches_tracked is left out)
    input.npy, output.npy  forward pass in eval mode (models with forward parity only)
    meta.json              torch and numpy versions, seed, module order
This script is the only way these fixtures are made.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_models import EmbedLstm, Mlp, MnistCnn, TwoBranch  # noqa: E402  (shared with the other fixture scripts)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "models")
SEEDS = [0, 42]


class LeNet(nn.Module):
    """The CIFAR-10 tutorial's Net."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


MODELS = {
    "mnist_cnn": (MnistCnn, (4, 1, 28, 28)),
    "lenet": (LeNet, (4, 3, 32, 32)),
    "mlp": (Mlp, (4, 784)),
    "embed_lstm": (EmbedLstm, "tokens"),
    "two_branch": (TwoBranch, (4, 12)),
}


class Separable(nn.Module):
    """SeparableConvolution2D's twin: a grouped depthwise conv without bias, then a 1x1 conv."""

    def __init__(self):
        super().__init__()
        self.depthwise = nn.Conv2d(4, 8, 3, groups=4, bias=False)
        self.pointwise = nn.Conv2d(8, 6, 1)


# Single modules (state_dict only): one DL4J layer each, drawn from torch.manual_seed(seed).
MODULES = {
    "conv1d": lambda: nn.Conv1d(4, 6, 3),
    "conv3d": lambda: nn.Conv3d(2, 4, (2, 3, 3)),
    "deconv2d": lambda: nn.ConvTranspose2d(4, 6, 3),
    "deconv3d": lambda: nn.ConvTranspose3d(2, 4, 3),
    "depthwise": lambda: nn.Conv2d(4, 8, 3, groups=4),
    "separable": Separable,
    "rnn": lambda: nn.RNN(5, 7),
    "lstm": lambda: nn.LSTM(5, 6),
    "bilstm": lambda: nn.LSTM(5, 6, bidirectional=True),
    "embedding": lambda: nn.Embedding(10, 4),
    "embedding_small": lambda: nn.Embedding(3, 4),
    "prelu": lambda: nn.PReLU(4),
    "batchnorm": lambda: nn.BatchNorm1d(5),
    "attention": lambda: nn.MultiheadAttention(8, 2),
    "linear": lambda: nn.Linear(5, 7),
}


def write_state(d, model):
    os.makedirs(d, exist_ok=True)
    for key, value in model.state_dict().items():
        if key.endswith("num_batches_tracked"):
            continue
        np.save(os.path.join(d, key + ".npy"), value.detach().numpy().astype(np.float32))


def main():
    for name, make in MODULES.items():
        for seed in SEEDS:
            torch.manual_seed(seed)
            d = os.path.join(OUT, "..", "modules", f"{name}_seed{seed}")
            write_state(d, make())
            with open(os.path.join(d, "meta.json"), "w") as f:
                json.dump({"module": name, "torch_seed": seed, "torch_version": torch.__version__,
                           "numpy_version": np.__version__}, f, indent=2)
                f.write("\n")
    for name, (cls, input_shape) in MODELS.items():
        for seed in SEEDS:
            torch.manual_seed(seed)
            model = cls()
            d = os.path.join(OUT, f"{name}_seed{seed}")
            write_state(d, model)
            if input_shape is not None:
                rng = np.random.default_rng(1000 + seed)
                model.eval()
                if input_shape == "tokens":
                    tokens = rng.integers(0, 100, size=(4, 7))
                    x = tokens.astype(np.float32)
                    with torch.no_grad():
                        y = model(torch.from_numpy(tokens)).numpy().astype(np.float32)
                else:
                    x = rng.standard_normal(input_shape).astype(np.float32)
                    with torch.no_grad():
                        y = model(torch.from_numpy(x)).numpy().astype(np.float32)
                np.save(os.path.join(d, "input.npy"), x)
                np.save(os.path.join(d, "output.npy"), y)
            meta = {
                "model": name,
                "torch_seed": seed,
                "torch_version": torch.__version__,
                "numpy_version": np.__version__,
                "module_order": [n for n, m in model.named_modules() if n and not list(m.children())],
                "forward_parity": input_shape is not None,
            }
            with open(os.path.join(d, "meta.json"), "w") as f:
                json.dump(meta, f, indent=2)
                f.write("\n")
    print("fixtures written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
