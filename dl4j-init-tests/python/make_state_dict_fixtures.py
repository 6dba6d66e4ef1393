"""Writes the state_dict fixtures: small PyTorch models trained for a few steps (so that no weight is
still an initial draw and BatchNorm's running statistics have moved), saved with
``safetensors.torch.save_file(model.state_dict(), ...)``, with what a DL4J twin must reproduce.

Usage (from the repository root, with torch, numpy and safetensors installed):
    python dl4j-init-tests/python/make_state_dict_fixtures.py
    python dl4j-init-tests/python/make_state_dict_fixtures.py --resnet18-file FILE [--torch-file FILE]

Output: dl4j-init-tests/src/test/resources/fixtures/state_dicts/<model>/
    state_dict.safetensors  the trained model's state_dict (num_batches_tracked included)
    expected.json           per tensor: shape, dtype, SHA-256 of its float32 little-endian bytes in C
                            order (of ``tensor.float()``); per recurrent layer the same of the float32
                            sum bias_ih + bias_hh; BatchNorm running_var values; torch/numpy versions
    input.npy, output.npy   one forward pass in eval mode (float32 models)
The float64, bfloat16 and float16 variants of two_branch test the type conversions.

resnet18 (torchvision, 1000 classes, 44.7 MB) is not committed: its expected.json, input.npy and
output.npy are; the state_dict itself is rebuilt bit for bit with ``--resnet18-file`` (training runs
on one thread, deterministically) by the live test and the benchmark. ``--torch-file`` also saves it
with ``torch.save`` for the benchmark's PyTorch side. This script is the only way these fixtures are
made.
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import module_orders  # noqa: E402  (loads torchvision's model files without its package __init__)
from fixture_models import EmbedLstm, Mlp, MnistCnn, TwoBranch  # noqa: E402,F401  (check_state_dict.py reads them here too)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources",
                   "fixtures", "state_dicts")
SEED = 17
STEPS = 20


def resnet18():
    module_orders.stub_torchvision_packages()
    import importlib
    return importlib.import_module("torchvision.models.resnet").resnet18()


# name -> (factory, batch maker (generator, batch size) -> (input, target), forward input, steps, batch)
def images(shape, classes):
    def make(g, n):
        return torch.randn((n,) + shape, generator=g), torch.randint(0, classes, (n,), generator=g)
    return make


def tokens(g, n):
    return torch.randint(0, 100, (n, 7), generator=g), torch.randn(n, 7, 5, generator=g)


def vectors(g, n):
    return torch.randn(n, 12, generator=g), torch.randn(n, 4, generator=g)


MODELS = {
    "mnist_cnn": (MnistCnn, images((1, 28, 28), 10), (4, 1, 28, 28), STEPS, 16),
    "mlp": (Mlp, images((784,), 10), (4, 784), STEPS, 16),
    "embed_lstm": (EmbedLstm, tokens, "tokens", STEPS, 8),
    "two_branch": (TwoBranch, vectors, (4, 12), STEPS, 16),
}


def loss_of(name, output, target):
    if name in ("embed_lstm", "two_branch"):
        return F.mse_loss(output, target)
    if name == "mnist_cnn":
        return F.nll_loss(torch.log(output + 1e-9), target)
    return F.cross_entropy(output, target)


def train(name, model, make_batch, steps, batch, dtype=torch.float32):
    """A few Adam steps on random data in train mode: weights move off their initial draws and
    BatchNorm's running statistics off (0, 1)."""
    g = torch.Generator().manual_seed(SEED + 1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(steps):
        x, y = make_batch(g, batch)
        if x.is_floating_point():
            x = x.to(dtype)
        if y.is_floating_point():
            y = y.to(dtype)
        opt.zero_grad()
        loss_of(name, model(x), y).backward()
        opt.step()
    model.eval()
    return model


def digest(t):
    a = np.ascontiguousarray(t.detach().float().numpy().astype("<f4"))
    return hashlib.sha256(a.tobytes()).hexdigest()


def expected(model):
    """What a twin must hold: per tensor the digest of its float32 value, per recurrent layer the
    float32 sum of its two biases (PyTorch's addition), BatchNorm variances as numbers."""
    sd = model.state_dict()
    out = {}
    for key, value in sd.items():
        entry = {"shape": list(value.shape), "dtype": str(value.dtype).replace("torch.", "")}
        if value.is_floating_point():
            entry["sha256"] = digest(value)
        if key.endswith("running_var"):
            entry["values"] = [float(v) for v in value.float().reshape(-1)]
        out[key] = entry
        if "bias_ih_l" in key:
            other = key.replace("bias_ih_l", "bias_hh_l")
            out[key + "+" + other] = {"shape": list(value.shape),
                                      "sha256": digest(value.float() + sd[other].float())}
    return out


def save(model, path):
    save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, path)


def forward(model, spec, seed):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        if spec == "tokens":
            t = rng.integers(0, 100, size=(4, 7))
            return t.astype(np.float32), model(torch.from_numpy(t)).numpy()
        x = rng.standard_normal(spec).astype(np.float32)
        return x, model(torch.from_numpy(x)).numpy()


def versions():
    import safetensors
    return {"torch_version": torch.__version__, "numpy_version": np.__version__,
            "safetensors_version": safetensors.__version__}


def write_meta(d, name, model, extra=None):
    meta = {"model": name, "seed": SEED, **versions(), "tensors": expected(model)}
    meta.update(extra or {})
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


def trained_resnet18():
    """resnet18 (1000 classes) after 3 SGD steps on random 64x64 images, on one thread so that the
    same torch rebuilds it bit for bit."""
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    model = resnet18()
    g = torch.Generator().manual_seed(SEED + 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for _ in range(3):
        x = torch.randn(4, 3, 64, 64, generator=g)
        y = torch.randint(0, 1000, (4,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return model.eval()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--resnet18-file", help="only rebuild the trained resnet18's state_dict as this safetensors file")
    p.add_argument("--torch-file", help="with --resnet18-file: also torch.save the same state_dict here")
    a = p.parse_args()
    if a.resnet18_file:
        model = trained_resnet18()
        save(model, a.resnet18_file)
        if a.torch_file:
            torch.save(model.state_dict(), a.torch_file)
        print("resnet18 state_dict written to", a.resnet18_file)
        return

    torch.set_num_threads(1)
    for name, (cls, make_batch, input_spec, steps, batch) in MODELS.items():
        torch.manual_seed(SEED)
        model = train(name, cls(), make_batch, steps, batch)
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        save(model, os.path.join(d, "state_dict.safetensors"))
        x, y = forward(model, input_spec, 3000)
        np.save(os.path.join(d, "input.npy"), x)
        np.save(os.path.join(d, "output.npy"), y.astype(np.float32))
        write_meta(d, name, model)
        print(f"{name}: {len(model.state_dict())} tensors")

    # Type conversions: the two-branch model trained in float64, and the float32 one as bf16 and f16.
    torch.manual_seed(SEED)
    variants = {"two_branch_f64": train("two_branch", TwoBranch().double(), vectors, STEPS, 16, torch.float64)}
    torch.manual_seed(SEED)
    variants["two_branch_bf16"] = train("two_branch", TwoBranch(), vectors, STEPS, 16).bfloat16()
    torch.manual_seed(SEED)
    variants["two_branch_f16"] = train("two_branch", TwoBranch(), vectors, STEPS, 16).half()
    for variant, model in variants.items():
        d = os.path.join(OUT, variant)
        os.makedirs(d, exist_ok=True)
        save(model, os.path.join(d, "state_dict.safetensors"))
        write_meta(d, variant, model)
        print(f"{variant}: {len(model.state_dict())} tensors")

    model = trained_resnet18()
    d = os.path.join(OUT, "resnet18")
    os.makedirs(d, exist_ok=True)
    x, y = forward(model, (2, 3, 64, 64), 3001)
    np.save(os.path.join(d, "input.npy"), x)
    np.save(os.path.join(d, "output.npy"), y.astype(np.float32))
    write_meta(d, "resnet18", model, {"rebuild": "make_state_dict_fixtures.py --resnet18-file FILE"})
    print(f"resnet18: {len(model.state_dict())} tensors (state_dict not committed: rebuild with --resnet18-file)")
    print("fixtures written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
