#!/usr/bin/env python3
"""Derives test fixtures from the recorded Google Benchmark output.

Run from tests/data: python3 derived/make_derived.py
Writes:
  derived/clean_baseline.json basic_baseline.json without BM_Fails (the benchmark
                              that calls SkipWithError), so that a file compared
                              with itself has nothing to fail on.
  derived/sort64_slower.json  clean_baseline.json with every sample of BM_Sort/64
                              (iteration rows and mean/median/stddev aggregates,
                              real_time and cpu_time) made 25% slower; nothing
                              else changed.
  derived/counter_up.json     clean_baseline.json with BM_Counter's user counter
                              nodes_visited raised by 20% in every row; times
                              unchanged.
"""
import json

SLOWER = "BM_Sort/64"
COUNTER = "BM_Counter"


def load(name):
    with open(name) as f:
        return json.load(f)


def save(doc, name):
    with open(name, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


doc = load("basic_baseline.json")
doc["benchmarks"] = [r for r in doc["benchmarks"] if not r.get("run_name", "").startswith("BM_Fails")]
save(doc, "derived/clean_baseline.json")

doc = load("derived/clean_baseline.json")
for row in doc["benchmarks"]:
    if row.get("run_name") == SLOWER and row.get("aggregate_name") != "cv":
        for key in ("real_time", "cpu_time"):
            row[key] *= 1.25
save(doc, "derived/sort64_slower.json")

doc = load("derived/clean_baseline.json")
for row in doc["benchmarks"]:
    if row.get("run_name") == COUNTER and "nodes_visited" in row and row.get("aggregate_name") != "cv":
        row["nodes_visited"] *= 1.2
save(doc, "derived/counter_up.json")
