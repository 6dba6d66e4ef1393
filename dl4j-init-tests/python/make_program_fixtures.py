"""Writes the init-program fixtures: the state_dict of real PyTorch programs that initialize a model
after building it (``model.apply(fn)``, torchvision's ``for m in self.modules()`` loops, a Hugging
Face-style ``_init_weights``), all on the one global generator of ``torch.manual_seed(seed)``.

Usage (from the repository root, with torch, torchvision and numpy installed):
    python dl4j-init-tests/python/make_program_fixtures.py

Output: dl4j-init-tests/src/test/resources/fixtures/programs/<program>_seed<s>/
    state.json             per state_dict tensor: shape, SHA-256 of its float32 little-endian bytes
                           in C order, sum and first values; the module orders (construction and
                           registration, from module_orders.py); torch/torchvision/numpy versions
    <key>.npy              the tensors themselves, for the small programs only
    input.npy, output.npy  one forward pass in eval mode, for the programs with forward parity
    after.json             (continuity program only) what the generator gives after the program
This script is the only way these fixtures are made.

torchvision's package import fails against the CPU build of torch on this kind of machine (its
``__init__`` loads a C extension whose operators the CPU wheel lacks). The model definitions are
plain Python: module_orders.stub_torchvision_packages() registers ``torchvision`` and
``torchvision.models`` as bare packages, so ``torchvision.models.resnet`` and the others load from
their files without running the package's ``__init__``.
"""
import hashlib
import importlib
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_orders  # noqa: E402  (the helper shipped for porting users; the orders come from it)
from fixture_models import MnistCnn  # noqa: E402  (the documented MNIST CNN, shared with the other fixture scripts)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "programs")
SEEDS = [0, 42]


def torchvision_model(module, name):
    module_orders.stub_torchvision_packages()
    return getattr(importlib.import_module("torchvision.models." + module), name)


def initialize_weights(m):
    """The tutorial's init function, as it is written there."""
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_uniform_(m.weight.data, nonlinearity='relu')
        if m.bias is not None:
            nn.init.constant_(m.bias.data, 0)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.constant_(m.weight.data, 1)
        nn.init.constant_(m.bias.data, 0)
    elif isinstance(m, nn.Linear):
        nn.init.kaiming_uniform_(m.weight.data)
        nn.init.constant_(m.bias.data, 0)


def tutorial_cnn():
    model = MnistCnn()
    model.apply(initialize_weights)
    return model


class TinyLm(nn.Module):
    """Embedding + LSTM + Linear with a Hugging Face-style _init_weights, applied in __init__
    (HF's post_init() runs self.apply(self._init_weights))."""

    initializer_range = 0.02

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.head = nn.Linear(32, 5)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            module.weight.data.normal_(mean=0.0, std=self.initializer_range)
            if module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, nn.Embedding):
            module.weight.data.normal_(mean=0.0, std=self.initializer_range)
            if module.padding_idx is not None:
                module.weight.data[module.padding_idx].zero_()

    def forward(self, tokens):
        out, _ = self.lstm(self.embed(tokens))
        return self.head(out)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 30)
        self.fc2 = nn.Linear(30, 10)


def continuity():
    """Two init passes on the one generator; after.json then records what the generator gives next."""
    model = Mlp()

    def first(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    model.apply(first)
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.bias, 0, 0.1)
    return model


def after_continuity():
    """What the generator gives after the program: direct draws a user would make next."""
    return {
        "uniform_7": torch.empty(7).uniform_(-1, 1),
        "normal_33": torch.empty(33).normal_(),
        "normal_5": torch.empty(5).normal_(2.0, 3.0),
        "kaiming_normal_8x6": nn.init.kaiming_normal_(torch.empty(8, 6), mode="fan_out", nonlinearity="relu"),
    }


class DownsampleFirst(nn.Module):
    """A block that, like torchvision's ResNet, constructs its downsample before the modules it
    registers first, and has no init loop: its default draws follow the construction order alone."""

    def __init__(self):
        super().__init__()
        downsample = nn.Linear(8, 4)
        self.fc1 = nn.Linear(8, 6)
        self.fc2 = nn.Linear(6, 4)
        self.downsample = downsample

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x))) + self.downsample(x)


# name -> (factory, forward input: a shape, "tokens" for a (2, 7) batch of token ids, or None;
#          whether to write every tensor as .npy besides the digests)
PROGRAMS = {
    "tutorial_cnn": (tutorial_cnn, (4, 1, 28, 28), True),
    "hf_lstm": (TinyLm, "tokens", True),
    "continuity": (continuity, None, True),
    "downsample_first": (DownsampleFirst, (3, 8), True),
    "resnet18_10": (lambda: torchvision_model("resnet", "resnet18")(num_classes=10), (2, 3, 64, 64), False),
    "resnet18_1000": (lambda: torchvision_model("resnet", "resnet18")(), (2, 3, 64, 64), False),
    "mobilenet_v2": (lambda: torchvision_model("mobilenetv2", "mobilenet_v2")(), (2, 3, 64, 64), False),
    "vgg11": (lambda: torchvision_model("vgg", "vgg11")(), None, False),
}


def digest(t):
    a = np.ascontiguousarray(t.detach().numpy().astype("<f4"))
    return {
        "shape": list(a.shape),
        "dtype": str(t.dtype).replace("torch.", ""),
        "sha256": hashlib.sha256(a.tobytes()).hexdigest(),
        "sum": float(a.astype(np.float64).sum()),
        "head": [float(v) for v in a.reshape(-1)[:4]],
    }


def versions():
    out = {"torch_version": torch.__version__, "numpy_version": np.__version__}
    try:
        from importlib.metadata import version
        out["torchvision_version"] = version("torchvision")
    except Exception:  # noqa: BLE001 (torchvision is optional for the small programs)
        pass
    return out


def main():
    for name, (factory, forward_input, write_npy) in PROGRAMS.items():
        for seed in SEEDS:
            d = os.path.join(OUT, f"{name}_seed{seed}")
            os.makedirs(d, exist_ok=True)
            torch.manual_seed(seed)
            with module_orders.Recorder() as recorder:
                model = factory()
            construction, registration, applied, unregistered = module_orders.orders(model, recorder)
            after = after_continuity() if name == "continuity" else None
            tensors = {}
            for key, value in model.state_dict().items():
                if key.endswith("num_batches_tracked"):
                    continue
                tensors[key] = digest(value)
                if write_npy:
                    np.save(os.path.join(d, key + ".npy"), value.detach().numpy().astype(np.float32))
            if after is not None:
                with open(os.path.join(d, "after.json"), "w") as f:
                    json.dump({k: [float(x) for x in v.reshape(-1)] for k, v in after.items()}, f, indent=1)
                    f.write("\n")
            if forward_input is not None:
                rng = np.random.default_rng(2000 + seed)
                model.eval()
                if forward_input == "tokens":
                    tokens = rng.integers(0, 100, size=(2, 7))
                    x = tokens.astype(np.float32)
                    with torch.no_grad():
                        y = model(torch.from_numpy(tokens)).numpy()
                else:
                    x = rng.standard_normal(forward_input).astype(np.float32)
                    with torch.no_grad():
                        y = model(torch.from_numpy(x)).numpy()
                np.save(os.path.join(d, "input.npy"), x)
                np.save(os.path.join(d, "output.npy"), y.astype(np.float32))
            meta = {"program": name, "torch_seed": seed, **versions(),
                    "construction_order": construction, "registration_order": registration,
                    "apply_order": applied, "unregistered_resets": unregistered,
                    "forward_parity": forward_input is not None, "tensors": tensors}
            with open(os.path.join(d, "state.json"), "w") as f:
                json.dump(meta, f, indent=1)
                f.write("\n")
            print(f"{name} seed {seed}: {len(tensors)} tensors")
    print("fixtures written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
