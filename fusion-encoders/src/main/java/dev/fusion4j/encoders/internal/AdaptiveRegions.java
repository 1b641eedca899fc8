package dev.fusion4j.encoders.internal;

/**
 * Adaptive average pooling of a feature map to a {@code g × g} grid of regions, with PyTorch's bins
 * ({@code adaptive_avg_pool2d}): region row {@code i} spans map rows {@code ⌊i h / g⌋} (inclusive) to
 * {@code ⌈(i + 1) h / g⌉} (exclusive), likewise for columns, so for 7 → 3 neighbouring regions share a row. Sums in
 * double, in a fixed order.
 */
public final class AdaptiveRegions {
    private AdaptiveRegions() {
    }

    /**
     * The regions of image {@code i} of a row-major {@code [n, c, h, w]} map, row-major {@code [g·g, c]} (region
     * {@code ry·g + rx} from the top left, its {@code c} channel means).
     */
    public static float[] pool(float[] map, int i, int c, int h, int w, int g) {
        float[] grid = new float[g * g * c];
        for (int ry = 0; ry < g; ry++) {
            int y0 = ry * h / g;
            int y1 = ((ry + 1) * h + g - 1) / g;
            for (int rx = 0; rx < g; rx++) {
                int x0 = rx * w / g;
                int x1 = ((rx + 1) * w + g - 1) / g;
                int cells = (y1 - y0) * (x1 - x0);
                int out = (ry * g + rx) * c;
                for (int ch = 0; ch < c; ch++) {
                    int base = (i * c + ch) * h * w;
                    double sum = 0;
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            sum += map[base + y * w + x];
                        }
                    }
                    grid[out + ch] = (float) (sum / cells);
                }
            }
        }
        return grid;
    }
}
