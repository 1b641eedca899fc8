package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link PackedBatch} as the {@link NDList} a {@link FusionBlock} takes: the {@code M} per-modality {@code [B, d_m]}
 * arrays, the presence mask {@code [B, M]} and, when the batch carries sequences, for each modality its padded
 * sequence {@code [B, T_m, d_m]} followed by its position mask {@code [B, T_m]}.
 */
public final class BlockInputs {
    private BlockInputs() {
    }

    /** The block inputs of {@code batch}, created on {@code m}. */
    public static NDList of(NDManager m, ModalityLayout layout, PackedBatch batch) {
        int count = layout.count();
        int rows = batch.size();
        NDList inputs = new NDList(count + 1 + (batch.sequences() == null ? 0 : 2 * count));
        for (int i = 0; i < count; i++) {
            inputs.add(m.create(batch.inputs()[i], new Shape(rows, layout.dimension(i))));
        }
        inputs.add(m.create(batch.mask(), new Shape(rows, count)));
        if (batch.sequences() != null) {
            for (PackedSequences s : batch.sequences()) {
                inputs.add(m.create(s.values(), new Shape(rows, s.length(), s.width())));
                inputs.add(m.create(s.mask(), new Shape(rows, s.length())));
            }
        }
        return inputs;
    }
}
