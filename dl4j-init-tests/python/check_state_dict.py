"""Loads state_dicts that dl4j-init wrote (TorchStateDict.of(net).write) into the PyTorch models with
``model.load_state_dict(load_file(f), strict=True)`` and checks that PyTorch gets the original tensors.

Usage (the live cross-check test runs it when Python with torch is present):
    python check_state_dict.py DIR MODEL...

For each MODEL (a name of make_state_dict_fixtures.py: mnist_cnn, mlp, embed_lstm, two_branch,
resnet18), DIR/MODEL.safetensors is the file written in Java after loading the committed fixture
(resnet18: the file rebuilt with --resnet18-file, DIR/resnet18.original.safetensors). Compared with
the original state_dict: every tensor equal (torch.equal); a recurrent layer's bias_ih + bias_hh equal
to the original sum (dl4j-init writes bias_ih = b, bias_hh = 0); running_var within 1e-6 (DL4J's
default log10stdev form); num_batches_tracked not compared (DL4J keeps no count). The eval-mode
forward pass must match the fixture's within 1e-5. Prints one line per model; exits 1 on a mismatch.
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_state_dict_fixtures as fixtures  # noqa: E402


def model_of(name):
    if name == "resnet18":
        return fixtures.resnet18().eval()
    return fixtures.MODELS[name][0]().eval()


def check(directory, name):
    fixture_dir = os.path.join(fixtures.OUT, name)
    original_file = (os.path.join(directory, "resnet18.original.safetensors") if name == "resnet18"
                     else os.path.join(fixture_dir, "state_dict.safetensors"))
    original = load_file(original_file)
    model = model_of(name)
    result = model.load_state_dict(load_file(os.path.join(directory, name + ".safetensors")), strict=True)
    problems = [f"load_state_dict: {result}"] if result.missing_keys or result.unexpected_keys else []
    loaded = model.state_dict()
    for key, value in original.items():
        got = loaded[key]
        if key.endswith("num_batches_tracked"):
            continue
        if "bias_ih_l" in key:
            hh = key.replace("bias_ih_l", "bias_hh_l")
            if not torch.equal(got + loaded[hh], value + original[hh]) or torch.count_nonzero(loaded[hh]):
                problems.append(f"{key} + {hh}")
        elif "bias_hh_l" in key:
            continue
        elif key.endswith("running_var"):
            if not torch.allclose(got, value, rtol=1e-6, atol=0):
                problems.append(f"{key} (max relative difference {((got - value).abs() / value).max().item():.3g})")
        elif not torch.equal(got, value):
            problems.append(key)
    x = np.load(os.path.join(fixture_dir, "input.npy"))
    expected = np.load(os.path.join(fixture_dir, "output.npy"))
    with torch.no_grad():
        inputs = torch.from_numpy(x.astype(np.int64)) if name == "embed_lstm" else torch.from_numpy(x)
        out = model(inputs).numpy()
    forward = float(np.abs(out - expected).max())
    if forward > 1e-5:
        problems.append(f"forward differs by {forward:.3g}")
    return {"model": name, "tensors": len(original), "forward_max_diff": forward, "problems": problems}


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    torch.set_num_threads(1)
    results = [check(sys.argv[1], name) for name in sys.argv[2:]]
    print(json.dumps({"torch_version": torch.__version__, "results": results}))
    sys.exit(1 if any(r["problems"] for r in results) else 0)


if __name__ == "__main__":
    main()
