package dev.fusion4j.core.bilinear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;

/**
 * DJL block of {@link CompactBilinearFusion}. No parameters: the count sketches are fixed. They are
 * applied on the host (a sparse map, O(n) per record); the FFTs and the product run natively. No
 * gradient flows into the inputs (encoders are frozen; nothing upstream is trained).
 */
final class CompactBilinearBlock extends FusionBlock {
    private final int dimension;
    private final CountSketch[] sketches;

    CompactBilinearBlock(ModalityLayout layout, int dimension, CountSketch[] sketches) {
        super(layout);
        this.dimension = dimension;
        this.sketches = sketches;
    }

    @Override
    public int outputDimension() {
        return dimension;
    }

    /** Plain-Java path for a power-of-two {@code D} (no parameters: never stale); null otherwise. */
    @Override
    protected JavaPath javaPath() {
        return Fft.isPowerOfTwo(dimension) ? new CompactJavaPath(layout, dimension, sketches) : null;
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        NDManager manager = mask(inputs).getManager();
        NDArray product = null;
        for (int m = 0; m < layout.count(); m++) {
            NDArray x = inputs.get(m);
            int rows = (int) x.getShape().get(0);
            int d = layout.dimension(m);
            float[] values = x.toFloatArray();
            float[] sketched = new float[rows * dimension];
            CountSketch sketch = sketches[m];
            int constant = sketch.bucket(d);
            float constantSign = sketch.sign(d);
            for (int r = 0; r < rows; r++) {
                sketch.addTo(values, r * d, d, sketched, r * dimension);
                sketched[r * dimension + constant] += constantSign; // the extension by 1
            }
            NDArray spectrum = manager.create(sketched, new Shape(rows, dimension)).rfft(dimension, 1);
            product = product == null ? spectrum : product.mul(spectrum);
        }
        return new NDList(product.irfft(dimension, 1));
    }
}
