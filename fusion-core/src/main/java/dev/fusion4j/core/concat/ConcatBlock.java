package dev.fusion4j.core.concat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDArrays;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.ModalityLayout;

/**
 * DJL block of {@link ConcatFusion}: {@code z = [x_1 + (1-p_1) f_1, ..., x_M + (1-p_M) f_M (, p)]}
 * where the absent {@code x_m} are zeros and the fill vectors {@code f_m} are parameters.
 */
final class ConcatBlock extends FusionBlock {
    private final Parameter[] fills;
    private final boolean presenceBits;

    ConcatBlock(NDManager manager, ModalityLayout layout, float[][] fillValues, boolean presenceBits) {
        super(layout);
        this.presenceBits = presenceBits;
        this.fills = new Parameter[layout.count()];
        for (int m = 0; m < layout.count(); m++) {
            fills[m] = parameter(manager, "fill_" + layout.modalities().get(m).name(), Parameter.Type.OTHER,
                    fillValues[m], new Shape(layout.dimension(m)));
        }
    }

    /** Copies in Java: the input where present, else the fill vector (snapshot), then the presence bits. */
    @Override
    protected JavaPath javaPath() {
        float[][] fillValues = new float[fills.length][];
        for (int m = 0; m < fills.length; m++) {
            fillValues[m] = current(fills[m]);
        }
        return (batch, outputs) -> new float[][] {concat(batch, fillValues)};
    }

    private float[] concat(PackedBatch batch, float[][] fillValues) {
        int out = outputDimension();
        int count = layout.count();
        float[] z = new float[batch.size() * out];
        for (int r = 0; r < batch.size(); r++) {
            int at = r * out;
            for (int m = 0; m < count; m++) {
                int d = layout.dimension(m);
                if (batch.present(r, m)) {
                    System.arraycopy(batch.inputs()[m], r * d, z, at, d);
                } else {
                    System.arraycopy(fillValues[m], 0, z, at, d);
                }
                at += d;
            }
            if (presenceBits) {
                System.arraycopy(batch.mask(), r * count, z, at, count);
            }
        }
        return z;
    }

    @Override
    public int outputDimension() {
        return layout.totalDimension() + (presenceBits ? layout.count() : 0);
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        NDArray absent = mask(inputs).neg().add(1f);
        NDList parts = new NDList(layout.count() + 1);
        for (int m = 0; m < layout.count(); m++) {
            NDArray x = inputs.get(m);
            NDArray fill = value(store, fills[m], x, training);
            NDArray column = absent.get(new NDIndex().addAllDim().addSliceDim(m, m + 1));
            parts.add(x.add(column.mul(fill)));
        }
        if (presenceBits) {
            parts.add(mask(inputs));
        }
        return new NDList(NDArrays.concat(parts, 1));
    }
}
