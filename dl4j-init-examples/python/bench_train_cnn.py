"""train-cnn beside its PyTorch twin, in one command: the documented MNIST CNN trained for the same
epochs on the same data, DL4J (the examples jar) and PyTorch (train_cnn_torch.py) back to back,
alternating which goes first, for a few rounds. Prints one table with the mean training time per
epoch (evaluation excluded), the ratio DL4J / PyTorch per round, and the test accuracies.

Usage, from the repository root, after building the jar:
    ./mvnw -B -q -pl dl4j-init-examples -am package -DskipTests
    python dl4j-init-examples/python/bench_train_cnn.py [--data DIR] [--epochs 3] [--rounds 2] [--threads N]

--data defaults to Debian's dataset-fashion-mnist folder when present, else the subset in the jar.
--threads N runs both on N threads (DL4J: --threads N; PyTorch: torch.set_num_threads(N)); by default
each uses its own default (all cores).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JAR = os.path.join(ROOT, "dl4j-init-examples", "target", "dl4j-init-examples.jar")
TWIN = os.path.join(ROOT, "dl4j-init-examples", "python", "train_cnn_torch.py")
DEBIAN = "/usr/share/datasets/fashion-mnist"


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise SystemExit(p.stdout + f"\nerror: {' '.join(cmd)} exited with {p.returncode}")
    return p.stdout


def dl4j(args, out):
    cmd = ["java", "-jar", JAR, "train-cnn", "--epochs", str(args.epochs), "--out", out]
    cmd += ["--data", args.data] if args.data else ["--shipped-subset"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    text = run(cmd)
    secs = [float(s) for s in re.findall(r"epoch \d+/\d+: .*?, ([0-9.]+) s training", text)]
    acc = float(re.search(r"Test accuracy ([0-9.]+) %", text).group(1))
    return secs, acc


def torch_twin(args):
    cmd = [sys.executable, TWIN, "--epochs", str(args.epochs)]
    if args.data:
        cmd += ["--data", args.data]
    else:
        cmd += ["--data", os.path.join(ROOT, "dl4j-init-examples", "src", "main", "resources", "io", "github",
                                       "dl4jinit", "examples", "fashion-mnist-subset")]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    text = run(cmd)
    secs = [float(s) for s in re.findall(r"epoch \d+: ([0-9.]+) s", text)]
    acc = float(re.findall(r"test accuracy ([0-9.]+)", text)[-1])
    return secs, acc


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=DEBIAN if os.path.isdir(DEBIAN) else None)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--out", default=os.path.join(ROOT, "dl4j-init-output", "bench-train-cnn"))
    args = p.parse_args()
    if not os.path.exists(JAR):
        raise SystemExit(f"error: {JAR} is missing; build it first: ./mvnw -B -q -pl dl4j-init-examples -am package -DskipTests")
    print(f"data: {args.data or 'the subset in the jar'}; {args.epochs} epochs; threads: {args.threads or 'defaults'}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    rows = []
    for r in range(args.rounds):
        order = ["dl4j", "torch"] if r % 2 == 0 else ["torch", "dl4j"]
        res = {}
        for who in order:
            res[who] = dl4j(args, args.out) if who == "dl4j" else torch_twin(args)
        rows.append((r + 1, order[0], res["dl4j"], res["torch"]))
    print()
    print("| round (first) | DL4J s per epoch | PyTorch s per epoch | DL4J / PyTorch | test accuracy DL4J / PyTorch |")
    print("|---|---:|---:|---:|---:|")
    ratios = []
    for r, first, (ds, da), (ts, ta) in rows:
        ratio = statistics.mean(ds) / statistics.mean(ts)
        ratios.append(ratio)
        print(f"| {r} ({first}) | {' / '.join(f'{s:.1f}' for s in ds)} (mean {statistics.mean(ds):.1f}) | "
              f"{' / '.join(f'{s:.1f}' for s in ts)} (mean {statistics.mean(ts):.1f}) | {ratio:.2f}x | {da:.2f} % / {ta:.2f} % |")
    print(f"\nmedian ratio {statistics.median(ratios):.2f}x; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
