#!/usr/bin/python3
# tests/data/stats/make_mwu_reference.py — writes mwu_reference.json, the
# Mann–Whitney U reference table that tests/stats_test.cpp checks
# gate::stats::mann_whitney_u against.
#
# Run with Debian 12's python (scipy 1.10.1, numpy 1.24):
#     /usr/bin/python3 tests/data/stats/make_mwu_reference.py
# The samples come from a fixed seed and are stored in the table, so the C++
# test reads exactly the numbers scipy saw. Rerunning the script rewrites the
# same file byte for byte.
import json
import os
import sys

import numpy as np
import scipy
import scipy.stats
from scipy.stats import _mannwhitneyu

EXPECTED_SCIPY = "1.10.1"
SEED = 20261123
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mwu_reference.json")

if scipy.__version__ != EXPECTED_SCIPY:
    sys.exit(f"make_mwu_reference.py: needs scipy {EXPECTED_SCIPY} (the gate matches it), found {scipy.__version__}")

rng = np.random.default_rng(SEED)
cases = []


def continuous(n, loc=0.0, scale=1.0):
    """n normal values, rounded to 6 decimals so the table stays readable."""
    return [round(float(v), 6) for v in rng.normal(loc, scale, n)]


def integers(n, low, high):
    """n whole numbers in [low, high): with a small range, ties for sure."""
    return [float(v) for v in rng.integers(low, high, n)]


def has_ties(x, y):
    pooled = x + y
    return len(set(pooled)) != len(pooled)


def add(name, x, y, method="auto", expect_ties=None):
    if expect_ties is not None and has_ties(x, y) != expect_ties:
        sys.exit(f"make_mwu_reference.py: case {name}: expected ties={expect_ties}; change the seed or the case")
    res = scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method=method)
    if method == "auto":
        # What scipy itself chose, asked of scipy rather than re-derived here.
        xy = np.concatenate([np.asarray(x), np.asarray(y)])
        chosen = _mannwhitneyu._mwu_choose_method(len(x), len(y), xy, "auto")
    else:
        chosen = method
    cases.append({
        "name": name,
        "method": method,
        "x": x,
        "y": y,
        "u": float(res.statistic),
        "p_value": float(res.pvalue),
        "exact": chosen == "exact",
    })


# Exact branch (auto): no ties, at least one sample of at most 8 values; a
# null case and a shifted one per size pair.
for n1, n2 in [(1, 4), (2, 2), (2, 3), (2, 30), (3, 3), (3, 7), (4, 4), (4, 9), (5, 5), (5, 12), (6, 6),
               (6, 20), (7, 7), (7, 30), (8, 8), (8, 9), (8, 15), (8, 30), (30, 8), (12, 5)]:
    for shift in (0.0, 1.0):
        add(f"exact_{n1}x{n2}_shift{shift:g}", continuous(n1), continuous(n2, loc=shift), expect_ties=False)

# Asymptotic branch (auto) without ties: both samples above 8.
for n1, n2 in [(9, 9), (10, 10), (9, 30), (12, 17), (20, 20), (25, 30), (30, 30), (30, 9)]:
    for shift in (0.0, 0.5, 1.0):
        add(f"asymptotic_{n1}x{n2}_shift{shift:g}", continuous(n1), continuous(n2, loc=shift), expect_ties=False)

# Realistic timings: ~35 µs with 12% noise, 10 repetitions, a 10% slowdown.
add("timings_10x10_slower10pct", [round(float(v), 1) for v in rng.normal(35000, 4200, 10)],
    [round(float(v), 1) for v in rng.normal(38500, 4620, 10)], expect_ties=False)

# Ties: always the asymptotic branch with tie correction, small or not.
for n1, n2, high in [(2, 2, 3), (3, 4, 4), (5, 5, 4), (2, 30, 6), (6, 9, 5), (8, 8, 3), (10, 10, 6),
                     (20, 25, 10), (30, 30, 8), (30, 30, 3), (4, 30, 2)]:
    add(f"ties_{n1}x{n2}_range{high}", integers(n1, 0, high), integers(n2, 0, high), expect_ties=True)
# Ties inside one sample only.
add("ties_within_x_5x6", [1.0, 2.0, 2.0, 3.0, 7.5], [4.0, 5.5, 6.0, 8.0, 9.0, 10.0], expect_ties=True)

# Extreme separation: every x below every y, and the reverse.
for n1, n2 in [(2, 2), (3, 5), (8, 8), (8, 30), (9, 9), (10, 10), (30, 30), (30, 2)]:
    low = sorted(continuous(n1, loc=0.0, scale=0.1))
    high = sorted(continuous(n2, loc=10.0, scale=0.1))
    add(f"separated_{n1}x{n2}_x_below", low, high, expect_ties=False)
    add(f"separated_{n1}x{n2}_x_above", [v + 20.0 for v in low], high, expect_ties=False)

# Identical samples: the same values on both sides, and all values equal
# (zero variance in the normal approximation).
for n in (2, 3, 10, 30):
    same = continuous(n)
    add(f"identical_{n}x{n}", same, list(same), expect_ties=True)
for n1, n2 in [(1, 1), (2, 2), (4, 6), (30, 30)]:
    add(f"all_equal_{n1}x{n2}", [5.0] * n1, [5.0] * n2, expect_ties=True)

# Forced methods: the exact distribution for large samples (no overflow up to
# 30 on each side), the exact distribution on tied data (no tie correction),
# and the normal approximation on small samples.
for n1, n2, shift in [(30, 30, 0.0), (30, 30, 0.5), (20, 25, 0.3), (12, 9, 1.0), (29, 30, 0.0)]:
    add(f"forced_exact_{n1}x{n2}_shift{shift:g}", continuous(n1), continuous(n2, loc=shift), method="exact",
        expect_ties=False)
add("forced_exact_30x30_separated", sorted(continuous(30, scale=0.1)), sorted(continuous(30, loc=10, scale=0.1)),
    method="exact", expect_ties=False)
add("forced_exact_ties_5x6", integers(5, 0, 4), integers(6, 0, 4), method="exact", expect_ties=True)
add("forced_exact_ties_10x12", integers(10, 0, 5), integers(12, 0, 5), method="exact", expect_ties=True)
for n1, n2 in [(2, 2), (3, 4), (8, 8)]:
    add(f"forced_asymptotic_{n1}x{n2}", continuous(n1), continuous(n2, loc=0.7), method="asymptotic",
        expect_ties=False)

table = {
    "about": ("Reference p-values of the two-sided Mann-Whitney U test for tests/stats_test.cpp, written by "
              "tests/data/stats/make_mwu_reference.py; do not edit by hand"),
    "call": ("scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method=<method>) with the default "
             "use_continuity=True; 'exact' is the method scipy used "
             "(scipy.stats._mannwhitneyu._mwu_choose_method for 'auto')"),
    "scipy_version": scipy.__version__,
    "numpy_version": np.__version__,
    "python_version": sys.version.split()[0],
    "seed": SEED,
    "cases": cases,
}

# One case a line: readable in a diff, and json.dumps writes floats with the
# shortest digits that read back to the same double.
with open(OUT, "w", encoding="utf-8") as out:
    out.write("{\n")
    for key in ("about", "call", "scipy_version", "numpy_version", "python_version", "seed"):
        out.write(f" {json.dumps(key)}: {json.dumps(table[key])},\n")
    out.write(' "cases": [\n')
    out.write(",\n".join("  " + json.dumps(case) for case in cases))
    out.write("\n ]\n}\n")
print(f"wrote {len(cases)} cases to {OUT}")
