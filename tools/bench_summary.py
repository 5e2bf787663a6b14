#!/usr/bin/python3
"""Prints the Markdown tables of docs/benchmarks.md and docs/performance.md from one tools/bench_session.sh folder.

Usage: tools/bench_summary.py OUT"""
import json, math, os, re, sys

OUT = sys.argv[1]
CELLS = {"best": "best", "all-conv3x3": "all nor_conv_3x3", "nonemix": "1x1 / pool / 3x3 with none",
         "all-conv1x1": "all nor_conv_1x1", "all-skip": "all skip_connect"}
PROXIES = ["gradsign", "synflow", "grasp", "snip", "naswot"]
SNIP_GFLOP = {"best": 70.9, "all-conv3x3": 84.5}  # 2 × 64 × MACs per sample × 3 passes (gradsign score --proxies flops)


def geo(xs):
    return math.exp(sum(map(math.log, xs)) / len(xs))


def results(name):
    path = os.path.join(OUT, name)
    return json.load(open(path))["results"] if os.path.exists(path) else []


def timing(runs, backend, proxy):
    """(fastest median, every call) of one backend and proxy over several bench outputs."""
    found = [r for rs in runs for r in rs if r["backend"] == backend and r["proxy"] == proxy]
    return min(r["median_seconds"] for r in found), [s for r in found for s in r["seconds"]]


def bold_above_one(x, fmt="%.2f"):
    return ("**" + fmt + "**") % x if x > 1 else fmt % x


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


new, old, calls, torch = {}, {}, {}, {}
for c in CELLS:
    for p in PROXIES:
        new[c, p], calls[c, p] = timing([results(f"new1-{c}.json"), results(f"new2-{c}.json")], "managed", p)
        old[c, p], _ = timing([results(f"old1-{c}.json"), results(f"old2-{c}.json")], "managed", p)
        torch[c, p] = tuple(timing([results(f"torch-{c}.json")], b, p)[0] for b in ("torchsharp", "torchsharp-channels-last"))

ratio = {k: new[k] / min(torch[k]) for k in new}
print("## managed / best LibTorch 2.10\n")
table(["proxy", *CELLS.values(), "geometric mean", "worst cell"],
      [[p, *(bold_above_one(ratio[c, p]) for c in CELLS), "**%.2f**" % geo([ratio[c, p] for c in CELLS]),
        "%.2f" % max(ratio[c, p] for c in CELLS)] for p in PROXIES])
print("## this build / previous build (faster median of two runs each)\n")
table(["proxy", *CELLS.values(), "geometric mean"],
      [[p, *("%.2f" % (new[c, p] / old[c, p]) for c in CELLS), "**%.2f**" % geo([new[c, p] / old[c, p] for c in CELLS])]
       for p in PROXIES])
print("## per cell and proxy (seconds)\n")
table(["cell", "proxy", "managed", "previous build", "LibTorch NCHW", "LibTorch channels-last", "managed / best LibTorch",
       "managed min–max"],
      [[CELLS[c], p, "%.3f" % new[c, p], "%.3f" % old[c, p], "%.3f" % torch[c, p][0], "%.3f" % torch[c, p][1],
        bold_above_one(ratio[c, p], "%.2f×"), "%.3f–%.3f" % (min(calls[c, p]), max(calls[c, p]))]
       for c in CELLS for p in PROXIES])
for c, gflop in SNIP_GFLOP.items():
    print(f"SNIP {CELLS[c]}: {gflop / new[c, 'snip']:.0f} GFLOP/s (median), fastest call {gflop / min(calls[c, 'snip']):.0f};"
          f" LibTorch NCHW {gflop / torch[c, 'snip'][0]:.0f}, channels-last {gflop / torch[c, 'snip'][1]:.0f}")

pytorch = os.path.join(OUT, "pytorch.md")
if os.path.exists(pytorch):
    rows = {}
    order = ["gradsign", "snip", "grasp", "synflow", "naswot"]  # bench_vs_pytorch.py's column order
    for line in open(pytorch):
        cells = [x.strip() for x in line.strip().strip("|").split("|")]
        if cells[0] in CELLS:
            for i, p in enumerate(order):
                rows[cells[0], p] = float(cells[2 + 3 * i]) / float(cells[1 + 3 * i])
    print("\n## managed / PyTorch 1.13 (bench_vs_pytorch.py's own run)\n")
    table(["proxy", *CELLS.values(), "geometric mean"],
          [[p, *(bold_above_one(rows[c, p]) for c in CELLS), "**%.2f**" % geo([rows[c, p] for c in CELLS])] for p in PROXIES])


def usage(name):
    """(wall seconds, user + system seconds, peak RSS in MB) from a /usr/bin/time -v output."""
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        return None
    text = open(path).read()
    field = lambda key: re.search(re.escape(key) + r":\s*(.*)", text).group(1)
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return round(wall, 2), round(cpu, 2), round(int(field("Maximum resident set size (kbytes)")) * 1024 / 1e6)


print("\n## main job, memory, sweep: (wall s, CPU s, peak RSS MB)\n")
for v in ("new", "old"):
    print(v, "main job", [usage(f"job-{v}-{i}.time") for i in (1, 2)])
    print(v, "one cell, all proxies", usage(f"all-{v}.time"))
    print(v, "one cell per proxy", {p: usage(f"one-{v}-{p}.time") for p in PROXIES})
print("sweep shard 0/64 (new)", usage("sweep.time"))
