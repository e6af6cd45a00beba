#!/usr/bin/python3
"""TorchSharp (the built-in `mlp` trainer) beside PyTorch (examples/python/train.py) on digits: seconds per epoch,
final accuracy and peak memory, side by side in one run (issue 7, benchmarks/trainer).

    scripts/bench trainer [--epochs 30] [--repeats 3] [--threads 1,2] [--batch-sizes 32,128] [--out FILE]

Both trainers run exactly as a trial runs them: a child process given config.json ($HYPERDRIVE_CONFIG), an output and
a checkpoint folder (fresh each run, so nothing resumes), printing `hyperdrive: epoch=E accuracy=A loss=L` once per
epoch. The same data split, network (64 -> h -> h -> 10), optimizer (Adam), batch size and thread count on both sides
(the shared digits convention of docs/trainers.md). Seconds per epoch = the median gap between consecutive epoch lines
(epoch 2 on: start-up, library loading and the first epoch's warm-up are reported apart). Runs alternate between the
two trainers so that drift of the machine hits both. Peak memory = the child's maximum resident set (wait4).
Needs Debian's python3-torch and a Release build of the CLI (scripts/bench builds it).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "data", "digits", "digits.csv.gz")


def run_once(argv, parameters, env_extra):
    work = tempfile.mkdtemp(prefix="hyperdrive-trainer-bench-")
    try:
        config = os.path.join(work, "config.json")
        with open(config, "w") as f:
            json.dump(parameters, f)
        env = dict(os.environ)
        env.update({
            "HYPERDRIVE_CONFIG": config,
            "HYPERDRIVE_OUTPUT_DIR": os.path.join(work, "outputs"),
            "HYPERDRIVE_CHECKPOINT_DIR": os.path.join(work, "checkpoints"),
            "RESULT_DIR": os.path.join(work, "outputs"),
            "CUDA_VISIBLE_DEVICES": "",
        })
        env.update(env_extra)
        os.makedirs(env["HYPERDRIVE_OUTPUT_DIR"])
        os.makedirs(env["HYPERDRIVE_CHECKPOINT_DIR"])
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stamps, accuracy, loss = [], None, None
        for line in child.stdout:
            if not line.startswith("hyperdrive:"):
                continue
            fields = dict(p.split("=", 1) for p in line[len("hyperdrive:"):].split() if "=" in p)
            if "epoch" in fields:
                stamps.append(time.perf_counter())
                accuracy = float(fields.get("accuracy", "nan"))
                loss = float(fields.get("loss", "nan"))
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        error = child.stderr.read()
        if child.returncode != 0:
            raise RuntimeError(f"{argv[0]} exited {child.returncode}: {error[-2000:]}")
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        return {
            "epochs": len(stamps),
            "seconds_per_epoch": statistics.median(gaps) if gaps else None,
            "first_epoch_line_s": stamps[0] - start if stamps else None,
            "wall_s": wall,
            "final_accuracy": accuracy,
            "final_loss": loss,
            "peak_rss_mb": usage.ru_maxrss / 1024.0,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.platform()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--hidden-size", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=0.001)
    parser.add_argument("--mlp", default=os.path.join(ROOT, "src", "HyperDrive.Cli", "bin", "Release", "net10.0", "mlp", "hyperdrive-mlp.dll"))
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", f"trainer-{time.strftime('%Y%m%d-%H%M')}.json"))
    args = parser.parse_args()
    if not os.path.exists(args.mlp):
        sys.exit(f"the TorchSharp trainer is not built at {args.mlp}: run `scripts/bench trainer` (it builds the CLI in Release)")
    dotnet = shutil.which("dotnet") or sys.exit("dotnet is not on PATH")
    train_py = os.path.join(ROOT, "examples", "python", "train.py")

    def torchsharp(threads, seed):
        return [dotnet, args.mlp, "--threads", str(threads), "--seed", str(seed)]  # its bundled digits: the same file as DATA

    def pytorch(threads, seed):
        return ["/usr/bin/python3", train_py, "--data", DATA, "--threads", str(threads), "--seed", str(seed)]

    peers = [("TorchSharp", torchsharp), ("PyTorch", pytorch)]
    rows, runs = [], []
    print(f"# trainer benchmark: {machine()}; digits 1438 train / 359 test; {args.epochs} epochs; Adam lr {args.learning_rate}; hidden {args.hidden_size}")
    for threads in [int(t) for t in args.threads.split(",")]:
        for batch in [int(b) for b in args.batch_sizes.split(",")]:
            parameters = {"learning_rate": args.learning_rate, "num_epochs": args.epochs, "batch_size": batch, "hidden_size": args.hidden_size}
            results = {name: [] for name, _ in peers}
            for repeat in range(args.repeats):
                order = peers if repeat % 2 == 0 else list(reversed(peers))
                for name, command in order:
                    result = run_once(command(threads, repeat + 1), parameters, {})
                    result.update({"trainer": name, "threads": threads, "batch_size": batch, "repeat": repeat + 1})
                    runs.append(result)
                    results[name].append(result)
                    print(f"  {name:10} threads {threads} batch {batch:4} run {repeat + 1}: {result['seconds_per_epoch'] * 1000:7.2f} ms/epoch, "
                          f"accuracy {result['final_accuracy']:.4f}, wall {result['wall_s']:.2f} s, peak RSS {result['peak_rss_mb']:.0f} MB", flush=True)
            summary = {"threads": threads, "batch_size": batch}
            for name, values in results.items():
                summary[name] = {
                    "ms_per_epoch": statistics.median(v["seconds_per_epoch"] for v in values) * 1000,
                    "final_accuracy_mean": statistics.mean(v["final_accuracy"] for v in values),
                    "final_accuracy_min": min(v["final_accuracy"] for v in values),
                    "wall_s": statistics.median(v["wall_s"] for v in values),
                    "first_epoch_line_s": statistics.median(v["first_epoch_line_s"] for v in values),
                    "peak_rss_mb": max(v["peak_rss_mb"] for v in values),
                }
            summary["ratio"] = summary["TorchSharp"]["ms_per_epoch"] / summary["PyTorch"]["ms_per_epoch"]
            rows.append(summary)

    print()
    print("| threads | batch | TorchSharp ms/epoch | PyTorch ms/epoch | ratio (target <= 1.1) | accuracy TorchSharp / PyTorch (mean of runs) | start to first epoch line, s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        t, p = r["TorchSharp"], r["PyTorch"]
        print(f"| {r['threads']} | {r['batch_size']} | {t['ms_per_epoch']:.2f} | {p['ms_per_epoch']:.2f} | {r['ratio']:.2f}x | "
              f"{t['final_accuracy_mean']:.4f} / {p['final_accuracy_mean']:.4f} | {t['first_epoch_line_s']:.2f} / {p['first_epoch_line_s']:.2f} | "
              f"{t['peak_rss_mb']:.0f} / {p['peak_rss_mb']:.0f} |")
    try:
        torch_version = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()
    except OSError:
        torch_version = "unknown"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"machine": machine(), "pytorch": torch_version, "command": "scripts/bench trainer " + " ".join(sys.argv[1:]),
                   "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "summary": rows, "runs": runs}, f, indent=2)
    print(f"\nJSON result: {os.path.relpath(args.out, ROOT)}")


if __name__ == "__main__":
    main()
