"""Benchmark the fast layers against naive loops and PyTorch CPU, in one process.

Usage: ``python benchmarks/bench_fast_layers.py [--threads 1] [--repeat 11] [--no-naive]``

Every time is the median of ``--repeat`` runs after one discarded warm-up run;
ours and torch's are timed round-robin, so that load from other processes on a
shared machine hits both alike. numpy's BLAS and torch get the same thread
count. The naive loops are timed on a reduced batch and scaled linearly to the
full batch (they are loops over images).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

TORCH_MISSING = "torch not installed (pip install torch==2.13.0)"
PEAK_SIZE = 2048  # square matmul that gives numpy's practical BLAS peak
CASES = [  # name, x shape, w shape or pool size, stride, pad, naive batch
    ("seed conv", (100, 3, 31, 31), (25, 3, 3, 3), 2, 1, 5),
    ("large conv", (50, 64, 32, 32), (64, 64, 3, 3), 1, 1, 1),
    ("pool 2x2", (100, 3, 32, 32), (2, 2), 2, 0, 10),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for numpy's BLAS and torch (default 1)")
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per median (default 11)")
    parser.add_argument("--naive-repeat", type=int, default=3,
                        help="timed runs for the naive loops (default 3)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loops")
    args = parser.parse_args()
    if args.threads < 1 or args.repeat < 1 or args.naive_repeat < 1:
        parser.error("--threads, --repeat and --naive-repeat must be at least 1")
    return args


ARGS = parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)  # before numpy loads its BLAS

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "solutions"))
from nnlayers import fast_layers as fl  # noqa: E402

try:
    import torch
    import torch.nn.functional as tF
    torch.set_num_threads(ARGS.threads)
except ImportError:
    torch = None


def median_ms(fn, repeat):
    """Median wall time of fn() in ms over ``repeat`` runs, after one discarded run."""
    return median_ms_interleaved({"fn": fn}, repeat)["fn"]


def median_ms_interleaved(fns, repeat):
    """Median ms of each function, timed round-robin so that load from other
    processes on a shared machine hits every contender alike; one discarded run each."""
    for fn in fns.values():
        fn()
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: 1e3 * float(np.median(ts)) for name, ts in times.items()}


# ---------------------------------------------------------------------------
# Naive loops, as a student writes them first
# ---------------------------------------------------------------------------
def conv_naive_forward(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    out = np.zeros((N, F, Ho, Wo), x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(win * w[f]) + b[f]
    return out


def conv_naive_backward(dout, x, w, stride, pad):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    hs, ws = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
                    dxp[n, :, hs, ws] += w[f] * dout[n, f, i, j]
                    dw[f] += xp[n, :, hs, ws] * dout[n, f, i, j]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))


def pool_naive_forward(x, ph, pw, stride):
    N, C, H, W = x.shape
    out = np.zeros((N, C, 1 + (H - ph) // stride, 1 + (W - pw) // stride), x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    out[n, c, i, j] = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw].max()
    return out


def pool_naive_backward(dout, x, ph, pw, stride):
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k = np.argmax(win)
                    dx[n, c, i * stride + k // pw, j * stride + k % pw] += dout[n, c, i, j]
    return dx


# ---------------------------------------------------------------------------
# One case: every implementation on the same arrays
# ---------------------------------------------------------------------------
def time_case(case, dtype):
    name, x_shape, w_arg, stride, pad, naive_n = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal(x_shape).astype(dtype)
    N = x_shape[0]
    t = {}
    if name.startswith("pool"):
        ph, pw = w_arg
        pp = {"pool_height": ph, "pool_width": pw, "stride": stride}
        out, cache = fl.max_pool_forward_fast(x, pp)
        dout = rng.standard_normal(out.shape).astype(dtype)
        fns = {"fast fwd": lambda: fl.max_pool_forward_fast(x, pp),
               "fast bwd": lambda: fl.max_pool_backward_fast(dout, cache)}
        naive = (lambda xs: pool_naive_forward(xs, ph, pw, stride),
                 lambda xs, ds: pool_naive_backward(ds, xs, ph, pw, stride))
        flops = None
        torch_fwd = (lambda xt: tF.max_pool2d(xt, (ph, pw), stride)) if torch else None
        torch_params = []
    else:
        w = rng.standard_normal(w_arg).astype(dtype)
        b = rng.standard_normal(w_arg[0]).astype(dtype)
        cp = {"stride": stride, "pad": pad}
        out, cache = fl.conv_forward_fast(x, w, b, cp)
        dout = rng.standard_normal(out.shape).astype(dtype)
        fns = {"fast fwd": lambda: fl.conv_forward_fast(x, w, b, cp),
               "fast bwd": lambda: fl.conv_backward_fast(dout, cache)}
        naive = (lambda xs: conv_naive_forward(xs, w, b, stride, pad),
                 lambda xs, ds: conv_naive_backward(ds, xs, w, stride, pad))
        flops = 2.0 * out.size * np.prod(w_arg[1:])
        if torch:
            wt = torch.from_numpy(w).requires_grad_()
            bt = torch.from_numpy(b).requires_grad_()
            torch_fwd = lambda xt: tF.conv2d(xt, wt, bt, stride=stride, padding=pad)  # noqa: E731
            torch_params = [wt, bt]
    if not ARGS.no_naive:
        xs, ds = x[:naive_n], dout[:naive_n]
        scale = N / naive_n
        t["naive"] = (scale * median_ms(lambda: naive[0](xs), ARGS.naive_repeat),
                      scale * median_ms(lambda: naive[1](xs, ds), ARGS.naive_repeat))
    graphs = []
    if torch:
        xt = torch.from_numpy(x).requires_grad_()
        dt = torch.from_numpy(dout)
        inputs = [xt, *torch_params]
        graphs = [torch_fwd(xt) for _ in range(ARGS.repeat + 1)]  # one fresh graph per backward
        fns["torch fwd"] = lambda: torch_fwd(xt)
        fns["torch bwd"] = lambda: torch.autograd.grad(graphs.pop(), inputs, dt)
    if flops is not None:  # the BLAS peak, timed in the same rounds: same load, same bar
        m = np.random.default_rng(1).standard_normal((PEAK_SIZE, PEAK_SIZE)).astype(dtype)
        fns["matmul"] = lambda: m @ m
    med = median_ms_interleaved(fns, ARGS.repeat)
    del graphs
    peak = 2 * PEAK_SIZE**3 / med["matmul"] / 1e6 if "matmul" in med else None
    for impl in ("fast", "torch"):
        if f"{impl} fwd" in med:
            t[impl] = (med[f"{impl} fwd"], med[f"{impl} bwd"])
    return rows_for(name, np.dtype(dtype).name, t, flops, peak, naive_n, N)


def fmt(v, spec=".2f"):
    return "-" if v is None else format(v, spec)


def rows_for(name, dtype, t, flops, peak, naive_n, N):
    rows = []
    for k, label in enumerate(("fwd", "bwd", "fwd+bwd")):
        def pick(impl):
            if impl not in t:
                return None
            return sum(t[impl]) if k == 2 else t[impl][k]
        fast, torch_ms, naive_ms = pick("fast"), pick("torch"), pick("naive")
        f = None if flops is None else flops * (1, 2, 3)[k]
        gflops = None if f is None else f / fast / 1e6
        rows.append([
            name, dtype, label,
            fmt(naive_ms, ".1f") + (f" (N={naive_n}, x{N // naive_n})" if naive_ms and k == 0 else ""),
            fmt(fast), TORCH_MISSING if torch is None else fmt(torch_ms),
            TORCH_MISSING if torch is None else fmt(fast / torch_ms, ".2f"),
            fmt(gflops, ".1f"), fmt(peak, ".1f"),
            "-" if gflops is None else f"{100 * gflops / peak:.0f}%",
            "-" if naive_ms is None else f"{naive_ms / fast:.0f}x",
        ])
    return rows


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(wd) if i > 2 else str(c).ljust(wd)  # noqa: E731
                               for i, (c, wd) in enumerate(zip(r, widths)))
    print(line(header))
    print("  ".join("-" * wd for wd in widths))
    for r in rows:
        print(line(r))


def blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS kernel unknown"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return "; ".join(f"{i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')} "
                     f"threads={i.get('num_threads')} ({Path(i.get('filepath', '')).name})" for i in infos)


def measure_peak(when):
    """numpy's 2048x2048 matmul GFLOP/s per dtype (printed), the practical BLAS peak."""
    peak = {}
    a = np.random.default_rng(0).standard_normal((PEAK_SIZE, PEAK_SIZE))
    for dtype in ("float64", "float32"):
        m = a.astype(dtype)
        peak[dtype] = 2 * PEAK_SIZE**3 / median_ms(lambda: m @ m, ARGS.repeat) / 1e6
    print(f"numpy {PEAK_SIZE}x{PEAK_SIZE} matmul {when}: " + ", ".join(f"{d} {g:.1f} GFLOP/s" for d, g in peak.items()))
    return peak


def main():
    print("Fast layers benchmark (times in ms: median of "
          f"{ARGS.repeat} runs after a discarded warm-up; naive: {ARGS.naive_repeat} runs)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"threads={ARGS.threads}")
    print(f"numpy BLAS: {blas_description()}")
    coretype = {v: os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    if any(coretype.values()):
        set_vars = {k: v for k, v in coretype.items() if v}
        print(f"WARNING: {set_vars} is set: it pins OpenBLAS to an older kernel and slows numpy;\n"
              "  to measure the native kernel run: "
              "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_fast_layers.py")
    else:
        print("OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: not set (native kernel)")
    print(f"fast_layers backend: {fl.get_backend()}")
    print(f"torch: {torch.__version__ + f', {torch.get_num_threads()} threads' if torch else TORCH_MISSING}")

    measure_peak("before the cases")
    print()

    rows = []
    for case in CASES:
        for dtype in (np.float64, np.float32):
            rows.extend(time_case(case, dtype))
    measure_peak("after the cases")
    print()
    print_table(["case", "dtype", "pass", "naive ms", "fast ms", "torch ms", "fast/torch",
                 "fast GFLOP/s", "matmul GFLOP/s", "% matmul", "naive/fast"], rows)
    print()
    print("GFLOP/s counts 2*N*F*C*HH*WW*H'*W' per forward and twice that per backward (dx and dw);")
    print(f"matmul GFLOP/s: numpy's {PEAK_SIZE}x{PEAK_SIZE} matmul of the row's dtype, timed in the same")
    print("round-robin as the row's layers (so under the same machine load); % matmul = fast / matmul.")
    print("naive loops run on the reduced batch N shown and are scaled to the full batch.")


if __name__ == "__main__":
    main()
