#!/usr/bin/env python3
"""The Azure ML HyperDrive lab's 2-layer DNN in PyTorch, on the bundled digits data (issue 7, workload a).

Network Linear(64, h) -> ReLU -> Linear(h, h) -> ReLU -> Linear(h, 10), cross-entropy loss, Adam (or SGD with momentum
0.9). Features are pixel / 16; the test rows are those whose 0-based index i has i % 5 == 4 (359 rows), the other 1438
rows train. This is the same convention as the built-in TorchSharp `mlp` trainer, so their benchmark compares like
with like.

As a trial (hyperdrive run examples/pytorch-digits.yml): hyperparameters come from config.json ($HYPERDRIVE_CONFIG, else
./config.json), each epoch prints `hyperdrive: epoch=E accuracy=A loss=L`, the model goes to $HYPERDRIVE_OUTPUT_DIR
(else ./outputs) and a checkpoint to $HYPERDRIVE_CHECKPOINT_DIR after each epoch; a restarted trial resumes from it.

As a benchmark (--benchmark): no checkpoints, no metric lines; one JSON line on stdout with the seconds per epoch and
the final accuracy.
"""
import argparse
import gzip
import json
import os
import sys
import time

import torch
from torch import nn

DEFAULTS = {
    "learning_rate": 0.001,
    "num_epochs": 20,
    "batch_size": 32,
    "hidden_size": 100,
    "optimizer": "adam",
    "dropout": 0.0,
}
CHECKPOINT = "checkpoint.pt"


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.path.join(here, "..", "..", "data", "digits", "digits.csv.gz")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=default_data, help="digits.csv.gz: 64 pixels 0..16 then the label, no header")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1: trials run side by side)")
    parser.add_argument("--seed", type=int, default=0, help="seeds the initial weights, dropout and the batch shuffling")
    parser.add_argument("--config", default=None,
                        help="hyperparameters as JSON (default $HYPERDRIVE_CONFIG or ./config.json; none with --benchmark)")
    parser.add_argument("--benchmark", action="store_true", help="print one JSON line with seconds per epoch and accuracy")
    for name, value in DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), dest=name, type=type(value), default=None,
                            help=f"overrides config.json (default {value})")
    return parser.parse_args()


def hyperparameters(args):
    # A benchmark takes its hyperparameters from the flags (and --config) only, never from a stray config.json.
    path = args.config or (None if args.benchmark else os.environ.get("HYPERDRIVE_CONFIG") or "config.json")
    given = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            given = json.load(f)
    params = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        value = getattr(args, name)
        if value is None:
            value = given.get(name)
        if value is not None:
            # config.json may hold 32.0 for a quniform batch size, or strings (WMLA style).
            params[name] = str(value).lower() if isinstance(default, str) else type(default)(float(value))
    if params["optimizer"] not in ("adam", "sgd"):
        raise SystemExit(f"optimizer must be adam or sgd, got {params['optimizer']!r}")
    if not 0.0 <= params["dropout"] < 1.0:
        raise SystemExit(f"dropout must be in [0, 1), got {params['dropout']}")
    for name in ("num_epochs", "batch_size", "hidden_size"):
        if params[name] < 1:
            raise SystemExit(f"{name} must be at least 1, got {params[name]}")
    if params["learning_rate"] <= 0:
        raise SystemExit(f"learning_rate must be positive, got {params['learning_rate']}")
    return params


def load_digits(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="ascii") as f:
        rows = [[int(v) for v in line.split(",")] for line in f if line.strip()]
    features = torch.tensor([r[:64] for r in rows], dtype=torch.float32) / 16.0
    labels = torch.tensor([r[64] for r in rows], dtype=torch.int64)
    test = torch.arange(len(rows)) % 5 == 4
    return features[~test], labels[~test], features[test], labels[test]


def network(hidden, dropout):
    layers = [nn.Linear(64, hidden), nn.ReLU()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers += [nn.Linear(hidden, hidden), nn.ReLU()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(hidden, 10))
    return nn.Sequential(*layers)


def save_atomically(obj, path):
    temp = path + ".tmp"
    torch.save(obj, temp)
    os.replace(temp, path)


def main():
    args = parse_args()
    torch.set_num_threads(max(1, args.threads))
    torch.manual_seed(args.seed)
    params = hyperparameters(args)
    train_x, train_y, test_x, test_y = load_digits(args.data)

    model = network(params["hidden_size"], params["dropout"])
    if params["optimizer"] == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=params["learning_rate"], momentum=0.9)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=params["learning_rate"])
    loss_fn = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(args.seed)

    checkpoint_dir = None if args.benchmark else os.environ.get("HYPERDRIVE_CHECKPOINT_DIR")
    checkpoint_path = os.path.join(checkpoint_dir, CHECKPOINT) if checkpoint_dir else None
    first_epoch, accuracy = 1, 0.0
    if checkpoint_path and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path)
        # A longer num_epochs may go on from a checkpoint; anything else starts over.
        same = {k: v for k, v in state["params"].items() if k != "num_epochs"} == \
            {k: v for k, v in params.items() if k != "num_epochs"}
        if same and state["seed"] == args.seed and state["epoch"] <= params["num_epochs"]:
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            shuffle.set_state(state["shuffle"])
            torch.set_rng_state(state["torch_rng"])
            first_epoch = state["epoch"] + 1
            accuracy = state["accuracy"]
            print(f"resumed from {checkpoint_path} after epoch {state['epoch']}", file=sys.stderr, flush=True)
        else:
            print(f"ignoring {checkpoint_path}: written for other hyperparameters", file=sys.stderr, flush=True)

    batch, n = params["batch_size"], len(train_y)
    epoch_seconds = []
    for epoch in range(first_epoch, params["num_epochs"] + 1):
        started = time.perf_counter()
        model.train()
        order = torch.randperm(n, generator=shuffle)
        total_loss = 0.0
        for start in range(0, n, batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(index)
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(dim=1) == test_y).float().mean().item()
        epoch_seconds.append(time.perf_counter() - started)
        mean_loss = total_loss / n
        if not args.benchmark:
            print(f"hyperdrive: epoch={epoch} accuracy={accuracy:.6f} loss={mean_loss:.6f}", flush=True)
        if checkpoint_path:
            os.makedirs(checkpoint_dir, exist_ok=True)
            save_atomically({"epoch": epoch, "params": params, "seed": args.seed, "model": model.state_dict(),
                             "optimizer": optimizer.state_dict(), "shuffle": shuffle.get_state(),
                             "torch_rng": torch.get_rng_state(), "accuracy": accuracy}, checkpoint_path)

    if args.benchmark:
        # Epoch 1 pays for warm-up (allocations, kernel selection): the per-epoch figure is the mean of the others.
        steady = epoch_seconds[1:] or epoch_seconds
        print(json.dumps({
            "framework": "pytorch", "version": torch.__version__, "device": "cpu", "threads": torch.get_num_threads(),
            **params, "seed": args.seed, "epochs_timed": len(steady),
            "seconds_per_epoch": sum(steady) / len(steady), "first_epoch_seconds": epoch_seconds[0],
            "accuracy": accuracy,
        }), flush=True)
        return

    out = os.environ.get("HYPERDRIVE_OUTPUT_DIR") or "outputs"
    os.makedirs(out, exist_ok=True)
    save_atomically(model.state_dict(), os.path.join(out, "model.pt"))
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        json.dump({"framework": "pytorch", "architecture": "64-h-h-10 relu mlp", **params, "seed": args.seed,
                   "accuracy": accuracy}, f, indent=2)


if __name__ == "__main__":
    main()
