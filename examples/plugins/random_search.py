#!/usr/bin/env python3
"""Random search as a HyperDrive sampler plug-in (Python 3 standard library only).

The optimizer has the shape of IBM WMLA's PluginOptimizer: search(number_samples, last_exp_results) returns a
list of parameter sets ([] when the space is exhausted), get_state/set_state save and restore it (here: the
state of its random number generator). main() speaks HyperDrive's plug-in protocol around it: one JSON request
per line on stdin, one JSON answer per line on stdout. Logs go to stderr (stdout is the protocol's).

    sampling_algorithm:
      type: plugin
      command: python3 random_search.py
      options: { name: my-random }
"""
import json
import math
import random
import sys


class PluginOptimizer:
    def __init__(self, name, hyper_parameters, seed=0, logbase=math.e, **kwargs):
        # hyper_parameters: the sweep's search space, {name: {type, min_value, max_value, values, upper, q, mu, sigma}}
        # kwargs: the plug-in's `options` from the sweep file
        self.name = name
        self.space = hyper_parameters
        self.logbase = logbase
        self.options = kwargs
        self.rng = random.Random(seed)

    def search(self, number_samples, last_exp_results):
        # last_exp_results: every trial so far, [{trial, parameters, status, value, loss, intervals}]; random
        # search ignores them. A model-based optimizer would fit on the completed ones and avoid the running ones.
        return [self._sample_space(self.space) for _ in range(number_samples)]

    def get_state(self):
        version, internal, gauss_next = self.rng.getstate()
        return {"rng": [version, list(internal), gauss_next]}

    def set_state(self, state_dict):
        version, internal, gauss_next = state_dict["rng"]
        self.rng.setstate((version, tuple(internal), gauss_next))

    def _sample_space(self, space):
        return {name: self._sample(expression) for name, expression in space.items()}

    def _sample(self, expression):
        if not isinstance(expression, dict) or "type" not in expression:
            return expression  # a constant of a nested choice branch
        kind = expression["type"]
        if kind == "choice":
            value = self.rng.choice(expression["values"])
            # a mapping among the values is a nested branch: its expressions are sampled, its constants kept
            return self._sample_space(value) if isinstance(value, dict) else value
        if kind == "randint":
            return self.rng.randrange(expression["upper"])
        if kind in ("uniform", "quniform", "loguniform", "qloguniform"):
            x = self.rng.uniform(expression["min_value"], expression["max_value"])
            if kind.endswith("loguniform"):
                x = self.logbase ** x
        elif kind in ("normal", "qnormal", "lognormal", "qlognormal"):
            x = self.rng.gauss(expression["mu"], expression["sigma"])
            if kind.endswith("lognormal"):
                x = math.exp(x)
        else:
            raise ValueError("unknown parameter expression %r" % kind)
        if "q" in expression:
            q = expression["q"]
            return int(round(x / q) * q)  # round half to even, as HyperDrive's q rounding
        return x


def main():
    optimizer = None
    pending_state = None  # set_state may come before the first search (a resumed sweep)
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        try:
            if op == "search":
                if optimizer is None:
                    optimizer = PluginOptimizer("random_search", request["space"], seed=request.get("seed", 0),
                                                logbase=request.get("logbase", math.e), **request.get("options", {}))
                    if pending_state is not None:
                        optimizer.set_state(pending_state)
                answer = optimizer.search(request["n"], request["history"])
            elif op == "get_state":
                answer = optimizer.get_state() if optimizer is not None else pending_state
            elif op == "set_state":
                pending_state = request["state"]
                if optimizer is not None:
                    optimizer.set_state(pending_state)
                answer = {"ok": True}
            else:
                answer = {"error": "unknown op %r" % op}
        except Exception as e:  # report, keep serving: HyperDrive decides what an error means
            print("random_search: %s failed: %r" % (op, e), file=sys.stderr)
            answer = {"error": "%s failed: %s" % (op, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
