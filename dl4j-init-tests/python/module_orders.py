"""Prints the two module orders of a PyTorch model that a bit-exact DL4J twin needs, and what it drew.

A PyTorch model draws its initial weights from the global generator twice over:

* construction order: each module's ``reset_parameters()`` runs when the module is built, so the
  default draws follow the order in which the modules were *constructed*. torchvision's ResNet,
  for instance, builds a block's ``downsample`` before the block's own convolutions;
* registration order: a model's own init loop (``for m in self.modules()``, ``model.apply(fn)``)
  visits the modules in the order they were *registered* as attributes (``model.modules()``).

dl4j-init's ``NetworkInitializer.Builder#constructionOrder`` and ``#registrationOrder`` take these
two lists (DL4J layer names = PyTorch module names). This script works them out for any
``nn.Module`` by recording when each module's ``reset_parameters`` ran, prints both, and can write
the model's ``state_dict`` (safetensors) to compare a DL4J twin against.

Usage:
    python module_orders.py MODEL [--kwargs JSON] [--seed S] [--format text|java|json]
                            [--draws] [--state-dict FILE.safetensors]

MODEL is ``package.module:callable`` or ``path/to/file.py:callable`` (a class or a function that
returns the model), for example ``torchvision.models.resnet:resnet18`` or ``my_model.py:Net``.
``--kwargs '{"num_classes": 10}'`` passes keyword arguments. ``--draws`` also lists every draw from
the generator in order (tensor, operation, number of elements), which is what a twin must reproduce.

torchvision's package ``__init__`` imports its C extension, which fails against CPU-only builds of
torch; a ``torchvision.models.*`` module is therefore loaded from its file without running the
package's ``__init__`` (the model definitions are plain Python).
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys
import types

import torch
import torch.nn as nn


def load_callable(spec):
    """Returns the callable named by ``module:name`` or ``file.py:name``."""
    if ":" not in spec:
        raise SystemExit(f"error: MODEL must be 'module:callable' or 'file.py:callable', got {spec!r}")
    where, name = spec.rsplit(":", 1)
    if where.endswith(".py"):
        path = os.path.abspath(where)
        module_name = os.path.splitext(os.path.basename(path))[0]
        sys.path.insert(0, os.path.dirname(path))
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        loader_spec.loader.exec_module(module)
    else:
        if where.startswith("torchvision."):
            stub_torchvision_packages()
        module = importlib.import_module(where)
    try:
        return getattr(module, name)
    except AttributeError:
        raise SystemExit(f"error: {where} has no attribute {name!r}")


def stub_torchvision_packages():
    """Registers ``torchvision`` and ``torchvision.models`` as bare packages (no ``__init__`` run)."""
    if "torchvision" in sys.modules:
        return
    spec = importlib.util.find_spec("torchvision")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("error: torchvision is not installed")
    root = list(spec.submodule_search_locations)[0]
    for name, path in (("torchvision", root), ("torchvision.models", os.path.join(root, "models"))):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package


def all_module_classes():
    seen, todo = set(), [nn.Module]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
    return seen


class Recorder:
    """Records, while a model is built, which module ran ``reset_parameters`` when, and every draw."""

    RESET_METHODS = ("reset_parameters", "_reset_parameters")
    DRAW_METHODS = ("uniform_", "normal_", "random_", "exponential_", "cauchy_", "log_normal_",
                    "geometric_", "bernoulli_")

    def __init__(self):
        self.resets = []  # modules in the order their reset ran (first time only)
        self.draws = []   # (data_ptr, shape, operation)
        self._patched = []

    def __enter__(self):
        for cls in all_module_classes():
            for method in self.RESET_METHODS:
                if method in cls.__dict__:
                    self._wrap(cls, method, self._reset_wrapper(cls.__dict__[method]))
        for method in self.DRAW_METHODS:
            self._wrap(torch.Tensor, method, self._draw_wrapper(getattr(torch.Tensor, method), method))
        self._wrap(torch, "randperm", self._randperm_wrapper(torch.randperm))
        return self

    def __exit__(self, *exc):
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched.clear()

    def _wrap(self, owner, name, replacement):
        self._patched.append((owner, name, owner.__dict__[name] if name in owner.__dict__ else getattr(owner, name)))
        setattr(owner, name, replacement)

    def _reset_wrapper(self, original):
        recorder = self

        def wrapper(module, *args, **kwargs):
            if not any(m is module for m in recorder.resets):
                recorder.resets.append(module)
            return original(module, *args, **kwargs)

        return wrapper

    def _draw_wrapper(self, original, operation):
        recorder = self

        def wrapper(tensor, *args, **kwargs):
            if kwargs.get("generator") is None and tensor.device.type == "cpu":
                recorder.draws.append((tensor.data_ptr(), tuple(tensor.shape), operation))
            return original(tensor, *args, **kwargs)

        return wrapper

    def _randperm_wrapper(self, original):
        recorder = self

        def wrapper(n, *args, **kwargs):
            recorder.draws.append((None, (n,), "randperm"))
            return original(n, *args, **kwargs)

        return wrapper


def has_own_parameters(module):
    return any(True for _ in module.parameters(recurse=False))


def owning_layer(name, modules_by_name):
    """The DL4J layer a module's parameters belong to: MultiheadAttention owns its out_proj."""
    parent = name.rsplit(".", 1)[0] if "." in name else None
    if parent is not None and isinstance(modules_by_name.get(parent), nn.MultiheadAttention):
        return parent
    return name


def unique(names):
    out = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def orders(model, recorder):
    """(construction order, registration order, apply order, unregistered resets)."""
    names = {id(m): n for n, m in model.named_modules()}
    by_name = dict(model.named_modules())
    construction, unregistered = [], []
    for m in recorder.resets:
        if id(m) not in names:
            unregistered.append(type(m).__name__)
        elif has_own_parameters(m):
            construction.append(owning_layer(names[id(m)], by_name))
    registration = [owning_layer(n, by_name) for n, m in model.named_modules() if has_own_parameters(m)]
    applied = []

    def post_order(prefix, module):
        for child_name, child in module.named_children():
            post_order(prefix + child_name + ".", child)
        if has_own_parameters(module):
            applied.append(owning_layer(prefix[:-1], by_name))

    post_order("", model)
    return unique(construction), unique(registration), unique(applied), unregistered


def draw_log(model, recorder):
    """Every draw, named by the state_dict key of the tensor it filled."""
    keys = {}
    for key, tensor in list(model.state_dict(keep_vars=True).items()):
        keys.setdefault(tensor.data_ptr(), key)
    log = []
    for ptr, shape, operation in recorder.draws:
        numel = 1
        for s in shape:
            numel *= s
        log.append({"tensor": keys.get(ptr, "(temporary)") if ptr is not None else "(randperm)",
                    "operation": operation, "shape": list(shape), "numel": numel})
    return log


def write_state_dict(model, path):
    from safetensors.torch import save_file
    tensors = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(tensors, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model", help="package.module:callable or path/to/file.py:callable")
    p.add_argument("--kwargs", default="{}", help="keyword arguments as JSON, e.g. '{\"num_classes\": 10}'")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed before building (default 0)")
    p.add_argument("--format", choices=("text", "java", "json"), default="text")
    p.add_argument("--draws", action="store_true", help="also list every draw from the generator")
    p.add_argument("--state-dict", metavar="FILE", help="write the model's state_dict as safetensors")
    args = p.parse_args(argv)

    factory = load_callable(args.model)
    kwargs = json.loads(args.kwargs)
    torch.manual_seed(args.seed)
    with Recorder() as recorder:
        model = factory(**kwargs)
    if not isinstance(model, nn.Module):
        raise SystemExit(f"error: {args.model} returned {type(model).__name__}, not an nn.Module")
    construction, registration, applied, unregistered = orders(model, recorder)
    draws = draw_log(model, recorder)
    if args.state_dict:
        write_state_dict(model, args.state_dict)

    if args.format == "json":
        out = {"model": args.model, "kwargs": kwargs, "seed": args.seed, "torch_version": torch.__version__,
               "construction_order": construction, "registration_order": registration,
               "apply_order": applied, "unregistered_resets": unregistered}
        if args.draws:
            out["draws"] = draws
        print(json.dumps(out, indent=2))
    elif args.format == "java":
        print(".constructionOrder(" + ", ".join(json.dumps(n) for n in construction) + ")")
        print(".registrationOrder(" + ", ".join(json.dumps(n) for n in registration) + ")")
    else:
        print(f"{args.model} {kwargs or ''} (torch {torch.__version__}, seed {args.seed})".replace("  ", " "))
        print(f"\nConstruction order (when reset_parameters ran), {len(construction)} modules with parameters:")
        for n in construction:
            print("  " + n)
        print(f"\nRegistration order (model.modules(), what an init loop visits), {len(registration)} modules:")
        for n in registration:
            print("  " + n)
        if applied != registration:
            print("\nmodel.apply(fn) visits children before their parent, in this order:")
            for n in applied:
                print("  " + n)
        if construction == registration:
            print("\nThe two orders are the same for this model.")
        if unregistered:
            print("\nWarning: modules built but never registered drew numbers too (a twin must draw them):",
                  ", ".join(unregistered))
        if args.draws:
            print(f"\nDraws from the generator, in order ({len(draws)}):")
            for d in draws:
                print(f"  {d['tensor']:40s} {d['operation']:10s} {d['shape']} ({d['numel']} values)")
        if args.state_dict:
            print(f"\nstate_dict written to {args.state_dict}")


if __name__ == "__main__":
    main()
