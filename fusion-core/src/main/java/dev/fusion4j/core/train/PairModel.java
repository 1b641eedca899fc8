package dev.fusion4j.core.train;

import ai.djl.ndarray.types.Shape;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.internal.CloseGuard;
import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A joint embedding learned from unlabelled records by {@link PairTrainer}: a {@link FusionStrategy} whose output
 * is {@code normalise(Σ_{m present} u_m)}, {@code u_m} the unit projection of modality {@code m} (its tower: L2
 * normalisation, standardisation, hidden layers, linear projection, L2 normalisation). An absent modality
 * contributes nothing, so a text-only record embeds as {@code u_text} and an image-only one as {@code u_image},
 * comparable with each other and with records that have both: put image-only embeddings in an
 * {@link dev.fusion4j.core.search.ExactIndex} and search it with a text-only one (cross-modal search).
 *
 * <p>Inference is plain Java ({@code core.internal.Dense}): deterministic to the bit on any thread and whatever
 * the batch; the model is immutable and thread-safe. {@link #close()} is idempotent; any use after it is an
 * {@link IllegalStateException}.
 */
public final class PairModel implements FusionStrategy, AutoCloseable {
    static final String DECODER = "decoder.";
    static final String LOG_SCALE = "logitScale.log";
    private static final String TOWER = "tower.";

    private final PairHeader header;
    private final ModalityLayout layout;
    private final Map<String, float[]> values;
    private final Tower[] towers;
    private final CloseGuard guard = new CloseGuard("PairModel", "PairModel is closed: load it again");

    /** One modality's tower, weights by columns for {@link Dense#multiplyAdd}. */
    private record Tower(float[] mean, float[] scale, float[][][] columns, float[][] biases) {
    }

    private PairModel(PairHeader header, Map<String, float[]> values) {
        this.header = header;
        this.layout = ModalityLayout.of(header.modalities());
        this.values = values;
        int[] hidden = header.hiddenLayers().stream().mapToInt(Integer::intValue).toArray();
        Map<String, Shape> shapes = shapes(layout, header.dimension(), hidden);
        this.towers = new Tower[layout.count()];
        for (int m = 0; m < layout.count(); m++) {
            String p = prefix(layout, m);
            int layers = hidden.length + 1;
            float[][][] cols = new float[layers][][];
            float[][] biases = new float[layers][];
            for (int l = 0; l < layers; l++) {
                String name = p + (l < hidden.length ? "hidden" + l : "projection");
                Shape s = shapes.get(name + ".weight");
                cols[l] = Dense.columns(values.get(name + ".weight"), (int) s.get(0), (int) s.get(1));
                biases[l] = values.get(name + ".bias");
            }
            towers[m] = new Tower(values.get(p + "mean"), values.get(p + "scale"), cols, biases);
        }
    }

    static PairModel create(PairHeader header, Map<String, float[]> values) {
        return new PairModel(header, new LinkedHashMap<>(values));
    }

    /** {@code tower.<modality>.} */
    static String prefix(ModalityLayout layout, int m) {
        return TOWER + layout.modalities().get(m).name() + ".";
    }

    /** Names and shapes of the saved arrays, in file order. */
    static Map<String, Shape> shapes(ModalityLayout layout, int dimension, int[] hidden) {
        Map<String, Shape> s = new LinkedHashMap<>();
        for (int m = 0; m < layout.count(); m++) {
            String p = prefix(layout, m);
            int in = layout.dimension(m);
            s.put(p + "mean", new Shape(in));
            s.put(p + "scale", new Shape(in));
            for (int l = 0; l < hidden.length; l++) {
                s.put(p + "hidden" + l + ".weight", new Shape(hidden[l], in));
                s.put(p + "hidden" + l + ".bias", new Shape(hidden[l]));
                in = hidden[l];
            }
            s.put(p + "projection.weight", new Shape(dimension, in));
            s.put(p + "projection.bias", new Shape(dimension));
        }
        s.put(LOG_SCALE, new Shape(1));
        return s;
    }

    /**
     * Loads a model saved with {@link #save}.
     *
     * @throws ModelLoadException if the file is missing, not a pair model (a {@code FusionModel} file says so),
     *     truncated or altered (SHA-256), or its parameters do not match its header
     * @throws IncompatibleModelException if a newer format version wrote it
     */
    public static PairModel load(Path file) {
        if (file == null) {
            throw new ModelLoadException("Model path is null");
        }
        ModelFile.RawContents c = ModelFile.read(file, json -> PairHeader.checkVersion(json, file.toString()));
        PairHeader header = PairHeader.fromJson(c.header());
        Map<String, Shape> expected = shapes(ModalityLayout.of(header.modalities()), header.dimension(),
                header.hiddenLayers().stream().mapToInt(Integer::intValue).toArray());
        FusionNetwork.checkShapes(expected, c.shapes());
        return new PairModel(header, c.values());
    }

    /** Writes the model to {@code file} in one step (temporary file, fsync, atomic rename); replaces a file. */
    public void save(Path file) {
        if (file == null) {
            throw new InvalidInputException("Model path is null");
        }
        guard.read(() -> {
            ModelFile.write(file, header.toJson(), values, shapes(layout, header.dimension(),
                    header.hiddenLayers().stream().mapToInt(Integer::intValue).toArray()));
            return null;
        });
    }

    /**
     * The joint embedding of one record: the normalised sum of its present modalities' unit projections.
     *
     * @throws InvalidInputException if no modality is present, a modality is unknown or has the wrong dimension
     */
    public Embedding embed(ModalityEmbeddings record) {
        if (record == null) {
            throw new InvalidInputException("The record is null");
        }
        return embedAll(List.of(record)).get(0);
    }

    /** {@link #embed} of many records; each record's bits do not depend on the others. */
    public List<Embedding> embedAll(List<ModalityEmbeddings> records) {
        return guard.read(() -> {
            PackedBatch batch = layout.pack(records, true);
            int d = header.dimension();
            float[][] sums = new float[batch.size()][d];
            for (int m = 0; m < layout.count(); m++) {
                int[] rows = Dense.presentRows(batch, m);
                float[][] u = tower(m, batch, rows);
                for (int i = 0; i < rows.length; i++) {
                    float[] sum = sums[rows[i]];
                    for (int k = 0; k < d; k++) {
                        sum[k] += u[i][k];
                    }
                }
            }
            List<Embedding> out = new ArrayList<>(batch.size());
            for (float[] sum : sums) {
                normalise(sum);
                out.add(Embedding.of(sum));
            }
            return out;
        });
    }

    /**
     * The unit projection {@code u_m} of one modality's embedding into the joint space: the same as
     * {@link #embed} of a record holding only that modality (bit for bit).
     *
     * @throws InvalidInputException if the modality is not the model's or the dimension is wrong
     */
    public Embedding project(Modality modality, Embedding embedding) {
        if (modality == null || embedding == null) {
            throw new InvalidInputException("Modality or embedding is null");
        }
        if (!header.modalities().containsKey(modality)) {
            throw new InvalidInputException("The model was not trained on modality '" + modality + "'; it projects "
                    + header.modalities().keySet());
        }
        return embed(ModalityEmbeddings.builder().put(modality, embedding).build());
    }

    /** {@code u} of the records {@code rows} of modality {@code m}: standardise, hidden layers, project, normalise. */
    private float[][] tower(int m, PackedBatch batch, int[] rows) {
        Tower t = towers[m];
        int din = layout.dimension(m);
        float[] x = batch.inputs()[m];
        float[][] h = new float[rows.length][din];
        for (int i = 0; i < rows.length; i++) {
            int off = rows[i] * din;
            for (int j = 0; j < din; j++) {
                h[i][j] = (x[off + j] - t.mean()[j]) * t.scale()[j];
            }
        }
        int layers = t.columns().length;
        for (int l = 0; l < layers; l++) {
            h = Dense.affine(t.columns()[l], t.biases()[l], h, rows.length);
            if (l < layers - 1) {
                for (float[] row : h) {
                    activate(row);
                }
            }
        }
        for (float[] row : h) {
            normalise(row);
        }
        return h;
    }

    private void activate(float[] v) {
        if (header.activation() == Activation.RELU) {
            for (int k = 0; k < v.length; k++) {
                v[k] = Math.max(0f, v[k]);
            }
        } else {
            for (int k = 0; k < v.length; k++) {
                double x = v[k];
                v[k] = (float) (0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))));
            }
        }
    }

    /** Divides by the L2 norm (summed in double, in order); a zero vector stays zero. */
    private static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (s > 0) {
            float inv = (float) (1 / Math.sqrt(s));
            for (int k = 0; k < v.length; k++) {
                v[k] *= inv;
            }
        }
    }

    @Override
    public Embedding fuse(ModalityEmbeddings embeddings) {
        return embed(embeddings);
    }

    @Override
    public List<Embedding> fuseAll(List<ModalityEmbeddings> records) {
        return embedAll(records);
    }

    @Override
    public Map<Modality, Integer> inputDimensions() {
        return header.modalities();
    }

    /** The dimension D of the joint space. */
    @Override
    public int outputDimension() {
        return header.dimension();
    }

    /** What the model was trained for. */
    public PairObjective objective() {
        return header.objective();
    }

    /** The learned InfoNCE logit scale {@code 1/τ} (the initial one for {@link PairObjective#RECONSTRUCTION}). */
    public double logitScale() {
        return Math.exp(values.get(LOG_SCALE)[0]);
    }

    /** How the model was trained. */
    public PairSummary trainingSummary() {
        return header.summary();
    }

    /** The identifiers of the encoders the model was trained on (modalities without one are left out). */
    public Map<Modality, String> encoderIds() {
        return header.encoderIds();
    }

    /** Widths of each tower's hidden layers. */
    public List<Integer> hiddenLayers() {
        return header.hiddenLayers();
    }

    /**
     * Parameters used at inference: the towers (standardisation statistics excluded) and the logit scale.
     */
    public long parameterCount() {
        long n = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            if (!e.getKey().endsWith(".mean") && !e.getKey().endsWith(".scale")) {
                n += e.getValue().length;
            }
        }
        return n;
    }

    /**
     * Checks that the encoder {@code encoderId} is the one the model was trained on for {@code modality} (no check
     * when none was recorded).
     *
     * @throws IncompatibleModelException naming the modality and both identifiers
     */
    public void checkEncoder(Modality modality, String encoderId) {
        FusionModel.checkEncoder(header.modalities(), header.encoderIds(), modality, encoderId);
    }

    /** Idempotent; later calls are {@link IllegalStateException}s. */
    @Override
    public void close() {
        guard.close(() -> { });
    }

    @Override
    public String toString() {
        return "PairModel[" + header.objective() + ", modalities=" + header.modalities() + ", hidden="
                + header.hiddenLayers() + ", dimension=" + header.dimension() + "]";
    }
}
