#!/usr/bin/python3
"""Combines the tables of several runs (tools/python-baseline/logs/<run>/<script>-<openblas core>.txt, written by
run_all.sh) into one table per script and OpenBLAS kernel set: the median over runs of each row's median time,
with each run's median alongside, the Java figure and Java/PyTorch.

usage: /usr/bin/python3 tools/python-baseline/summarize.py [logs dir]
"""
import glob
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def num(s):
    return float(s.replace(",", ""))


def main():
    logs = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "logs")
    runs = sorted(d for d in os.listdir(logs) if os.path.isdir(os.path.join(logs, d)))
    for script in ("fusion", "mobilenet", "minilm"):
        for core in ("default", "SkylakeX"):
            rows, header, order, used, loads = {}, None, [], [], []
            for run in runs:
                p = os.path.join(logs, run, "%s-%s.txt" % (script, core))
                if not os.path.exists(p):
                    continue
                used.append(run)
                text = open(p).read()
                loads += re.findall(r"^(?:start|end): (.*)$", text, re.M)
                for line in text.splitlines():
                    if not line.startswith("|") or line.startswith("|---"):
                        continue
                    cells = [c.strip() for c in line.strip("|").split("|")]
                    if header is None and not re.match(r"[\d.,]+$", cells[3]):
                        header = cells
                        continue
                    if not re.match(r"[\d.,]+$", cells[3]):
                        continue
                    key = tuple(cells[:3])
                    if key not in rows:
                        rows[key] = {"java": cells[5], "vals": []}
                        order.append(key)
                    rows[key]["vals"].append((run, num(cells[3])))
            if not used:
                continue
            unit = "µs" if script == "fusion" else "ms"
            print("### %s.py, OpenBLAS kernels: %s (runs: %s)\n" % (script, core, ", ".join(used)))
            print("| %s | %s | %s | PyTorch %s/call, median of runs | per run | Java %s/call | Java/PyTorch |"
                  % (header[0], header[1], header[2], unit, unit))
            print("|---|---|---:|---:|---|---:|---:|")
            for key in order:
                vals = [v for _, v in rows[key]["vals"]]
                med = statistics.median(vals)
                java = rows[key]["java"]
                ratio = "%.2f" % (num(java) / med) if re.match(r"[\d.,]+$", java) else "-"
                f = (lambda v: "{:,.0f}".format(v) if v >= 100 else "%.1f" % v) if unit == "µs" else \
                    (lambda v: "%.1f" % v if v >= 10 else "%.2f" % v)
                print("| %s | %s | %s | %s | %s | %s | %s |" % (key + (f(med), " / ".join(f(v) for v in vals),
                                                                        java, ratio)))
            print("\nmachine state: " + "; ".join(loads) + "\n")


if __name__ == "__main__":
    main()
