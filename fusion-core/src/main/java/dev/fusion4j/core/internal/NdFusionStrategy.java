package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
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
 * call validates and packs the records in Java, then opens a child manager and an {@link NDScope}
 * (so nothing a call creates outlives it, whatever manager an array was attached to), runs the block
 * on all records at once (in chunks of at most {@value #ELEMENT_BUDGET} output floats) and copies the
 * result out. Calls hold a read lock and {@link #close()} the write lock, so closing never frees memory
 * under a running call; any call after close is an {@link IllegalStateException}.
 *
 * <p>Batches of at most {@link JavaPath#batchLimit()} records (in particular every {@link #fuse}) run on the
 * block's plain-Java path ({@link FusionBlock#javaPath()}) when it has one and its arithmetic is below
 * {@link #JAVA_WORK_LIMIT}: no native call, on a snapshot of the parameters rebuilt whenever
 * {@link FusionBlock#parameterVersion()} moves (see {@link FusionBlock} for when it does, and
 * {@link #parametersChanged()}). It agrees with the block to 1e-5 (tested per strategy). Either path alone is
 * deterministic bit for bit; larger batches and training use the block.
 *
 * <p>Why these limits (FusionMicroBench, 2026-11-28, 2-vCPU Xeon shared with other builds, load average 5–6, µs
 * of the calling thread's CPU time, one PyTorch thread, text 384 + image 1280; full table in
 * docs/fusion-strategies.md): at batch 1 the Java path beat the block for every strategy — concat 29 vs 328,
 * weighted sum 176 vs 475, gated 160 vs 454, attention 306 vs 1,048, attention with two layers 751 vs 1,816,
 * compact 8192 250 vs 624, low-rank 1200/5 373 vs 554 — because its matrix-vector kernel ({@link Dense#multiplyAdd})
 * runs at 5–15 multiply-adds per ns, the memory-bound speed of PyTorch's own sgemv, without the ~10 µs per DJL op
 * (15–60 ops per strategy). At batch 8, per record, it still matched or beat the block where it streams each weight
 * once per batch (weighted sum 92 vs 109, attention 168 vs 250, low-rank 156 vs 191; 768+2048: 226 vs 233, 266 vs
 * 298, 299 vs 341), but not for attention with two layers (461 vs 355: every layer but the last runs all tokens
 * through the feed-forward map) nor compact (238 vs 172: the same FFTs per record, batched natively by the block).
 * Fitting {@code per call + per record} to batches 1 and 8 puts those two crossovers at 3–4 records, hence their
 * {@link JavaPath#batchLimit()} of 3. The former limit (262,144 multiply-adds per call) dated from a kernel that
 * C2 left scalar (1–3 multiply-adds per ns); it sent every encoder-width configuration to the block.
 */
public abstract class NdFusionStrategy implements FusionStrategy, AutoCloseable {
    static {
        EngineDefaults.apply();
    }

    /** Largest number of output floats computed in one native call. */
    public static final int ELEMENT_BUDGET = 1 << 24;
    /** DJL engine every strategy computes on. */
    public static final String ENGINE = "PyTorch";
    /** Default largest batch on the plain-Java path ({@link JavaPath#batchLimit()}; a path may set another). */
    public static final int JAVA_BATCH_LIMIT = 8;
    /**
     * Largest number of multiply-adds per call computed on the plain-Java path ({@link JavaPath#work()}): a guard
     * for widths beyond those measured, set above every encoder-width configuration at batch 8 (the largest,
     * attention with 2 layers or low-rank 1200 on 768+2048 inputs, is 27–31 M). See {@link NdFusionStrategy}.
     */
    public static final long JAVA_WORK_LIMIT = 1L << 25;

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

    /** Whether a batch of {@code size} records would run on the plain-Java path now. */
    public final boolean usesJavaPath(int size) {
        return withLock(() -> javaPathFor(size) != null);
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
     * path for at most {@link JavaPath#batchLimit()} records when there is one, else on the block.
     */
    protected final float[][] forward(PackedBatch batch, int outputs) {
        return withLock(() -> {
            JavaPath path = javaPathFor(batch.size());
            return path != null ? path.forward(batch, outputs) : forwardOnBlock(batch, outputs);
        });
    }

    /** The Java path if a batch of {@code size} should take it (batch and work limits), else null. */
    private JavaPath javaPathFor(int size) {
        JavaPath path = javaPath();
        return path != null && size <= path.batchLimit() && size * path.work() <= JAVA_WORK_LIMIT ? path : null;
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
        int rowsPerChunk = Math.max(1, ELEMENT_BUDGET / Math.max(1, outputDimension()));
        return withLock(() -> {
            if (batch.size() <= rowsPerChunk) {
                return forwardChunk(batch, 0, batch.size(), outputs);
            }
            List<float[][]> parts = new ArrayList<>();
            for (int start = 0; start < batch.size(); start += rowsPerChunk) {
                parts.add(forwardChunk(batch, start, Math.min(batch.size(), start + rowsPerChunk), outputs));
            }
            return concatRows(parts);
        });
    }

    private float[][] forwardChunk(PackedBatch batch, int from, int to, int outputs) {
        int rows = to - from;
        int count = layout.count();
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDList inputs = new NDList(count + 1);
            for (int i = 0; i < count; i++) {
                int d = layout.dimension(i);
                inputs.add(m.create(slice(batch.inputs()[i], from * d, rows * d), new Shape(rows, d)));
            }
            inputs.add(m.create(slice(batch.mask(), from * count, rows * count), new Shape(rows, count)));
            NDList out = block.forward(new ParameterStore(m, false), inputs, false);
            float[][] result = new float[outputs][];
            for (int i = 0; i < outputs; i++) {
                result[i] = out.get(i).toFloatArray();
            }
            return result;
        }
    }

    private static float[] slice(float[] a, int offset, int length) {
        if (offset == 0 && length == a.length) {
            return a;
        }
        float[] s = new float[length];
        System.arraycopy(a, offset, s, 0, length);
        return s;
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
