#!/usr/bin/python3
"""Learning curves of a small PyTorch MLP on digits, for the pruning replay (scripts/bench pruning).

    /usr/bin/python3 benchmarks/pruning/make_curves.py --runs 240 --epochs 25 --seed 6 \
        --out benchmarks/pruning/curves-digits-mlp.json

Needs Debian's python3-torch (apt-get install -y python3-torch). One thread, CPU, deterministic per run seed.
Data: data/digits/digits.csv.gz (1797 rows), shuffled once with the base seed, 1197 rows to train, 600 to validate.
Each run draws its hyperparameters at random (wide ranges on purpose, so curves cross: slow learning rates that end
well, fast ones that start well and plateau or diverge), trains every epoch to the end (no early stopping) and records
the validation accuracy and loss after each epoch.
"""
import argparse
import gzip
import json
import math
import os
import random
import time

import numpy as np
import torch

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "digits", "digits.csv.gz")


def load(seed):
    with gzip.open(DATA, "rt") as f:
        rows = np.array([[float(v) for v in line.split(",")] for line in f if line.strip()])
    x, y = rows[:, :64] / 16.0, rows[:, 64].astype(np.int64)
    order = np.random.RandomState(seed).permutation(len(rows))
    x, y = x[order], y[order]
    n_train = 1197
    t = lambda a, dt: torch.tensor(a, dtype=dt)
    return (t(x[:n_train], torch.float32), t(y[:n_train], torch.int64),
            t(x[n_train:], torch.float32), t(y[n_train:], torch.int64))


def draw(rng):
    return {
        "optimizer": rng.choice(["sgd", "momentum", "adam"]),
        "learning_rate": math.exp(rng.uniform(math.log(1e-4), math.log(0.5))),
        "hidden_size": rng.choice([8, 16, 32, 64, 128, 256]),
        "layers": rng.choice([1, 2]),
        "batch_size": rng.choice([16, 32, 64, 128, 256]),
        "weight_decay": math.exp(rng.uniform(math.log(1e-6), math.log(1e-2))),
        "dropout": round(rng.uniform(0.0, 0.5), 3),
    }


def train(params, data, epochs, seed):
    torch.manual_seed(seed)
    xtr, ytr, xva, yva = data
    layers, width = [], 64
    for _ in range(params["layers"]):
        layers += [torch.nn.Linear(width, params["hidden_size"]), torch.nn.ReLU(), torch.nn.Dropout(params["dropout"])]
        width = params["hidden_size"]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    lr, wd = params["learning_rate"], params["weight_decay"]
    opt = {
        "sgd": lambda: torch.optim.SGD(model.parameters(), lr=lr, weight_decay=wd),
        "momentum": lambda: torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=wd),
        "adam": lambda: torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd),
    }[params["optimizer"]]()
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    accuracy, losses = [], []
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), params["batch_size"]):
            idx = perm[i:i + params["batch_size"]]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out = model(xva)
            val_loss = float(loss_fn(out, yva))
            acc = float((out.argmax(1) == yva).float().mean())
        accuracy.append(round(acc, 6))
        losses.append(round(val_loss, 6) if math.isfinite(val_loss) else None)
    return accuracy, losses


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=240)
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--seed", type=int, default=6)
    p.add_argument("--out", default=os.path.join(HERE, "curves-digits-mlp.json"))
    a = p.parse_args()
    data = load(a.seed)
    rng = random.Random(a.seed)
    curves, started = [], time.time()
    for run in range(a.runs):
        params = draw(rng)
        acc, loss = train(params, data, a.epochs, a.seed * 100000 + run)
        curves.append({"run": run, "params": params, "val_accuracy": acc, "val_loss": loss})
        if run % 20 == 0:
            print(f"run {run}: {params} -> final {acc[-1]:.4f} ({time.time() - started:.0f} s)", flush=True)
    doc = {
        "description": "validation accuracy (and loss) per epoch of a PyTorch MLP on digits, random hyperparameters",
        "command": f"/usr/bin/python3 benchmarks/pruning/make_curves.py --runs {a.runs} --epochs {a.epochs} --seed {a.seed}",
        "torch": torch.__version__,
        "data": "data/digits/digits.csv.gz: 1197 train / 600 validation rows after a seeded shuffle",
        "metric": "val_accuracy",
        "goal": "maximize",
        "epochs": a.epochs,
        "seconds": round(time.time() - started, 1),
        "curves": curves,
    }
    with open(a.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
