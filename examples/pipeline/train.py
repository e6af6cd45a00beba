#!/usr/bin/env python3
"""Train step of the fictitious pipeline (Azure's HyperDriveStep sample, issue 7 workload b).

"Training" the fictitious model only means keeping its hyperparameters: they are checked against the model's domain
(DESIGN §7) and written as the model file, model.json, into the folder given by --model (the sweep passes
${{outputs.model}}, a folder of the trial's outputs, so the registered model carries it). Python 3 stdlib only.
"""
import argparse
import json
import os
import sys


def main():
    parser = argparse.ArgumentParser(description="Write the fictitious model's file.")
    parser.add_argument("--thr", type=float, required=True, help="decision threshold, in [0, 1]")
    parser.add_argument("--epoch", type=float, required=True, help="epochs, an integer in [1, 80]")
    parser.add_argument("--lr", type=float, required=True, help="learning rate, in (0, 1)")
    parser.add_argument("--model", required=True, help="folder to write model.json into")
    args = parser.parse_args()

    errors = []
    if not 0.0 <= args.thr <= 1.0:
        errors.append(f"thr = {args.thr} is outside [0, 1]")
    if args.epoch != int(args.epoch) or not 1 <= args.epoch <= 80:
        errors.append(f"epoch = {args.epoch} is not an integer in [1, 80]")
    if not 0.0 < args.lr < 1.0:
        errors.append(f"lr = {args.lr} is outside (0, 1)")
    if errors:
        print("train: " + "; ".join(errors), file=sys.stderr)
        return 2

    os.makedirs(args.model, exist_ok=True)
    path = os.path.join(args.model, "model.json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"model": "fictitious", "thr": args.thr, "epoch": int(args.epoch), "lr": args.lr}, f, indent=2)
    os.replace(path + ".tmp", path)
    print(f"train: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
