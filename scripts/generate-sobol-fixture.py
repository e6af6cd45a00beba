#!/usr/bin/python3
"""Generates the Sobol reference data of HyperDrive.Core from SciPy (run with Debian's /usr/bin/python3 + python3-scipy).

Usage:
  /usr/bin/python3 scripts/generate-sobol-fixture.py table     # prints the C# direction-number table (SobolDirectionNumbers.cs)
  /usr/bin/python3 scripts/generate-sobol-fixture.py fixture   # writes tests/.../Sampling/Fixtures/sobol-64d-1024.txt.gz

The table is the first DIMENSIONS rows of Joe & Kuo's new-joe-kuo-6.21201 as SciPy ships it
(scipy/stats/_sobol_direction_numbers.npz: 'poly' = primitive polynomial with its leading and constant
terms, 'vinit' = initial direction numbers m_1..m_s). The fixture is scipy.stats.qmc.Sobol(d=DIMENSIONS,
scramble=False).random(1024): one line per point, every coordinate as the 32-bit integer x * 2^32
(SciPy's values are k / 2^30, so this is exact), in hexadecimal.
"""
import gzip
import os
import sys

import numpy as np
import scipy
from scipy.stats import qmc

DIMENSIONS = 64
POINTS = 1024
NPZ = os.path.join(os.path.dirname(scipy.stats.__file__), "_sobol_direction_numbers.npz")
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "HyperDrive.Core.Tests",
                       "Sampling", "Fixtures", "sobol-64d-1024.txt.gz")


def table():
    data = np.load(NPZ)
    poly, vinit = data["poly"], data["vinit"]
    print(f"    // First {DIMENSIONS} rows of new-joe-kuo-6.21201 from SciPy {scipy.__version__} "
          "(_sobol_direction_numbers.npz), by scripts/generate-sobol-fixture.py table.")
    print("    // Each row: the primitive polynomial (leading and constant terms included), then m_1..m_s.")
    print("    private static readonly uint[][] Rows =")
    print("    [")
    for d in range(DIMENSIONS):
        p = int(poly[d])
        s = max(p.bit_length() - 1, 1)
        row = [p] + [int(v) for v in vinit[d][:s]]
        print("        [" + ", ".join(str(v) for v in row) + "],")
    print("    ];")


def fixture():
    points = qmc.Sobol(d=DIMENSIONS, scramble=False).random(POINTS)
    scaled = points * 2.0**32
    ints = scaled.astype(np.uint64)
    assert np.all(ints == scaled), "SciPy's Sobol values are not multiples of 2^-32"
    lines = [f"# scipy.stats.qmc.Sobol(d={DIMENSIONS}, scramble=False).random({POINTS}), SciPy {scipy.__version__}, "
             f"NumPy {np.__version__}; coordinates as hex uint32 = x * 2^32; by scripts/generate-sobol-fixture.py"]
    for row in ints:
        lines.append(" ".join(f"{int(v):x}" for v in row))
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    # mtime=0 keeps the file byte-identical across runs
    with open(FIXTURE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(("\n".join(lines) + "\n").encode("ascii"))
    print(f"wrote {FIXTURE} ({os.path.getsize(FIXTURE)} bytes)")


if __name__ == "__main__":
    {"table": table, "fixture": fixture}[sys.argv[1] if len(sys.argv) > 1 else "fixture"]()
