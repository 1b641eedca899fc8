#!/usr/bin/python3
"""Make the tiny ResNet test fixture for fusion-encoders (TorchScript + ONNX).

Builds a network with torchvision's ResNet structure (torchvision's own
BasicBlock, layers [1, 1, 1, 1]) but stage widths 8, 16, 32, 64 instead of
64..512, so the files stay small. Random weights (seed 7), BatchNorm running
statistics and affine parameters randomised (so BN matters), fc = Identity,
eval mode. Input [N, 3, 224, 224] float32 -> output [N, 64] pooled features.

Writes, into fusion-encoders/src/test/resources/models/:
  resnet-tiny/resnet-tiny.pt        TorchScript (torch.jit.trace)
  resnet-tiny/resnet-tiny.onnx      ONNX opset 13, input "input", output
                                    "features", dynamic batch axis
  resnet-tiny/reference-input.bin   float32 little-endian, [2, 3, 224, 224]
  resnet-tiny/reference-output.bin  float32 little-endian, [2, 64] (PyTorch eager)
  resnet-tiny/reference.json        shapes, names, dtype, provenance
  resnet-tiny-grid/resnet-tiny-grid.onnx   the same network cut before avgpool: output
                                    "feature_map" [N, 64, 7, 7] (issue 17: the regions
                                    CnnImageEncoder cuts for cross-attention fusion)
  resnet-tiny-grid/reference-regions3.bin  float32 LE [2, 64, 3, 3]: adaptive_avg_pool2d of
                                    that map to 3x3 for the reference input
  corrupt/corrupt.onnx              first 1000 bytes of the ONNX + seeded garbage
  corrupt/corrupt.pt                first 1000 bytes of the .pt + seeded garbage

Run with Debian's python (python3-torch 1.13.1, python3-torchvision 0.14.1,
python3-onnx):   /usr/bin/python3 tools/resnet-fixture/make_fixture.py
Deterministic: a rerun writes identical bytes (checked by --check).
"""

import argparse
import hashlib
import io
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock, conv1x1

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "fusion-encoders", "src", "test", "resources", "models")

WIDTHS = (8, 16, 32, 64)
LAYERS = (1, 1, 1, 1)
MODEL_SEED = 7
INPUT_SEED = 123
GARBAGE_SEED = 99
REF_SHAPE = (2, 3, 224, 224)
CORRUPT_PREFIX = 1000
CORRUPT_GARBAGE = 2000


class TinyResNet(nn.Module):
    """torchvision ResNet layout (same stem, layer1..4, avgpool, flatten, fc)
    with configurable stage widths. Attribute names match torchvision's
    ResNet, so a state_dict has the same keys as resnet18's minus fc."""

    def __init__(self, widths=WIDTHS, layers=LAYERS):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(widths[0], layers[0], stride=1)
        self.layer2 = self._make_layer(widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(widths[2], layers[2], stride=2)
        self.layer4 = self._make_layer(widths[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Identity()
        # same init as torchvision's ResNet
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def _make_layer(self, planes, blocks, stride):
        # same logic as torchvision.models.resnet.ResNet._make_layer (BasicBlock)
        downsample = None
        if stride != 1 or self.inplanes != planes * BasicBlock.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * BasicBlock.expansion, stride),
                nn.BatchNorm2d(planes * BasicBlock.expansion),
            )
        mods = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * BasicBlock.expansion
        for _ in range(1, blocks):
            mods.append(BasicBlock(self.inplanes, planes))
        return nn.Sequential(*mods)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


class Unpooled(nn.Module):
    """The TinyResNet cut before its avgpool: what a user exports to get a ResNet's feature map."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x = n.maxpool(n.relu(n.bn1(n.conv1(x))))
        return n.layer4(n.layer3(n.layer2(n.layer1(x))))


def build_model():
    torch.manual_seed(MODEL_SEED)
    model = TinyResNet()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(torch.empty(n).uniform_(0.5, 1.5))
                m.bias.copy_(torch.randn(n) * 0.1)
                m.running_mean.copy_(torch.randn(n) * 0.1)
                m.running_var.copy_(torch.empty(n).uniform_(0.5, 2.0))
                m.num_batches_tracked.fill_(100)
    model.eval()
    return model


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def f32le(t):
    return np.ascontiguousarray(t.detach().cpu().numpy(), dtype="<f4").tobytes()


def export_all():
    """Returns {relative path: bytes} and a dict of facts to print."""
    torch.set_num_threads(1)  # stable reductions for the reference output
    model = build_model()
    files = {}

    torch.manual_seed(INPUT_SEED)
    ref_in = torch.rand(*REF_SHAPE, dtype=torch.float32)

    with torch.no_grad():
        ref_out = model(ref_in)

        # TorchScript: trace with a batch-1 example; the traced graph keeps
        # the batch dimension symbolic (flatten(x, 1)), so any N works.
        example = torch.zeros(1, 3, 224, 224)
        traced = torch.jit.trace(model, example)
        buf = io.BytesIO()
        torch.jit.save(traced, buf)
        files["resnet-tiny/resnet-tiny.pt"] = buf.getvalue()

        buf = io.BytesIO()
        torch.onnx.export(
            model, example, buf,
            opset_version=13,
            input_names=["input"],
            output_names=["features"],
            dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}},
            do_constant_folding=True,
            export_params=True,
        )
        files["resnet-tiny/resnet-tiny.onnx"] = buf.getvalue()

    with torch.no_grad():
        grid_model = Unpooled(model).eval()
        buf = io.BytesIO()
        torch.onnx.export(
            grid_model, example, buf,
            opset_version=13,
            input_names=["input"],
            output_names=["feature_map"],
            dynamic_axes={"input": {0: "batch"}, "feature_map": {0: "batch"}},
            do_constant_folding=True,
            export_params=True,
        )
        files["resnet-tiny-grid/resnet-tiny-grid.onnx"] = buf.getvalue()
        grid_map = grid_model(ref_in)
        assert torch.allclose(grid_map.mean(dim=(2, 3)), ref_out, atol=1e-6)
        files["resnet-tiny-grid/reference-regions3.bin"] = f32le(torch.nn.functional.adaptive_avg_pool2d(grid_map, 3))

    files["resnet-tiny/reference-input.bin"] = f32le(ref_in)
    files["resnet-tiny/reference-output.bin"] = f32le(ref_out)
    meta = {
        "description": "Tiny ResNet (torchvision BasicBlock, layers [1,1,1,1], widths "
                       "[8,16,32,64], fc=Identity), random weights. Made by "
                       "tools/resnet-fixture/make_fixture.py.",
        "torch": torch.__version__,
        "dtype": "float32",
        "byteOrder": "little-endian",
        "input": {"name": "input", "shape": list(REF_SHAPE), "file": "reference-input.bin",
                  "seed": INPUT_SEED, "distribution": "torch.rand, uniform [0,1)"},
        "output": {"name": "features", "shape": list(ref_out.shape), "file": "reference-output.bin"},
        "models": {"torchscript": "resnet-tiny.pt", "onnx": "resnet-tiny.onnx",
                   "onnxOpset": 13, "dynamicAxes": {"input": [0], "features": [0]}},
        "modelSeed": MODEL_SEED,
        "featureDim": int(ref_out.shape[1]),
    }
    files["resnet-tiny/reference.json"] = (json.dumps(meta, indent=2) + "\n").encode()

    gen = np.random.default_rng(GARBAGE_SEED)
    for name, src in (("corrupt/corrupt.onnx", "resnet-tiny/resnet-tiny.onnx"),
                      ("corrupt/corrupt.pt", "resnet-tiny/resnet-tiny.pt")):
        garbage = gen.integers(0, 256, CORRUPT_GARBAGE, dtype=np.uint8).tobytes()
        files[name] = files[src][:CORRUPT_PREFIX] + garbage

    return model, files, ref_in, ref_out


def verify(files, ref_in, ref_out):
    """Reload the written bytes and compare with the eager reference."""
    import onnx

    ts = torch.jit.load(io.BytesIO(files["resnet-tiny/resnet-tiny.pt"]))
    with torch.no_grad():
        ts_out = ts(ref_in)
    d_ts = (ts_out - ref_out).abs().max().item()
    print(f"TorchScript reload vs eager, batch 2: max abs diff {d_ts:.3g}")

    om = onnx.load_model_from_string(files["resnet-tiny/resnet-tiny.onnx"])
    onnx.checker.check_model(om, full_check=True)
    ins = [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in om.graph.input]
    outs = [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in om.graph.output]
    print(f"ONNX checker ok; opset {om.opset_import[0].version}; inputs {ins}; outputs {outs}")

    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime not installed: ONNX numerics not run here (checker only)")
        return
    sess = ort.InferenceSession(files["resnet-tiny/resnet-tiny.onnx"], providers=["CPUExecutionProvider"])
    onnx_out = sess.run(["features"], {"input": ref_in.numpy()})[0]
    print("ONNX (onnxruntime) vs eager: max abs diff",
          float(np.abs(onnx_out - ref_out.numpy()).max()),
          "; vs TorchScript:", float(np.abs(onnx_out - ts_out.numpy()).max()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if the committed files differ from a fresh export")
    args = ap.parse_args()

    model, files, ref_in, ref_out = export_all()
    verify(files, ref_in, ref_out)

    if args.check:
        bad = []
        for rel, data in sorted(files.items()):
            p = os.path.join(OUT, rel)
            if not os.path.exists(p) or open(p, "rb").read() != data:
                bad.append(rel)
        print("differs:" if bad else "all files identical to a fresh export", *bad)
        return 1 if bad else 0

    total = 0
    for rel, data in sorted(files.items()):
        write(os.path.join(OUT, rel), data)
        total += len(data)
        print(f"{len(data):>10}  {hashlib.sha256(data).hexdigest()[:16]}  "
              f"{os.path.relpath(os.path.join(OUT, rel), REPO)}")
    print(f"{total:>10}  total bytes")
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}; output shape {list(ref_out.shape)}")
    print("first 5 output values (sample 0):", [round(v, 6) for v in ref_out[0, :5].tolist()])
    print("output stats: min %.4f max %.4f mean %.4f" % (ref_out.min(), ref_out.max(), ref_out.mean()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
