"""Loading a trained resnet18's state_dict (44.7 MB), PyTorch beside dl4j-init, in one command.

PyTorch: ``model.load_state_dict(torch.load(f))`` of the state_dict saved with ``torch.save`` (and,
for reference, of ``safetensors.torch.load_file`` of the same weights). dl4j-init:
``TorchStateDict.read(f).loadInto(twin)`` of the safetensors file (StateDictBenchmark, JMH), into
the DL4J twin of torchvision's resnet18. Both files are rebuilt bit for bit by
make_state_dict_fixtures.py --resnet18-file and read warm from the page cache. Both sides are timed
alike: 2-second windows (5 to warm up, 10 measured), each giving a mean time per load. Prints both and the
speed ratio (PyTorch time / dl4j-init time: above 1 means dl4j-init is faster), with the machine's
load average before and after.

Usage, from the repository root:
    ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests
    python dl4j-init-tests/python/bench_state_dict.py [--iterations N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_state_dict_fixtures as fixtures  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JAR = os.path.join(ROOT, "dl4j-init-tests", "target", "benchmarks.jar")


def time_torch(load, iterations):
    """Timed as JMH times the Java side: 5 warm-up windows of 2 s, then `iterations` windows of 2 s,
    each giving its mean time per load; returns the median, best and worst window (ms)."""
    model = fixtures.resnet18()

    def window():
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 2:
            model.load_state_dict(load())
            n += 1
        return (time.perf_counter() - start) * 1e3 / n

    for _ in range(5):
        window()
    times = [window() for _ in range(iterations)]
    return statistics.median(times), min(times), max(times)


def time_java(safetensors_file):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "jmh.json")
        run = subprocess.run(["java", "-jar", JAR, "StateDictBenchmark", "-p", "file=" + safetensors_file,
                              "-rf", "json", "-rff", out],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            raise SystemExit(run.stdout + f"\nerror: the JMH run failed (exit {run.returncode})")
        with open(out) as f:
            return json.load(f)[0]["primaryMetric"]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--iterations", type=int, default=10, help="timed 2-second windows per PyTorch row (default 10, as JMH)")
    args = p.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit(f"error: {JAR} is missing; build it first: ./mvnw -B -q -pl dl4j-init-tests -am package -DskipTests")
    with tempfile.TemporaryDirectory() as tmp:
        st = os.path.join(tmp, "resnet18.safetensors")
        pt = os.path.join(tmp, "resnet18.pt")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "make_state_dict_fixtures.py"),
                        "--resnet18-file", st, "--torch-file", pt], check=True, stdout=subprocess.DEVNULL)
        torch.set_num_threads(os.cpu_count())
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {os.cpu_count()} cores; "
              f"load average before {os.getloadavg()[0]:.2f}; file {os.path.getsize(st) / 1e6:.1f} MB")
        torch_load = time_torch(lambda: torch.load(pt), args.iterations)
        st_load = time_torch(lambda: load_file(st), args.iterations)
        java = time_java(st)
        print(f"load average after {os.getloadavg()[0]:.2f}")
    median = torch_load[0]
    print()
    print("| resnet18 state_dict, 44.7 MB, into the model | time per load | speed vs torch.load |")
    print("|---|---:|---:|")
    print(f"| PyTorch `model.load_state_dict(torch.load(f))` | {median:.1f} ms "
          f"(windows {torch_load[1]:.1f}-{torch_load[2]:.1f}) | 1.00x |")
    print(f"| PyTorch `model.load_state_dict(safetensors.torch.load_file(f))` | {st_load[0]:.1f} ms "
          f"(windows {st_load[1]:.1f}-{st_load[2]:.1f}) | {median / st_load[0]:.2f}x |")
    low, high = java["scoreConfidence"]
    raw = [x for fork in java["rawData"] for x in fork]
    print(f"| dl4j-init `TorchStateDict.read(f).loadInto(twin)` | {java['score']:.1f} ms (99.9 % CI {low:.1f}-{high:.1f}, "
          f"windows {min(raw):.1f}-{max(raw):.1f}) | {median / java['score']:.2f}x |")


if __name__ == "__main__":
    main()
