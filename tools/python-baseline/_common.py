"""Shared helpers for the PyTorch baseline scripts: thread setup, timing, machine state.

Timing: warm-up first, then S samples; each sample times k back-to-back calls (k chosen so a sample
lasts >= ~20 ms, k >= 1) with time.perf_counter_ns (wall clock); the figure is the median over samples
of (sample time / k). p10/p90 of the same per-call values are printed to show the spread.
"""
import ctypes
import datetime
import os
import platform
import re
import statistics
import time

import torch

_openblas = None


def _find_openblas():
    """The OpenBLAS actually mapped into this process (via libblas.so.3), or None."""
    global _openblas
    if _openblas is not None:
        return _openblas
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded
    for path in blas_libraries():
        if "openblas" in os.path.basename(path):
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            _openblas = lib
            return lib
    return None


def blas_libraries():
    """Shared objects mapped into this process that look like BLAS/LAPACK/oneDNN/OpenMP."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and re.search(r"blas|lapack|mkl|dnnl|gomp|omp\.so", parts[-1]):
                libs.add(os.path.realpath(parts[-1]))
    return sorted(libs)


def corename():
    """The kernel set OpenBLAS's DYNAMIC_ARCH picked (or OPENBLAS_CORETYPE forced)."""
    ob = _find_openblas()
    if ob is None:
        return None
    ob.openblas_get_corename.restype = ctypes.c_char_p
    return ob.openblas_get_corename().decode()


def set_threads(n):
    """torch intra-op threads (OpenMP) and OpenBLAS's own pthread pool both to n."""
    torch.set_num_threads(n)
    ob = _find_openblas()
    if ob is not None:
        ob.openblas_set_num_threads(n)
    return threads_now()


def each_thread_count(spec):
    """Sets torch and OpenBLAS to each count of the comma-separated spec in turn (checking both took it) and yields it."""
    for n in [int(x) for x in spec.split(",")]:
        got = set_threads(n)
        assert got == {"torch": n, "openblas": n}, got
        yield n


def threads_now():
    ob = _find_openblas()
    return {"torch": torch.get_num_threads(),
            "openblas": ob.openblas_get_num_threads() if ob is not None else None}


def machine_state(label):
    with open("/proc/loadavg") as f:
        load = f.read().strip()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return "%s: %s, /proc/loadavg: %s" % (label, now, load)


def environment():
    ob = _find_openblas()
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    flags = open("/proc/cpuinfo").read()
    lines = [
        "python %s (%s), torch %s, numpy %s" % (platform.python_version(), os.path.realpath("/usr/bin/python3"),
                                               torch.__version__, __import__("numpy").__version__),
        "CPU: %s, %d logical CPUs, avx512f=%s; torch CPU capability: %s" % (
            cpu, os.cpu_count(), " avx512f " in flags, torch.backends.cpu.get_cpu_capability()
            if hasattr(torch.backends, "cpu") and hasattr(torch.backends.cpu, "get_cpu_capability") else
            re.search(r"CPU capability usage: (\S+)", torch.__config__.show()).group(1)),
        "torch build: " + re.search(r"BLAS_INFO=[^,]*", torch.__config__.show()).group(0)
        + ", mkldnn (oneDNN) enabled=%s, ATen parallel backend: %s" % (
            torch.backends.mkldnn.is_available(),
            re.search(r"ATen parallel backend: (\S+)", torch.__config__.parallel_info()).group(1)),
        "OpenBLAS in process: %s; kernel core: %s; OPENBLAS_CORETYPE=%r" % (
            ob.openblas_get_config().decode() if ob is not None else "none", corename(),
            os.environ.get("OPENBLAS_CORETYPE")),
        "mapped BLAS/LAPACK/oneDNN/OpenMP libraries:",
    ] + ["  " + p for p in blas_libraries()]
    return "\n".join(lines)


def bench(fn, samples=41, min_sample_s=0.02, warmup_s=1.0):
    """Median wall-clock seconds per call of fn() (see module doc). Returns (median, p10, p90, k, samples)."""
    t_end = time.perf_counter() + warmup_s
    n_warm = 0
    while time.perf_counter() < t_end or n_warm < 3:
        fn()
        n_warm += 1
    # calibrate k
    t0 = time.perf_counter_ns()
    fn()
    one = (time.perf_counter_ns() - t0) / 1e9
    k = max(1, int(min_sample_s / max(one, 1e-7)))
    per_call = []
    for _ in range(samples):
        t0 = time.perf_counter_ns()
        for _ in range(k):
            fn()
        per_call.append((time.perf_counter_ns() - t0) / 1e9 / k)
    per_call.sort()
    q = statistics.quantiles(per_call, n=10)
    return statistics.median(per_call), q[0], q[-1], k, samples
