#!/usr/bin/python3
"""Add the last feature map as a second output of the MobileNetV2 feature extractor (issue 17).

The converted graph ends  Conv_1 -> Clip (out_relu, [N, 1280, 7, 7]) -> ReduceMean -> Flatten -> features [N, 1280].
This script adds an Identity node reading the Clip's output, named `feature_map`, and declares it as the graph's
second output [N, 1280, 7, 7]. Nothing else changes: `features` is still output 0, computed by the same nodes from the
same weights, so the pooled output keeps its values and the mean of `feature_map` over (h, w) is `features` (the
Java test MobileNetFeatureMapTest checks it to 1e-5 on real images). CnnImageEncoder cuts the map into regions.

Idempotent (a file that already has the output is left as is) and deterministic (same input, same bytes).
usage: /usr/bin/python3 add_feature_map.py <model.onnx>     (rewrites the file in place)
needs: Debian python3-onnx
"""
import sys

import onnx
from onnx import helper, TensorProto


def main(path):
    m = onnx.load(path)
    if any(o.name == "feature_map" for o in m.graph.output):
        print("feature_map already an output of", path)
        return 0
    reduce = [n for n in m.graph.node if n.op_type == "ReduceMean"]
    assert len(reduce) == 1, "expected exactly one ReduceMean (the global pool), found %d" % len(reduce)
    source = reduce[0].input[0]
    producer = [n for n in m.graph.node if source in n.output]
    assert producer and producer[0].op_type == "Clip", "the pooled tensor should come from out_relu's Clip"
    m.graph.node.append(helper.make_node("Identity", [source], ["feature_map"], name="feature_map_identity"))
    m.graph.output.append(helper.make_tensor_value_info("feature_map", TensorProto.FLOAT, ["batch", 1280, 7, 7]))
    m.doc_string = m.doc_string + " Second output feature_map [N,1280,7,7]: out_relu before the global pool."
    p = m.metadata_props.add()
    p.key, p.value = "output_feature_map", ("feature_map float32 [N,1280,7,7], out_relu (ReLU6 of Conv_1) before the"
                                            " global average pool; its mean over h, w is features")
    onnx.checker.check_model(m)
    onnx.save(m, path)
    print("added feature_map output to", path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
