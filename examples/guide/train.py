#!/usr/bin/env python3
"""The fictitious model (DESIGN §7) as a script, for the tuning-guide examples whose parameters do not fit the builtin.

Reads config.json ($HYPERDRIVE_CONFIG, else ./config.json) and reports the fictitious model's metrics per epoch as
`hyperdrive: epoch=e precision=… recall=… accuracy=… loss=… f1=…`. Besides the builtin's thr, epoch and lr it takes
thr_percent (an integer 0..100, thr = thr_percent / 100), so a randint parameter can drive the threshold. Values are
cast as WMLA-style scripts cast them (config.json may hold 40.0 or "40"). Python 3 stdlib only.
"""
import json
import math
import os
import sys


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
    with open(os.environ.get("HYPERDRIVE_CONFIG", "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    thr = float(config["thr_percent"]) / 100 if "thr_percent" in config else float(config["thr"])
    epochs = float(config["epoch"])
    lr = float(config["lr"])
    if not 0 <= thr <= 1 or epochs != int(epochs) or not 1 <= epochs <= 80 or not 0 < lr < 1:
        print(f"train: outside the model's domain: thr={thr} epoch={epochs} lr={lr}", file=sys.stderr)
        return 2
    for e in range(1, int(epochs) + 1):
        values = " ".join(f"{name}={value!r}" for name, value in metrics(thr, lr, e).items())
        print(f"hyperdrive: epoch={e} {values}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
