#!/usr/bin/env python3
"""Writes the gains of torch.nn.init.calculate_gain, from real PyTorch, as a JSON fixture.

Usage (from the repository root, in an environment with torch installed):

    python dl4j-init-tests/python/make_gain_fixtures.py

It writes dl4j-init-core/src/test/resources/fixtures/gains.json, read by GainsTest. This script is
the only way that file is made; it records the torch version that produced it.
"""
import json
import os
import sys

import torch

NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]
LEAKY_SLOPES = [0.0, 0.01, 0.2, 1.0, -0.5, 3.0]
UNSUPPORTED = ["Relu", "gelu", "silu", "LINEAR", "Tanh"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "dl4j-init-core", "src", "test", "resources", "fixtures", "gains.json")
    gains = {name: float(torch.nn.init.calculate_gain(name)) for name in NONLINEARITIES}
    leaky = [{"param": p, "gain": float(torch.nn.init.calculate_gain("leaky_relu", p))} for p in LEAKY_SLOPES]
    unsupported = {}
    for name in UNSUPPORTED:
        try:
            torch.nn.init.calculate_gain(name)
            raise SystemExit("expected %r to be refused by torch" % name)
        except ValueError as e:
            unsupported[name] = str(e)
    doc = {
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "generated_by": "dl4j-init-tests/python/make_gain_fixtures.py",
        "gains": gains,
        "leaky_relu": leaky,
        "unsupported": unsupported,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")
    print("wrote", os.path.relpath(out, root), "with torch", torch.__version__)


if __name__ == "__main__":
    main()
