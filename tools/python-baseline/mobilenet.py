#!/usr/bin/python3
"""Forward pass of the bundled image model (MobileNetV2 1.0/224 feature extractor, 1280-d output) in PyTorch,
on a prepared float32 tensor [N,3,224,224], N = 1 and 32, eager, torch.jit.trace'd, and traced + torch.jit.freeze + torch.jit.optimize_for_inference, 1 and 2 threads.

The network is the one tools/mobilenet-v2/build_onnx.py builds from the dumped TF.js weights (imported, not
copied): same graph, BatchNorm folded, the explicit TF pads as F.pad. Before timing, its output on
build_onnx.py's reference input is compared with the reference output build_onnx.py wrote
(work/weights/torch_ref_out.f32), which parity.js checked against the bundled ONNX file.

usage: /usr/bin/python3 tools/python-baseline/mobilenet.py [--weights DIR] [--threads 1,2] [--quick]
  DIR defaults to tools/mobilenet-v2/work/weights (written by tools/mobilenet-v2/convert.sh, gitignored).
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "mobilenet-v2"))
import _common  # noqa: E402
import build_onnx  # noqa: E402  (tools/mobilenet-v2/build_onnx.py)

# Java (ONNX Runtime, 1 thread, forward only on prepared tensors), ms per call
JAVA_MS = {1: 12.4, 32: 309.0}


def main():
    warnings.filterwarnings("ignore", category=FutureWarning)
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(ROOT, "tools", "mobilenet-v2", "work", "weights"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.weights, "weights.bin")):
        sys.exit("no dumped weights in %s: run tools/mobilenet-v2/convert.sh --skip-parity first "
                 "(or pass --weights DIR)" % args.weights)
    samples = 5 if args.quick else 21

    with open(os.path.join(args.weights, "topology.json")) as f:
        topology = json.load(f)
    torch.manual_seed(0)
    model = build_onnx.KerasGraph(topology, build_onnx.load_weights(args.weights), "flatten_1").eval()

    print(_common.environment())
    print("weights: %s" % os.path.realpath(args.weights))
    with torch.inference_mode():
        ref_in = torch.from_numpy(np.fromfile(os.path.join(args.weights, "torch_ref_in.f32"), "<f4")
                                  .reshape(1, 3, 224, 224))
        ref_out = torch.from_numpy(np.fromfile(os.path.join(args.weights, "torch_ref_out.f32"), "<f4"))
        y = model(ref_in)[0]
        cos = torch.nn.functional.cosine_similarity(y, ref_out, dim=0).item()
        print("parity with build_onnx.py's reference output: max |diff| %.2e, cosine %.8f"
              % ((y - ref_out).abs().max().item(), cos))
        assert cos > 0.99999

    g = torch.Generator().manual_seed(1)
    xs = {n: torch.rand(n, 3, 224, 224, generator=g) for n in (1, 32)}
    with torch.no_grad():  # trace outside inference mode (traced modules keep plain tensors)
        traced = torch.jit.trace(model, xs[1], check_trace=False)
        # what a PyTorch user would do for CPU inference next: freeze + optimize_for_inference
        # (folds constants, converts convolutions to oneDNN (MKL-DNN) layout)
        optimized = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model, xs[1],
                                                                                      check_trace=False)))
    with torch.inference_mode():
        for n in (1, 32):
            assert torch.allclose(traced(xs[n]), model(xs[n]), atol=1e-4), n
            assert torch.allclose(optimized(xs[n]), model(xs[n]), atol=1e-4), n
        prof_ops = set()
        with torch.autograd.profiler.profile() as prof:
            model(xs[1])
        for e in prof.function_events:
            if "conv" in e.name:
                prof_ops.add(e.name)
        print("convolution kernels called (profiler):", ", ".join(sorted(prof_ops)))
    print(_common.machine_state("start"))
    print()
    print("| mode | batch | threads | PyTorch ms/call (median) | p10-p90 | Java ORT 1 thread ms/call | Java/PyTorch |")
    print("|---|---:|---:|---:|---|---:|---:|")
    with torch.inference_mode():
        for th in _common.each_thread_count(args.threads):
            for n in (1, 32):
                for mode, m in (("eager", model), ("jit.trace", traced), ("trace+freeze+optimize_for_inference", optimized)):
                    x = xs[n]
                    med, p10, p90, k, s = _common.bench(lambda: m(x), samples=samples if n == 1 else max(5, samples // 2),
                                                        warmup_s=2.0 if n == 32 else 1.0)
                    java = JAVA_MS[n]
                    print("| %s | %d | %d | %.1f | %.1f-%.1f | %.1f | %.2f |" % (
                        mode, n, th, med * 1e3, p10 * 1e3, p90 * 1e3, java, java * 1e-3 / med), flush=True)
    print()
    print(_common.machine_state("end"))


if __name__ == "__main__":
    main()
