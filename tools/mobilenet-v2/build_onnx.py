#!/usr/bin/python3
"""Build the nsfwjs MobileNetV2 1.0/224 backbone in PyTorch from the dumped Keras
topology + weights (see dump_weights.js) and export it to ONNX, ending at the
1280-d globally average-pooled feature vector (nsfwjs's dense_1..dense_3 head is dropped).

The network is built generically from the Keras layer graph (topology.json), in the
layer order Keras saved (which is topological), so the PyTorch graph is exactly the
Keras graph. TF semantics are kept:
  * Keras' explicit ZeroPadding2D layers (((0,1),(0,1)) before every stride-2 conv,
    i.e. pad bottom/right only) become F.pad(x, (left, right, top, bottom));
  * 'same' padding is only accepted for stride 1, where it is symmetric (k // 2);
  * DepthwiseConv2D -> Conv2d(groups=in_channels);
  * ReLU(max_value=6) -> clamp(0, 6) (ONNX Clip);
  * BatchNormalization (inference: gamma * (x - mean) / sqrt(var + eps) + beta) is
    folded, in float64, into the preceding convolution's weight and bias;
  * AveragePooling2D(7x7, stride 7, valid) on the 7x7 map + Flatten == global mean over H, W.

usage: /usr/bin/python3 build_onnx.py <weights dir> <out.onnx> [--feature-layer flatten_1]
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx


def load_weights(wdir):
    with open(os.path.join(wdir, "manifest.json")) as f:
        manifest = json.load(f)
    flat = np.fromfile(os.path.join(wdir, "weights.bin"), dtype="<f4")
    out = {}
    for m in manifest:
        a = flat[m["offset"]: m["offset"] + m["length"]].reshape(m["shape"])
        out[m["name"]] = a
    return out


class TFPad(torch.autograd.Function):
    """Zero padding (left, right, top, bottom) exported as a single ONNX Pad with constant pads
    (plain F.pad exports as a dynamic Slice/Concat subgraph with torch 1.13)."""

    @staticmethod
    def forward(ctx, x, l, r, t, b):
        return F.pad(x, (l, r, t, b))

    @staticmethod
    def symbolic(g, x, l, r, t, b):
        pads = g.op("Constant", value_t=torch.tensor([0, 0, t, l, 0, 0, b, r], dtype=torch.int64))
        return g.op("Pad", x, pads, mode_s="constant")


def fuse_pad_into_conv(m):
    """Fold each zero Pad (on H, W only) that feeds exactly one Conv into that Conv's (asymmetric)
    'pads' attribute [top, left, bottom, right]; ONNX Conv supports asymmetric pads."""
    from onnx import numpy_helper
    consts = {}
    for nd in m.graph.node:
        if nd.op_type == "Constant":
            consts[nd.output[0]] = numpy_helper.to_array(nd.attribute[0].t)
    for init in m.graph.initializer:
        consts[init.name] = numpy_helper.to_array(init)
    users = {}
    for nd in m.graph.node:
        for i in nd.input:
            users.setdefault(i, []).append(nd)
    remove, fused = [], 0
    for nd in m.graph.node:
        if nd.op_type != "Pad":
            continue
        mode = [a.s for a in nd.attribute if a.name == "mode"]
        if mode and mode[0] != b"constant":
            continue
        if len(nd.input) > 2 and nd.input[2] and float(consts[nd.input[2]]) != 0.0:
            continue
        pads = consts[nd.input[1]].tolist()
        u = users.get(nd.output[0], [])
        if len(u) != 1 or u[0].op_type != "Conv" or pads[0] or pads[1] or pads[4] or pads[5]:
            continue
        conv = u[0]
        old = [a for a in conv.attribute if a.name == "pads"]
        cur = list(old[0].ints) if old else [0, 0, 0, 0]
        new = [cur[0] + pads[2], cur[1] + pads[3], cur[2] + pads[6], cur[3] + pads[7]]
        for a in old:
            conv.attribute.remove(a)
        conv.attribute.extend([onnx.helper.make_attribute("pads", new)])
        conv.input[0] = nd.input[0]
        remove.append(nd)
        fused += 1
    for nd in remove:
        m.graph.node.remove(nd)
    # drop now-unused Constant nodes
    used = {i for nd in m.graph.node for i in nd.input} | {o.name for o in m.graph.output}
    for nd in [nd for nd in m.graph.node if nd.op_type == "Constant" and nd.output[0] not in used]:
        m.graph.node.remove(nd)
    return fused


def inbound_names(layer):
    nodes = layer["inbound_nodes"]
    if not nodes:
        return []
    assert len(nodes) == 1, "shared layers are not supported: %s" % layer["name"]
    return [n[0] for n in nodes[0]]


class KerasGraph(nn.Module):
    """Executes a (pruned) Keras functional graph; input NCHW float32."""

    def __init__(self, topology, weights, feature_layer):
        super().__init__()
        cfg = topology["model_config"]["config"]
        layers = {l["name"]: l for l in cfg["layers"]}
        order = [l["name"] for l in cfg["layers"]]
        assert feature_layer in layers, feature_layer

        # keep only the layers the feature layer depends on
        needed, stack = set(), [feature_layer]
        while stack:
            n = stack.pop()
            if n in needed:
                continue
            needed.add(n)
            stack.extend(inbound_names(layers[n]))
        order = [n for n in order if n in needed]

        consumers = {n: [] for n in order}
        for n in order:
            for i in inbound_names(layers[n]):
                consumers[i].append(n)

        self.ops = []  # (name, kind, inputs, params)
        self.convs = nn.ModuleDict()
        folded_bn = {}  # bn name -> conv name it was folded into
        used_weights = set()

        def w(name):
            used_weights.add(name)
            return weights[name].astype(np.float64)

        for n in order:
            L = layers[n]
            cls, c, ins = L["class_name"], L["config"], inbound_names(L)
            if cls == "InputLayer":
                self.input_name = n
                continue
            if cls in ("Conv2D", "DepthwiseConv2D"):
                assert c["data_format"] == "channels_last"
                assert tuple(c["dilation_rate"]) == (1, 1)
                assert c["activation"] == "linear", (n, c["activation"])
                kh, kw = c["kernel_size"]
                sh, sw = c["strides"]
                if c["padding"] == "same":
                    assert (sh, sw) == (1, 1) and kh % 2 == 1 and kw % 2 == 1, n
                    pad = (kh // 2, kw // 2)
                else:
                    assert c["padding"] == "valid"
                    pad = (0, 0)
                if cls == "Conv2D":
                    k = w(n + "/kernel")  # [kh, kw, in, out]
                    cin, cout = k.shape[2], k.shape[3]
                    groups = 1
                    kt = k.transpose(3, 2, 0, 1)  # [out, in, kh, kw]
                else:
                    k = w(n + "/depthwise_kernel")  # [kh, kw, in, mult]
                    cin, mult = k.shape[2], k.shape[3]
                    cout, groups = cin * mult, cin
                    # TF output channel index = c * mult + m
                    kt = k.transpose(2, 3, 0, 1).reshape(cout, 1, kh, kw)
                bias = w(n + "/bias") if c.get("use_bias") else np.zeros(cout)
                # fold a following BatchNormalization that is this conv's only consumer
                cons = consumers[n]
                if len(cons) == 1 and layers[cons[0]]["class_name"] == "BatchNormalization":
                    bn = cons[0]
                    bc = layers[bn]["config"]
                    assert bc["axis"] in (-1, 3), bc["axis"]
                    gamma = w(bn + "/gamma") if bc.get("scale", True) else np.ones(cout)
                    beta = w(bn + "/beta") if bc.get("center", True) else np.zeros(cout)
                    mean, var = w(bn + "/moving_mean"), w(bn + "/moving_variance")
                    s = gamma / np.sqrt(var + bc["epsilon"])
                    kt = kt * s[:, None, None, None]
                    bias = (bias - mean) * s + beta
                    folded_bn[bn] = n
                conv = nn.Conv2d(cin, cout, (kh, kw), stride=(sh, sw), padding=pad, groups=groups, bias=True)
                with torch.no_grad():
                    conv.weight.copy_(torch.from_numpy(kt.astype(np.float32)))
                    conv.bias.copy_(torch.from_numpy(bias.astype(np.float32)))
                self.convs[n] = conv
                self.ops.append((n, "conv", ins, None))
            elif cls == "BatchNormalization":
                assert n in folded_bn, "unfolded BatchNormalization %s" % n
                self.ops.append((n, "alias", ins, None))
            elif cls == "ZeroPadding2D":
                (t, b), (l, r) = c["padding"]
                self.ops.append((n, "pad", ins, (l, r, t, b)))
            elif cls == "ReLU":
                assert c.get("negative_slope", 0) == 0 and c.get("threshold", 0) == 0, n
                self.ops.append((n, "relu", ins, c.get("max_value")))
            elif cls == "Activation":
                a = c["activation"]
                assert a in ("relu", "relu6", "linear"), (n, a)
                self.ops.append((n, "relu", ins, 6.0 if a == "relu6" else None) if a != "linear"
                                else (n, "alias", ins, None))
            elif cls == "Add":
                self.ops.append((n, "add", ins, None))
            elif cls in ("GlobalAveragePooling2D", "AveragePooling2D"):
                if cls == "AveragePooling2D":
                    # only the 'pool the whole 7x7 map' case (== global average at 224x224 input)
                    assert c["padding"] == "valid" and list(c["pool_size"]) == [7, 7] \
                        and list(c["strides"]) == [7, 7], (n, c)
                self.ops.append((n, "gap", ins, None))
            elif cls == "Flatten":
                self.ops.append((n, "flatten", ins, None))
            elif cls == "Dropout":
                self.ops.append((n, "alias", ins, None))
            else:
                raise NotImplementedError("%s (%s)" % (cls, n))
        self.feature_layer = feature_layer
        self.used_weights = used_weights

    def forward(self, x):
        env = {self.input_name: x}
        for name, kind, ins, p in self.ops:
            a = env[ins[0]]
            if kind == "conv":
                y = self.convs[name](a)
            elif kind == "alias":
                y = a
            elif kind == "pad":
                y = TFPad.apply(a, *p)
            elif kind == "relu":
                y = torch.clamp(a, 0.0, float(p)) if p is not None else F.relu(a)
            elif kind == "add":
                y = a
                for i in ins[1:]:
                    y = y + env[i]
            elif kind == "gap":
                y = a.mean(dim=(2, 3), keepdim=True)
            elif kind == "flatten":
                y = torch.flatten(a, 1)  # [N,C,1,1] -> [N,C]; same order as Keras NHWC flatten of 1x1
            env[name] = y
        return env[self.feature_layer]


def main():
    warnings.filterwarnings("ignore", category=FutureWarning)  # g.op() deprecation notice in torch 1.13
    ap = argparse.ArgumentParser()
    ap.add_argument("weights_dir")
    ap.add_argument("out")
    ap.add_argument("--feature-layer", default="flatten_1")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--keep-pad", action="store_true", help="keep explicit Pad nodes (default: fuse into Conv pads)")
    ap.add_argument("--metadata", default=None, help="json file of ONNX metadata_props to embed")
    args = ap.parse_args()

    with open(os.path.join(args.weights_dir, "topology.json")) as f:
        topology = json.load(f)
    weights = load_weights(args.weights_dir)
    torch.manual_seed(0)
    model = KerasGraph(topology, weights, args.feature_layer).eval()
    unused = sorted(set(weights) - model.used_weights)
    print("built %d ops, %d conv layers (BN folded); unused source tensors (dropped head): %s"
          % (len(model.ops), len(model.convs), unused))
    nparams = sum(p.numel() for p in model.parameters())
    print("parameters after folding: %d" % nparams)

    x = torch.rand(2, 3, 224, 224)
    with torch.no_grad():
        y = model(x)
    assert tuple(y.shape) == (2, 1280), y.shape

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.onnx.export(
        model, x, args.out,
        input_names=["input"], output_names=["features"],
        dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}},
        opset_version=args.opset, do_constant_folding=True, export_params=True,
    )

    m = onnx.load(args.out)
    onnx.checker.check_model(m)
    if not args.keep_pad:
        print("fused %d Pad nodes into Conv pads" % fuse_pad_into_conv(m))
        onnx.checker.check_model(m)
    m.producer_name = "fusion4j tools/mobilenet-v2"
    m.doc_string = ("MobileNetV2 1.0/224 feature extractor (1280-d global-average-pooled), converted from "
                    "the TF.js layers model in npm nsfwjs@4.3.0 (MIT); backbone = Keras MobileNetV2 "
                    "ImageNet weights (Apache-2.0), blocks 11-16 + Conv_1 fine-tuned by nsfwjs; "
                    "uint8-quantised weights dequantised to float32; BatchNorm folded.")
    if args.metadata:
        with open(args.metadata) as f:
            meta = json.load(f)
        del m.metadata_props[:]
        for k, v in meta.items():
            p = m.metadata_props.add()
            p.key, p.value = k, str(v)
    onnx.save(m, args.out)
    print("ONNX:", args.out, os.path.getsize(args.out), "bytes; opset", args.opset,
          "; inputs", [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim])
                       for i in m.graph.input],
          "; outputs", [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim])
                        for o in m.graph.output])
    ops = {}
    for nd in m.graph.node:
        ops[nd.op_type] = ops.get(nd.op_type, 0) + 1
    print("ONNX ops:", ops)

    # reference input/output of this PyTorch model (random [0,1) input), checked against ONNX by parity.js
    ref_np = np.random.RandomState(0).rand(1, 3, 224, 224).astype("<f4")
    with torch.no_grad():
        ref_out = model(torch.from_numpy(ref_np))[0].numpy()
    ref_np.tofile(os.path.join(args.weights_dir, "torch_ref_in.f32"))
    ref_out.astype("<f4").tofile(os.path.join(args.weights_dir, "torch_ref_out.f32"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
