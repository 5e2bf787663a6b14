#!/usr/bin/python3
"""Times GradSign for .NET against PyTorch on the same machine, in the same run, one process per architecture
and side, alternating sides: NB201 C=16 N=5, batch 64, 3x32x32, 10 classes. PyTorch runs in its best CPU
configuration (../shared/README.md): OpenBLAS pthreads with one BLAS thread, torch.set_num_threads(2), large
malloc thresholds, one process per architecture. Prints a Markdown table of median seconds and ratios.

Usage: tools/bench_vs_pytorch.py [--repeats R] [--proxies gradsign,snip,...] [ARCH ...]"""
import argparse, json, math, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE = os.path.join(ROOT, "..", "shared", "oracle")
CELLS = {
    "best": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "all-conv3x3": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "nonemix": "|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|none~2|",
    "all-conv1x1": "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|",
    "all-skip": "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
}
PROXIES = ["gradsign", "snip", "grasp", "synflow", "naswot"]


def torch_times(arch, repeats):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", MALLOC_MMAP_THRESHOLD_="4294967296",
               MALLOC_TRIM_THRESHOLD_="68719476736")
    # The environment's OPENBLAS_CORETYPE/L2_SIZE pin an old kernel; unset both for a fair baseline.
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run(["/usr/bin/python3", os.path.join(ORACLE, "torch_bench.py"), os.path.join(ORACLE, "oracle.py"),
                          "64", str(repeats), arch], env=env, check=True, capture_output=True, text=True).stdout
    return {r["proxy"]: r["median_seconds"] for r in json.loads(out.strip().splitlines()[-1])["results"]}


def our_times(arch, repeats, proxies):
    exe = os.path.join(ROOT, "artifacts", "bin", "GradSign.Cli", "release", "gradsign.dll")
    out = subprocess.run(["dotnet", exe, "bench", "--space", "nb201", "--arch", arch, "--batch", "64",
                          "--proxies", ",".join(proxies), "--repeats", str(repeats), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return {r["proxy"]: r["median_seconds"] for r in json.loads(out)["results"]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--proxies", default=",".join(PROXIES))
    p.add_argument("cells", nargs="*", default=list(CELLS))
    a = p.parse_args()
    proxies = a.proxies.split(",")
    rows, ratios = [], {q: [] for q in proxies}
    for name in a.cells:
        arch = CELLS.get(name, name)
        t = torch_times(arch, a.repeats)
        o = our_times(arch, a.repeats, proxies)
        for q in proxies:
            ratios[q].append(t[q] / o[q])
        rows.append((name, t, o))
        print(f"measured {name}", file=sys.stderr)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}; repeats {a.repeats} (medians, seconds)\n")
    print("| cell | " + " | ".join(f"{q} PyTorch | {q} ours | ×" for q in proxies) + " |")
    print("|---|" + "---|---|---|" * len(proxies))
    for name, t, o in rows:
        print(f"| {name} | " + " | ".join(f"{t[q]:.3f} | {o[q]:.3f} | {t[q] / o[q]:.2f}" for q in proxies) + " |")
    print("| **geometric mean speed-up** | " + " | ".join(
        f" | | **{math.exp(sum(map(math.log, ratios[q])) / len(ratios[q])):.2f}**" for q in proxies) + " |")


if __name__ == "__main__":
    main()
