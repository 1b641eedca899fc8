package dev.fusion4j.core.bilinear;

/** The bilinear family, as returned by {@code Fusions.bilinear()}: pick {@link #full()}, {@link #compact(int)} or {@link #lowRank(int)}. */
public final class BilinearSpecs {
    /** Default sketch dimension of {@link #compact()}. */
    public static final int DEFAULT_COMPACT_DIMENSION = 8192;

    /** Use {@code Fusions.bilinear()}. */
    public BilinearSpecs() {
    }

    /** The full outer product of two 1-extended inputs: (d_1+1)(d_2+1) outputs, signed sqrt, L2. */
    public FullBilinearSpec full() {
        return new FullBilinearSpec();
    }

    /** Compact bilinear pooling (count sketch + FFT) to {@value #DEFAULT_COMPACT_DIMENSION} dimensions. */
    public CompactBilinearSpec compact() {
        return compact(DEFAULT_COMPACT_DIMENSION);
    }

    /** Compact bilinear pooling (count sketch + FFT) to {@code dimension} outputs. */
    public CompactBilinearSpec compact(int dimension) {
        return new CompactBilinearSpec(dimension);
    }

    /** Low-rank bilinear (LMF/MFB) product of rank {@code rank}; output {@code rank / factor}. */
    public LowRankBilinearSpec lowRank(int rank) {
        return new LowRankBilinearSpec(rank);
    }
}
