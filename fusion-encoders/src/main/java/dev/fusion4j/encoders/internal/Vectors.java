package dev.fusion4j.encoders.internal;

/** Small float-vector helpers shared by the encoders. */
public final class Vectors {
    private Vectors() {
    }

    /** Scales {@code v} in place to unit L2 norm (accumulated in double); an all-zero vector is left as it is. */
    public static float[] normalizeInPlace(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm > 0) {
            double inv = 1.0 / Math.sqrt(norm);
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (v[j] * inv);
            }
        }
        return v;
    }
}
