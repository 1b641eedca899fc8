package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Base of the strategies that compute on DJL NDArrays (PyTorch engine).
 *
 * <p>Owns a long-lived {@link NDManager} holding the parameters of its {@link FusionBlock}. Every
 * call validates and packs the records in Java, then computes them in chunks of at most {@value #ELEMENT_BUDGET}
 * output floats: on the plain-Java path (below), or, when the block runs, inside a child manager and an
 * {@link NDScope} (so nothing a call creates outlives it, whatever manager an array was attached to), copying
 * the result out. Calls hold a read lock and {@link #close()} the write lock, so closing never frees memory
 * under a running call; any call after close is an {@link IllegalStateException}.
 *
 * <p><b>Inference runs in Java.</b> Every {@link #fuse} and {@link #fuseAll}, whatever the batch size, runs on the
 * block's plain-Java path ({@link FusionBlock#javaPath()}) when it has one: no native call, on a snapshot of the
 * parameters rebuilt whenever {@link FusionBlock#parameterVersion()} moves (see {@link FusionBlock} for when it
 * does, and {@link #parametersChanged()}). It agrees with the block to 1e-5 (tested per strategy). The path is
 * chosen by the strategy alone, never by the batch size, the thread, the load or a clock, so a record's output is
 * the same bits in any batch, on any thread and on any machine: the Java paths sum in a fixed order per record and
 * Java's float arithmetic is the same everywhere. The block's native kernels are not (PyTorch's MKL FFT gave
 * other bits on other threads of a busy machine: issue 13), so the block serves training, a strategy while its
 * parameters are in flux, and the two configurations without a Java path (full bilinear, and compact bilinear
 * with a dimension that is not a power of two).
 *
 * <p>What this costs against the block at large batches (2026-12-07, 2 cores shared with builds, µs of thread CPU
 * per record at 256 records, 384 + 1280 inputs): weighted sum 64 vs 33, attention 155 vs 94, compact 8192 260 vs
 * 121, low-rank 1200/5 139 vs 50; at 32 records 0.9–1.7x; at one record the Java path is 2–10x faster (see
 * docs/fusion-strategies.md). Either way fusion stays below 2% of encoding a record.
 */
public abstract class NdFusionStrategy implements FusionStrategy, AutoCloseable {
    static {
        EngineDefaults.apply();
    }

    /** Largest number of output floats computed in one native call. */
    public static final int ELEMENT_BUDGET = 1 << 24;
    /** DJL engine every strategy computes on. */
    public static final String ENGINE = "PyTorch";
    private final ModalityLayout layout;
    private final boolean normalizeInputs;
    private final NDManager manager;
    private final FusionBlock block;
    private final CloseGuard guard;
    private volatile CachedPath cached;

    /** A Java path (possibly null: none) built at a parameter version. */
    private record CachedPath(long version, JavaPath path) {
    }

    /**
     * @param blockFactory builds the block, creating its parameters on the manager it is given
     */
    protected NdFusionStrategy(ModalityLayout layout, boolean normalizeInputs,
            Function<NDManager, ? extends FusionBlock> blockFactory) {
        this.layout = layout;
        this.normalizeInputs = normalizeInputs;
        NDManager m = NDManager.newBaseManager(ENGINE);
        try {
            this.block = blockFactory.apply(m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        this.manager = m;
        this.guard = new CloseGuard(getClass().getSimpleName(),
                getClass().getSimpleName() + " is closed: bind a new strategy");
    }

    @Override
    public final Map<Modality, Integer> inputDimensions() {
        return layout.dimensions();
    }

    @Override
    public int outputDimension() {
        return block.outputDimension();
    }

    /** Whether the layout packs the records' sequences (a sequence-level strategy). */
    @Override
    public boolean usesSequences() {
        return layout.packsSequences();
    }

    /** The modalities and dimensions this strategy is bound to. */
    public final ModalityLayout layout() {
        return layout;
    }

    /** Whether each present input is L2-normalised before fusion. */
    public final boolean normalizesInputs() {
        return normalizeInputs;
    }

    /** The DJL block holding the parameters (for training; do not use after {@link #close()}). */
    public Block block() {
        return block;
    }

    @Override
    public Embedding fuse(ModalityEmbeddings embeddings) {
        return Embedding.of(forward(layout.pack(embeddings, normalizeInputs), 1)[0]);
    }

    @Override
    public List<Embedding> fuseAll(List<ModalityEmbeddings> records) {
        PackedBatch batch = layout.pack(records, normalizeInputs);
        if (batch.size() == 0) {
            ensureOpen();
            return List.of();
        }
        return toEmbeddings(forward(batch, 1)[0], batch.size(), outputDimension());
    }

    /** {@link #fuseAll} computed on the DJL block whatever the batch size (reference for tests and benchmarks). */
    public final List<Embedding> fuseAllOnBlock(List<ModalityEmbeddings> records) {
        PackedBatch batch = layout.pack(records, normalizeInputs);
        if (batch.size() == 0) {
            ensureOpen();
            return List.of();
        }
        return toEmbeddings(forwardOnBlock(batch, 1)[0], batch.size(), outputDimension());
    }

    /**
     * Invalidation hook: call after writing parameter values of {@link #block()} (or after training it), so the
     * plain-Java path re-reads them. See {@link FusionBlock} for what is detected without it.
     */
    public final void parametersChanged() {
        block.parametersChanged();
    }

    /** Whether calls run on the plain-Java path now (false: no Java path, or parameters in flux). */
    public final boolean usesJavaPath() {
        return withLock(() -> javaPath() != null);
    }

    /**
     * {@link #fuseAll} forced onto the plain-Java path whatever its size and cost (for tests and benchmarks).
     *
     * @throws IllegalStateException if there is none now (no Java path, or parameters in flux)
     */
    public final List<Embedding> fuseAllInJava(List<ModalityEmbeddings> records) {
        PackedBatch batch = layout.pack(records, normalizeInputs);
        float[] flat = withLock(() -> {
            JavaPath path = javaPath();
            if (path == null) {
                throw new IllegalStateException("No plain-Java path now for " + this);
            }
            return path.forward(batch, 1)[0];
        });
        return toEmbeddings(flat, batch.size(), outputDimension());
    }

    /**
     * The first {@code outputs} block outputs on {@code batch}, each a flat row-major array: on the plain-Java
     * path when there is one, else on the block; in chunks of at most {@link #ELEMENT_BUDGET} output floats.
     */
    protected final float[][] forward(PackedBatch batch, int outputs) {
        return withLock(() -> {
            JavaPath path = javaPath();
            return path != null ? chunked(batch, outputs, path) : forwardOnBlock(batch, outputs);
        });
    }

    /** The Java path for the current parameter values (null: none, or parameters in flux). Under the read lock. */
    private JavaPath javaPath() {
        long version = block.parameterVersion();
        CachedPath c = cached;
        if (c != null && c.version() == version) {
            return c.path();
        }
        if (block.parametersInFlux()) {
            return null;
        }
        JavaPath path = block.javaPath();
        cached = new CachedPath(version, path);
        return path;
    }

    /**
     * Runs the block on {@code batch}: the first {@code outputs} block outputs, each a flat row-major
     * array, rows concatenated over chunks.
     */
    protected final float[][] forwardOnBlock(PackedBatch batch, int outputs) {
        return withLock(() -> chunked(batch, outputs, this::forwardChunk));
    }

    /**
     * {@code compute} (the Java path, or the block as one) on chunks of at most {@link #ELEMENT_BUDGET} output floats,
     * rows concatenated.
     */
    private float[][] chunked(PackedBatch batch, int outputs, JavaPath compute) {
        int rowsPerChunk = Math.max(1, ELEMENT_BUDGET / Math.max(1, outputDimension()));
        if (batch.size() <= rowsPerChunk) {
            return compute.forward(batch, outputs);
        }
        List<float[][]> parts = new ArrayList<>();
        for (int start = 0; start < batch.size(); start += rowsPerChunk) {
            parts.add(compute.forward(batch.rows(start, Math.min(batch.size(), start + rowsPerChunk)), outputs));
        }
        return concatRows(parts);
    }

    private float[][] forwardChunk(PackedBatch batch, int outputs) {
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDList inputs = BlockInputs.of(m, layout, batch);
            NDList out = block.forward(new ParameterStore(m, false), inputs, false);
            float[][] result = new float[outputs][];
            for (int i = 0; i < outputs; i++) {
                result[i] = out.get(i).toFloatArray();
            }
            return result;
        }
    }

    private static float[][] concatRows(List<float[][]> parts) {
        int outputs = parts.get(0).length;
        float[][] result = new float[outputs][];
        for (int o = 0; o < outputs; o++) {
            int total = 0;
            for (float[][] p : parts) {
                total += p[o].length;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[][] p : parts) {
                System.arraycopy(p[o], 0, all, at, p[o].length);
                at += p[o].length;
            }
            result[o] = all;
        }
        return result;
    }

    /** Splits a row-major {@code [rows, dim]} array into embeddings. */
    protected static List<Embedding> toEmbeddings(float[] flat, int rows, int dim) {
        List<Embedding> out = new ArrayList<>(rows);
        float[] row = new float[dim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * dim, row, 0, dim);
            out.add(Embedding.of(row));
        }
        return out;
    }

    /** Runs {@code body} under the read lock, after checking that this strategy is open. */
    protected final <T> T withLock(java.util.function.Supplier<T> body) {
        return guard.read(body);
    }

    private void ensureOpen() {
        guard.ensureOpen();
    }

    /** Number of native arrays alive on this strategy's manager (parameters only, between calls). */
    public int liveNativeArrays() {
        return withLock(() -> manager.getManagedArrays().size());
    }

    /** Releases the parameters; idempotent; waits for running calls. */
    @Override
    public void close() {
        guard.close(manager::close);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + layout + " -> " + outputDimension();
    }
}
