"""The rounds of tools/bench/lib.sh's bench_rounds, read back."""
import glob
import json
import os
import statistics


def load(out):
    """(times, med): every command's times (s) over all the JSON in out,
    and their medians in ms, in the order the commands were first met."""
    times = {}
    for f in sorted(glob.glob(os.path.join(out, "*.json"))):
        for r in json.load(open(f))["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    return times, med
