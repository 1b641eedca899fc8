#!/usr/bin/python3
"""fusion4j's fusion strategies written plainly in PyTorch, timed on the shapes of fusion4j's JMH
FusionBenchmark (fusion-benchmarks/.../FusionBenchmark.java): random unit embeddings text 384 + image 1280,
batch 1 and 256, float32, inference only (torch.inference_mode(), modules in eval()).

Definitions follow docs/fusion-strategies.md with the settings of fusion-benchmarks' Strategies.java:
  concat        per-modality L2 normalise, concatenate (1664)
  weightedSum   L2 normalise, Linear(d_m -> 384, no bias) per modality, softmax-weighted sum (384)
  attention     L2 normalise, Linear(d_m -> 256) + modality type embedding, fusion token, 1 pre-norm
                nn.TransformerEncoderLayer (256, 4 heads, FFN 1024 = 4D, GELU), final LayerNorm,
                fusion token (256)
  compact       L2 normalise, count sketch of [x, 1] to D = 8192 (index_add_), rfft, product, irfft (8192)
  lowRank       L2 normalise, Linear(d_m -> 1200) with bias, product, minus product of biases,
                sum-pool by 5 (240)
  fullBilinear  L2 normalise, outer product of [x_text, 1] and [x_image, 1] (493,185), signed sqrt, L2
                (batch 1 only: at 256 the output alone is 505 MB)
The docs define no signed sqrt / L2 for compact or low-rank (only for full bilinear), so none is applied.
Parameter values are random (timing does not depend on them).

usage: /usr/bin/python3 tools/python-baseline/fusion.py [--threads 1,2] [--quick]
       (prefix OPENBLAS_CORETYPE=SkylakeX to force OpenBLAS's AVX-512 kernels, see README.md)
"""
import argparse
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

TEXT, IMAGE = 384, 1280

# Java JMH FusionBenchmark, µs per call (batch 1: quiet machine; batch 256: load 2.8-4.4, upper bounds)
JAVA_US = {
    ("concat", 1): 19.5, ("weightedSum", 1): 128.6, ("attention", 1): 316.4,
    ("compact", 1): 283.1, ("lowRank", 1): 379.4, ("fullBilinear", 1): 3451.0,
    ("concat", 256): 8733.0, ("weightedSum", 256): 13484.0, ("attention", 256): 42336.0,
    ("compact", 256): 39485.0, ("lowRank", 256): 19087.0,
}


class Concat(nn.Module):
    def forward(self, t, i):
        return torch.cat([F.normalize(t, dim=-1), F.normalize(i, dim=-1)], dim=-1)


class WeightedSum(nn.Module):
    def __init__(self, d=min(TEXT, IMAGE)):
        super().__init__()
        self.pt = nn.Linear(TEXT, d, bias=False)
        self.pi = nn.Linear(IMAGE, d, bias=False)
        self.logits = nn.Parameter(torch.zeros(2))

    def forward(self, t, i):
        w = torch.softmax(self.logits, dim=0)
        return w[0] * self.pt(F.normalize(t, dim=-1)) + w[1] * self.pi(F.normalize(i, dim=-1))


class Attention(nn.Module):
    def __init__(self, d=256, heads=4, ffn=1024, layers=1):
        super().__init__()
        self.pt = nn.Linear(TEXT, d, bias=False)
        self.pi = nn.Linear(IMAGE, d, bias=False)
        self.type_emb = nn.Parameter(torch.randn(2, d) * 0.02)
        self.token = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, heads, ffn, dropout=0.1, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)

    def forward(self, t, i):
        tt = self.pt(F.normalize(t, dim=-1)) + self.type_emb[0]
        ti = self.pi(F.normalize(i, dim=-1)) + self.type_emb[1]
        h = torch.cat([self.token.expand(t.shape[0], -1, -1), tt[:, None], ti[:, None]], dim=1)
        return self.norm(self.encoder(h))[:, 0]


class CompactBilinear(nn.Module):
    def __init__(self, D=8192, seed=42):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.D = D
        for name, dm in (("t", TEXT), ("i", IMAGE)):
            self.register_buffer("h_" + name, torch.randint(0, D, (dm + 1,), generator=g))
            self.register_buffer("s_" + name, torch.randint(0, 2, (dm + 1,), generator=g).float() * 2 - 1)

    def sketch(self, x, h, s):
        x1 = torch.cat([F.normalize(x, dim=-1), x.new_ones(x.shape[0], 1)], dim=-1)
        return x.new_zeros(x.shape[0], self.D).index_add_(1, h, x1 * s)

    def forward(self, t, i):
        ft = torch.fft.rfft(self.sketch(t, self.h_t, self.s_t), n=self.D)
        fi = torch.fft.rfft(self.sketch(i, self.h_i, self.s_i), n=self.D)
        return torch.fft.irfft(ft * fi, n=self.D)


class LowRankBilinear(nn.Module):
    def __init__(self, rank=1200, factor=5):
        super().__init__()
        self.ut = nn.Linear(TEXT, rank)
        self.ui = nn.Linear(IMAGE, rank)
        nn.init.ones_(self.ut.bias)
        nn.init.ones_(self.ui.bias)
        self.factor = factor

    def forward(self, t, i):
        z = self.ut(F.normalize(t, dim=-1)) * self.ui(F.normalize(i, dim=-1)) - self.ut.bias * self.ui.bias
        return z.view(z.shape[0], -1, self.factor).sum(-1)


class FullBilinear(nn.Module):
    def forward(self, t, i):
        n = t.shape[0]
        t1 = torch.cat([F.normalize(t, dim=-1), t.new_ones(n, 1)], dim=-1)
        i1 = torch.cat([F.normalize(i, dim=-1), i.new_ones(n, 1)], dim=-1)
        z = torch.bmm(t1[:, :, None], i1[:, None, :]).view(n, -1)
        return F.normalize(torch.sign(z) * torch.sqrt(torch.abs(z)), dim=-1)


STRATEGIES = [("concat", Concat), ("weightedSum", WeightedSum), ("attention", Attention),
              ("compact", CompactBilinear), ("lowRank", LowRankBilinear), ("fullBilinear", FullBilinear)]


def unit(n, d, g):
    return F.normalize(torch.randn(n, d, generator=g), dim=-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", action="store_true", help="few samples (smoke test)")
    args = ap.parse_args()
    samples = 7 if args.quick else 41
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    data = {b: (unit(b, TEXT, g), unit(b, IMAGE, g)) for b in (1, 256)}
    mods = {name: cls().eval() for name, cls in STRATEGIES}
    print(_common.environment())
    print(_common.machine_state("start"))
    print()
    print("| strategy | batch | threads | PyTorch µs/call (median) | p10-p90 | Java µs/call | Java/PyTorch |")
    print("|---|---:|---:|---:|---|---:|---:|")
    with torch.inference_mode():
        # shape / sanity check
        for name, m in mods.items():
            y = m(*data[1])
            assert torch.isfinite(y).all(), name
        for th in _common.each_thread_count(args.threads):
            for name, m in mods.items():
                for b in (1, 256):
                    if name == "fullBilinear" and b == 256:
                        continue
                    t, i = data[b]
                    med, p10, p90, k, s = _common.bench(lambda: m(t, i), samples=samples)
                    java = JAVA_US.get((name, b))
                    print("| %s | %d | %d | %s | %s-%s | %s | %s |" % (
                        name, b, th, fmt(med), fmt(p10), fmt(p90),
                        "%s" % fmt(java * 1e-6) if java else "-",
                        "%.2f" % (java * 1e-6 / med) if java else "-"), flush=True)
    print()
    print(_common.machine_state("end"))


def fmt(sec):
    us = sec * 1e6
    return "{:,.0f}".format(us) if us >= 100 else "%.1f" % us


if __name__ == "__main__":
    main()
