#!/usr/bin/python3
"""Optuna's pruners replaying the same learning curves in the same orders as `scripts/bench pruning`.

    /usr/bin/python3 benchmarks/pruning/optuna_replay.py --curves benchmarks/pruning/curves-digits-mlp.json \
        --orders ORDERS.json [--pruners median sha hyperband]

Called by the benchmark (PruningBenchmark.cs), which writes ORDERS.json ({"orders": [[curve index, ...], ...],
"concurrency": 4}) and reads the JSON this prints. The replay is the benchmark's, step for step: `concurrency` trials
run at once; in each round every running trial, in the order it started, reports its next epoch
(`trial.report(value, epoch)`, epochs 1..E) and asks `trial.should_prune()`; a pruned trial is told PRUNED, a trial at
its last epoch is told its final value, and either frees its slot for the next curve in the order, which reports from
the next round on. Pruners with Optuna's defaults; Debian's python3-optuna (run with /usr/bin/python3).
"""
import argparse
import json
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)

PRUNERS = {
    "median": lambda: optuna.pruners.MedianPruner(),
    "sha": lambda: optuna.pruners.SuccessiveHalvingPruner(),
    "hyperband": lambda: optuna.pruners.HyperbandPruner(),
}
NAMES = {
    "median": "Optuna MedianPruner()",
    "sha": "Optuna SuccessiveHalvingPruner()",
    "hyperband": "Optuna HyperbandPruner()",
}


def replay(curves, order, concurrency, pruner, direction):
    study = optuna.create_study(direction=direction, pruner=pruner, sampler=optuna.samplers.RandomSampler(seed=0))
    queue = list(order)
    running = []  # [trial, curve index, epochs reported]
    epochs_run = 0
    completed = []

    def start():
        if queue:
            running.append([study.ask(), queue.pop(0), 0])

    for _ in range(concurrency):
        start()
    while running:
        for entry in list(running):
            trial, index, done = entry
            curve = curves[index]
            epoch = done + 1
            entry[2] = epoch
            trial.report(curve[epoch - 1], epoch)
            epochs_run += 1
            if epoch == len(curve):
                study.tell(trial, curve[-1])
                completed.append(index)
            elif trial.should_prune():
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
            else:
                continue
            running.remove(entry)
            start()
    return epochs_run, completed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--curves", required=True)
    p.add_argument("--orders", required=True)
    p.add_argument("--pruners", nargs="+", default=list(PRUNERS))
    a = p.parse_args()
    with open(a.curves) as f:
        doc = json.load(f)
    with open(a.orders) as f:
        spec = json.load(f)
    metric = doc.get("metric", "val_accuracy")
    curves = [c[metric] for c in doc["curves"]]
    direction = doc.get("goal", "maximize") + ""
    out = {"optuna": optuna.__version__, "results": []}
    for key in a.pruners:
        runs = []
        for order in spec["orders"]:
            epochs_run, completed = replay(curves, order, spec["concurrency"], PRUNERS[key](), direction)
            runs.append({"epochs_run": epochs_run, "completed": completed})
        out["results"].append({"name": NAMES[key], "orders": runs})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
