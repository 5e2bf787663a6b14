"""PyTorch timing of the NAS-Bench-201 convolution shapes, to compare with `gradsign kernel-bench` in the same run.

Fair configuration (../shared/README.md): Debian python3-torch with libopenblas0-pthread,
  OPENBLAS_NUM_THREADS=1 MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 \
  /usr/bin/python3 tools/conv_torch_bench.py --threads 2 --reps 20
Prints min-of-N milliseconds and GFLOP/s per shape and pass (forward, backward-data, backward-weight), float32.
"""
import argparse
import time

import torch
import torch.nn.functional as F

SHAPES = [  # name, cin, h, w, cout, k, stride, pad
    ("c16-32x32-k3", 16, 32, 32, 16, 3, 1, 1),
    ("c32-16x16-k3", 32, 16, 16, 32, 3, 1, 1),
    ("c64-8x8-k3", 64, 8, 8, 64, 3, 1, 1),
    ("c16-32x32-k1", 16, 32, 32, 16, 1, 1, 0),
    ("c32-16x16-k1", 32, 16, 16, 32, 1, 1, 0),
    ("c64-8x8-k1", 64, 8, 8, 64, 1, 1, 0),
    ("c16to32-s2-k3", 16, 32, 32, 32, 3, 2, 1),
    ("c32to64-s2-k3", 32, 16, 16, 64, 3, 2, 1),
    ("stem-3to16-k3", 3, 32, 32, 16, 3, 1, 1),
]


def best(fn, reps):
    fn()
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--shape", default="")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    print(f"# torch {torch.__version__}, float32, batch {a.batch}, threads {a.threads}, min of {a.reps}")
    with torch.no_grad():
        for name, cin, h, w, cout, k, s, p in SHAPES:
            if a.shape not in name:
                continue
            x = torch.randn(a.batch, cin, h, w)
            wt = torch.randn(cout, cin, k, k)
            y = F.conv2d(x, wt, stride=s, padding=p)
            gy = torch.randn_like(y)
            flops = 2.0 * y.numel() * cin * k * k
            passes = [
                ("forward", lambda: F.conv2d(x, wt, stride=s, padding=p)),
                ("backward-data", lambda: torch.nn.grad.conv2d_input(x.shape, wt, gy, stride=s, padding=p)),
                ("backward-weight", lambda: torch.nn.grad.conv2d_weight(x, wt.shape, gy, stride=s, padding=p)),
            ]
            for pname, fn in passes:
                t = best(fn, a.reps)
                print(f"{name:<16} {pname:<16} {flops / 1e9:8.3f} {t * 1e3:9.3f} {flops / t / 1e9:8.1f}")


if __name__ == "__main__":
    main()
