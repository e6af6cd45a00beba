#!/usr/bin/env python3
"""Evaluate step of the fictitious pipeline (Azure's HyperDriveStep sample, issue 7 workload b).

Reads the model file the train step wrote and reports, for each epoch e = 1..epoch, the fictitious model's metrics
(DESIGN §7) as `hyperdrive: epoch=e precision=… recall=… accuracy=… loss=… f1=…`. Python 3 stdlib only.
"""
import argparse
import json
import math
import os


def metrics(thr, lr, e):
    z = math.log10(lr)
    precision_thr = 0.1 + 0.9 / (1 + 5000 * math.exp(-20 * thr))
    recall_thr = 1 / (1 + 1e-5 * math.exp(20 * thr))
    loss_e = 3 + 7 * math.exp(-0.05 * e)
    accuracy_e = 0.95 - 3 * math.log10(3 - 0.025 * e) ** 2
    loss_lr = 0.6 + math.log10(0.9 - z) ** 2
    accuracy_lr = 0.98 - math.log10(0.7 - 0.5 * z) ** 2
    precision = precision_thr * accuracy_e * accuracy_lr
    recall = recall_thr * accuracy_e * accuracy_lr
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "accuracy": accuracy_e ** 2 * accuracy_lr,
            "loss": loss_e * loss_lr, "f1": f1}


def main():
    parser = argparse.ArgumentParser(description="Report the fictitious model's metrics per epoch.")
    parser.add_argument("--model", required=True, help="folder holding the train step's model.json")
    args = parser.parse_args()
    with open(os.path.join(args.model, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    for e in range(1, model["epoch"] + 1):
        values = " ".join(f"{name}={value!r}" for name, value in metrics(model["thr"], model["lr"], e).items())
        print(f"hyperdrive: epoch={e} {values}", flush=True)


if __name__ == "__main__":
    main()
