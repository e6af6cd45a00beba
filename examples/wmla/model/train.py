#!/usr/bin/env python3
"""A training script written the IBM WMLA HPO way (issue 7, workload e), Python 3 stdlib only.

WMLA's contract (REFERENCE §6.3): the hyperparameters are in config.json in the current working directory, values may
arrive as strings, so the script casts them; at the end it writes $RESULT_DIR/val_dict_list.json, a list of per-step
dicts. It prints no `hyperdrive:` lines: HyperDrive reads the metrics from val_dict_list.json when the trial ends.

The model: softmax regression on the digits data (pixel / 16; test rows are those with index % 5 == 4), trained by
mini-batch SGD with momentum, one val_dict_list entry per epoch with the test loss and accuracy.
"""
import argparse
import gzip
import json
import math
import os
import random


def load(path):
    with gzip.open(path, "rt", encoding="ascii") as f:
        rows = [[int(v) for v in line.split(",")] for line in f if line.strip()]
    data = [([p / 16.0 for p in r[:64]], r[64]) for r in rows]
    return [d for i, d in enumerate(data) if i % 5 != 4], [d for i, d in enumerate(data) if i % 5 == 4]


def probabilities(w, b, x):
    logits = [b[k] + sum(wk[j] * x[j] for j in range(64) if x[j]) for k, wk in enumerate(w)]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def main():
    parser = argparse.ArgumentParser(description="WMLA-style softmax regression on digits")
    parser.add_argument("--data", required=True, help="digits.csv.gz")
    args = parser.parse_args()

    hyper_params = json.loads(open("config.json").read())
    learning_rate = float(hyper_params.get("learning_rate", "0.1"))
    batch_size = int(float(hyper_params.get("batch_size", "32")))
    epochs = int(float(hyper_params.get("epochs", "3")))
    momentum = float(hyper_params.get("momentum", "0.9"))

    train, test = load(args.data)
    rng = random.Random(7)
    w = [[0.0] * 64 for _ in range(10)]
    b = [0.0] * 10
    vw = [[0.0] * 64 for _ in range(10)]
    vb = [0.0] * 10
    val_dict_list = []
    for epoch in range(1, epochs + 1):
        rng.shuffle(train)
        for start in range(0, len(train), batch_size):
            batch = train[start:start + batch_size]
            gw = [[0.0] * 64 for _ in range(10)]
            gb = [0.0] * 10
            for x, y in batch:
                p = probabilities(w, b, x)
                for k in range(10):
                    d = p[k] - (1.0 if k == y else 0.0)
                    gb[k] += d
                    row = gw[k]
                    for j in range(64):
                        if x[j]:
                            row[j] += d * x[j]
            scale = learning_rate / len(batch)
            for k in range(10):
                vb[k] = momentum * vb[k] - scale * gb[k]
                b[k] += vb[k]
                for j in range(64):
                    vw[k][j] = momentum * vw[k][j] - scale * gw[k][j]
                    w[k][j] += vw[k][j]
        loss, correct = 0.0, 0
        for x, y in test:
            p = probabilities(w, b, x)
            loss -= math.log(max(p[y], 1e-12))
            correct += max(range(10), key=p.__getitem__) == y
        val_dict_list.append({"step": epoch, "loss": loss / len(test), "accuracy": correct / len(test)})
        print(f"epoch {epoch}: {val_dict_list[-1]}", flush=True)

    result_dir = os.environ.get("RESULT_DIR", ".")
    os.makedirs(result_dir, exist_ok=True)
    with open(os.path.join(result_dir, "val_dict_list.json"), "w") as f:
        json.dump(val_dict_list, f)


if __name__ == "__main__":
    main()
