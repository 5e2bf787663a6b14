#!/usr/bin/python3
"""Times GradSign for .NET against LibTorch 2.10 (TorchSharp, the `tsbench` harness) in one run, alternating per cell:
ours, LibTorch with NCHW tensors, LibTorch with channels-last tensors, one process each. NB201 C=16 N=5, batch 64,
3x32x32, 10 classes. Prints the CPU, a Markdown table of median seconds, ours / best-LibTorch time ratios per cell
and their geometric means, and the GFLOP/s of one batched forward+backward (SNIP ours, `fwdbwd` LibTorch).

Usage: tools/bench_vs_libtorch.py --tsbench DIR [--repeats R] [--proxies gradsign,snip,...] [--json FILE] [CELL ...]
DIR is a built tsbench folder (`./run.sh build` there). CELL: a name below or an architecture string.
Run it alone (nothing else on the cores), e.g. under a lock that keeps builds away."""
import argparse, json, math, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CELLS = {
    "best": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "all-conv3x3": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "nonemix": "|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|none~2|",
    "all-conv1x1": "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|",
    "all-skip": "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
}
PROXIES = ["gradsign", "snip", "grasp", "synflow", "naswot"]


def cpu_model():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("Vendor ID:"):
                vendor = line.split(":", 1)[1].strip()
            if line.startswith("CPU family:"):
                family = line.split(":", 1)[1].strip()
            if line.startswith("Model:"):
                number = line.split(":", 1)[1].strip()
        return f"{model} ({vendor} family {family} model {number}), {os.cpu_count()} cores"
    except Exception:  # noqa: BLE001 - informational only
        return "unknown CPU"


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out[out.index("{"):])


def libtorch(tsbench, arch, repeats, proxies, channels_last):
    exe = os.path.join(tsbench, "bin", "Release", "net10.0", "tsbench.dll")
    res = run_json(["dotnet", exe, "bench", "--batch", "64", "--repeats", str(repeats), "--gradsign-repeats", str(repeats),
                    "--channels-last", "1" if channels_last else "0", "--proxies", ",".join(proxies + ["fwdbwd"]), arch])
    times = {r["proxy"]: r["median_seconds"] for r in res["results"]}
    gflops = next(r for r in res["results"] if r["proxy"] == "fwdbwd")["conv_linear_gflop"]
    return times, gflops, res["torch"]


def ours(arch, repeats, proxies):
    exe = os.path.join(ROOT, "artifacts", "bin", "GradSign.Benchmarks", "release", "gradsign.dll")
    res = run_json(["dotnet", exe, "bench", "--space", "nb201", "--arch", arch, "--batch", "64",
                    "--proxies", ",".join(proxies), "--repeats", str(repeats), "--json"])
    return {r["proxy"]: r["median_seconds"] for r in res["results"]}


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tsbench", required=True, help="built tsbench folder")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--proxies", default=",".join(PROXIES))
    p.add_argument("--json", help="also write every measurement to this file")
    p.add_argument("cells", nargs="*", default=list(CELLS))
    a = p.parse_args()
    proxies = a.proxies.split(",")
    rows, record = [], {"cpu": cpu_model(), "repeats": a.repeats, "cells": []}
    started = time.time()
    for name in a.cells:
        arch = CELLS.get(name, name)
        o = ours(arch, a.repeats, proxies)
        tp, flop, torch = libtorch(a.tsbench, arch, a.repeats, proxies, False)
        tc, _, _ = libtorch(a.tsbench, arch, a.repeats, proxies, True)
        record["torch"] = torch
        rows.append((name, o, tp, tc, flop))
        record["cells"].append({"cell": name, "arch": arch, "ours": o, "libtorch": tp, "libtorch_channels_last": tc,
                                "fwdbwd_gflop": flop})
        print(f"measured {name}", file=sys.stderr)

    print(f"CPU: {record['cpu']}. {record.get('torch', 'LibTorch')}, 2 threads; ours: gradsign bench. "
          f"Medians of {a.repeats}, seconds; ratio = ours / faster LibTorch (below 1: we are faster). "
          f"Run took {time.time() - started:.0f} s; load average at the end {os.getloadavg()[0]:.2f}.\n")
    print("| cell | proxy | ours | LibTorch NCHW | LibTorch channels-last | ratio |")
    print("|---|---|---|---|---|---|")
    ratios = {q: [] for q in proxies}
    for name, o, tp, tc, _ in rows:
        for q in proxies:
            best = min(tp[q], tc[q])
            ratios[q].append(o[q] / best)
            print(f"| {name} | {q} | {o[q]:.4f} | {tp[q]:.4f} | {tc[q]:.4f} | {o[q] / best:.2f} |")
    print("\n| proxy | geometric mean ratio | worst cell |")
    print("|---|---|---|")
    for q in proxies:
        print(f"| {q} | {geomean(ratios[q]):.2f} | {max(ratios[q]):.2f} |")
    print("\nBatched forward+backward (conv+linear GFLOP per call; GFLOP/s = GFLOP / median seconds):\n")
    print("| cell | GFLOP | ours (SNIP) GFLOP/s | LibTorch NCHW fwdbwd GFLOP/s | channels-last GFLOP/s |")
    print("|---|---|---|---|---|")
    for name, o, tp, tc, flop in rows:
        snip = o.get("snip")
        ours_rate = f"{flop / snip:.0f}" if snip else "-"
        print(f"| {name} | {flop:.1f} | {ours_rate} | {flop / tp['fwdbwd']:.0f} | {flop / tc['fwdbwd']:.0f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(record, f, indent=1)


if __name__ == "__main__":
    main()
