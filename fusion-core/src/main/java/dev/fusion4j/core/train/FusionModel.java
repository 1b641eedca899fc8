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
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.Softmax;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A trained fusion network: a {@link FusionStrategy} whose output is the last hidden layer (the multimodal
 * embedding), plus a classifier over the labels it was trained on. Made by {@link FusionTrainer#fit} or
 * {@link #load}; plugs into {@code Fusion.builder().strategy(model)}.
 *
 * <h2>Which head answers</h2>
 * {@link #predict} on a record with two or more modalities present uses the fusion network or, in a model with
 * {@link #hasTrustWeights() trust weights} (the trainer's default), the trust-weighted product of the network and
 * the unimodal heads of the present modalities, each expert weighted by how typical the inputs it reads are of the
 * training data ({@link Prediction#weights()} shows the weights; the maths is in {@code TrustWeights} and
 * {@code docs/fusion-strategies.md}). On a record with
 * exactly one modality present it uses, when the model has auxiliary heads (the default), that modality's
 * <em>unimodal head</em>: a linear probe ({@code LinearProbe}'s default recipe) fitted on the training examples
 * with the modality (validation records included: with trust weights, fitted again on them once the gate is
 * fitted), so a missing modality costs nothing against a unimodal classifier trained on the same records. With more than two modalities, a record with two or more present (some absent) uses the network,
 * where each absent one enters as its strategy's missing value. {@link #embed} is always the network's last
 * hidden layer. Without auxiliary heads every record uses the network.
 *
 * <p>Inference runs in evaluation mode (no dropout), is deterministic (the same call gives the same bits) and
 * thread-safe; {@link #close()} waits for running calls and frees the native parameters. One record alone and
 * inside a batch agree to float rounding (about 1e-6).
 */
public final class FusionModel implements FusionStrategy, AutoCloseable {
    /** Records per native call. */
    private static final int CHUNK = 1024;

    private final ModelHeader header;
    private final FusionNetwork network;
    /** The trust-weighted combination of the experts, or null (the network answers every multimodal record). */
    private final TrustWeights trust;
    private final CloseGuard guard = new CloseGuard("FusionModel", "FusionModel is closed: load it again");

    private FusionModel(ModelHeader header, FusionNetwork network, Map<String, float[]> values) {
        this.header = header;
        this.network = network;
        this.trust = header.shape().trustWeights() ? TrustWeights.of(network.layout(), values) : null;
    }

    /** Builds the network the header describes and fills it with {@code values}. */
    static FusionModel create(ModelHeader header, Map<String, float[]> values) {
        NdFusionStrategy strategy = bind(header);
        try {
            return new FusionModel(header, new FusionNetwork(strategy, header.shape(), header.labels().size(), values),
                    values);
        } catch (RuntimeException e) {
            strategy.close();
            throw e;
        }
    }

    private static NdFusionStrategy bind(ModelHeader header) {
        Object bound;
        try {
            bound = SpecCodec.rebuild(header.strategyKind(), header.strategySettings()).bind(header.modalities());
        } catch (InvalidInputException e) {
            throw new ModelLoadException("The model header's strategy " + header.strategyKind() + " cannot be bound to"
                    + " its modalities " + header.modalities() + ": " + e.getMessage(), e);
        }
        if (bound instanceof NdFusionStrategy nd) {
            return nd;
        }
        throw new ModelLoadException("Strategy " + header.strategyKind() + " is not trainable");
    }

    /**
     * Loads a model saved with {@link #save}.
     *
     * @throws ModelLoadException if the file is missing, not a model, truncated or altered (SHA-256), or its
     *     header does not describe its parameters
     * @throws IncompatibleModelException if it was written by a newer format version (upgrade fusion4j)
     */
    public static FusionModel load(Path file) {
        if (file == null) {
            throw new ModelLoadException("Model path is null");
        }
        ModelFile.Contents c = ModelFile.read(file);
        ModelHeader header = c.header();
        if (header.labels().size() < 2) {
            throw new ModelLoadException(file + ": the header lists fewer than two labels");
        }
        NdFusionStrategy strategy = bind(header);
        try {
            FusionNetwork.checkShapes(FusionNetwork.expectedShapes(strategy, header.shape(), header.labels().size()),
                    c.shapes());
            return new FusionModel(header, new FusionNetwork(strategy, header.shape(), header.labels().size(),
                    c.values()), c.values());
        } catch (RuntimeException e) {
            strategy.close();
            throw e;
        }
    }

    /**
     * Writes this model to {@code file} in one step (temporary file, fsync, atomic rename; see
     * {@code docs/training.md} for the byte layout). An existing file is replaced.
     */
    public void save(Path file) {
        if (file == null) {
            throw new InvalidInputException("Model path is null");
        }
        withLock(() -> {
            Map<String, float[]> values = network.snapshot();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            network.arrays().forEach((n, a) -> shapes.put(n, a.getShape()));
            ModelFile.write(file, header, values, shapes);
            return null;
        });
    }

    /**
     * The embedding of one record: the fusion network's last hidden layer, whatever is present (an absent
     * modality enters as its strategy's missing value, e.g. concat's learned fill vector). Unimodal heads never
     * change it.
     */
    public Embedding embed(ModalityEmbeddings embeddings) {
        return embedAll(List.of(checked(embeddings))).get(0);
    }

    /** {@link #embed} of many records, batched. */
    public List<Embedding> embedAll(List<ModalityEmbeddings> records) {
        Result r = run(records, false);
        List<Embedding> out = new ArrayList<>(r.rows);
        int h = outputDimension();
        for (int i = 0; i < r.rows; i++) {
            out.add(Embedding.of(Arrays.copyOfRange(r.embeddings, i * h, (i + 1) * h)));
        }
        return out;
    }

    /** Same as {@link #embed}: the model is a fusion strategy whose output is its embedding. */
    @Override
    public Embedding fuse(ModalityEmbeddings embeddings) {
        return embed(embeddings);
    }

    @Override
    public List<Embedding> fuseAll(List<ModalityEmbeddings> records) {
        return embedAll(records);
    }

    @Override
    public boolean usesSequences() {
        return network.strategy().usesSequences();
    }

    /**
     * The trained fusion strategy inside this model (the first stage of {@link #embed}), for inspection, e.g. a
     * cross-attention strategy's {@code fuseWithAttention}. Owned by the model: do not close it, do not use it after
     * closing the model, and do not write its parameters.
     */
    public FusionStrategy strategy() {
        return network.strategy();
    }

    /** The most probable label of one record, with every label's probability. */
    public Prediction predict(ModalityEmbeddings embeddings) {
        return predictAll(List.of(checked(embeddings))).get(0);
    }

    /** {@link #predict} of many records, batched. */
    public List<Prediction> predictAll(List<ModalityEmbeddings> records) {
        Result r = run(records, true);
        List<String> labels = header.labels();
        int c = labels.size();
        List<Prediction> out = new ArrayList<>(r.rows);
        Integer[] order = new Integer[c];
        for (int i = 0; i < r.rows; i++) {
            double[] p = Arrays.copyOfRange(r.probabilities, i * c, (i + 1) * c);
            for (int j = 0; j < c; j++) {
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -p[j]).thenComparingInt(j -> j));
            Map<String, Double> probabilities = new LinkedHashMap<>();
            for (Integer j : order) {
                probabilities.put(labels.get(j), p[j]);
            }
            out.add(new Prediction(labels.get(order[0]), probabilities, weightsOf(r.weights[i])));
        }
        return out;
    }

    /** Expert weights normalised to sum 1, keyed {@link Prediction#FUSED} and by modality name. */
    private Map<String, Double> weightsOf(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(Prediction.FUSED, w[0] / sum);
        List<Modality> modalities = network.layout().modalities();
        for (int m = 0; m < modalities.size(); m++) {
            out.put(modalities.get(m).name(), w[m + 1] / sum);
        }
        return out;
    }

    private static ModalityEmbeddings checked(ModalityEmbeddings record) {
        if (record == null) {
            throw new InvalidInputException("The record is null");
        }
        return record;
    }

    /** The fused embeddings of {@code records} and, when asked, their routed class probabilities. */
    private Result run(List<ModalityEmbeddings> records, boolean probabilities) {
        PackedBatch all = network.layout().pack(records, network.strategy().normalizesInputs());
        PackedBatch raw = probabilities ? network.packRaw(records, all) : all;
        int h = outputDimension();
        int c = header.labels().size();
        float[] embeddings = new float[all.size() * h];
        double[] p = probabilities ? new double[all.size() * c] : null;
        double[][] weights = probabilities ? new double[all.size()][] : null;
        withLock(() -> {
            for (int s = 0; s < all.size(); s += CHUNK) {
                int n = Math.min(CHUNK, all.size() - s);
                PackedBatch batch = all.size() <= CHUNK ? all : PackedExamples.gather(all, range(s, n));
                PackedBatch rawBatch = raw == all ? batch : all.size() <= CHUNK ? raw
                        : PackedExamples.gather(raw, range(s, n));
                FusionNetwork.Outputs out = network.infer(batch, rawBatch);
                System.arraycopy(out.embeddings(), 0, embeddings, s * h, n * h);
                if (p != null) {
                    for (int r = 0; r < n; r++) {
                        weights[s + r] = answer(out, batch, rawBatch, r, p, (s + r) * c);
                    }
                }
            }
            return null;
        });
        return new Result(all.size(), embeddings, p, weights);
    }

    /**
     * Writes the class probabilities of row {@code r} into {@code p[from, from + C)} and returns the weight of every
     * expert (fused, then each modality's head): the routed head alone, or the trust-weighted product.
     */
    private double[] answer(FusionNetwork.Outputs out, PackedBatch batch, PackedBatch raw, int r, double[] p,
            int from) {
        int c = header.labels().size();
        int count = network.layout().count();
        int route = network.route(batch, r);
        double[] w = new double[count + 1];
        if (trust == null || route >= 0) {
            float[] logits = out.logitsOf(route);
            for (int j = 0; j < c; j++) {
                p[from + j] = logits[r * c + j];
            }
            Softmax.inPlace(p, from, c);
            w[route + 1] = 1;
            return w;
        }
        boolean[] present = new boolean[count];
        double[][] logProbs = new double[count + 1][];
        logProbs[0] = TrustWeights.logSoftmax(out.logits(), r * c, c);
        for (int m = 0; m < count; m++) {
            present[m] = batch.present(r, m);
            if (present[m]) {
                logProbs[m + 1] = TrustWeights.logSoftmax(out.unimodalLogits()[m], r * c, c);
            }
        }
        w = trust.weights(trust.atypicalities(raw, r), present);
        TrustWeights.combine(w, logProbs, c, p, from);
        for (int j = 0; j < c; j++) {
            p[from + j] = Math.exp(p[from + j]);
        }
        return w;
    }

    /** The network's outputs on packed rows (for fitting the trust weights). */
    FusionNetwork.Outputs infer(PackedBatch batch, PackedBatch raw) {
        return withLock(() -> network.infer(batch, raw));
    }

    /** Whether multimodal records are answered by the trust-weighted product of the experts. */
    public boolean hasTrustWeights() {
        return trust != null;
    }

    private record Result(int rows, float[] embeddings, double[] probabilities, double[][] weights) {
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** The class labels, sorted (the order of the output layer). */
    public List<String> labels() {
        return header.labels();
    }

    @Override
    public Map<Modality, Integer> inputDimensions() {
        return header.modalities();
    }

    /** The embedding dimension: the width of the last hidden layer. */
    @Override
    public int outputDimension() {
        return header.shape().embeddingDimension();
    }

    /** How the model was trained. */
    public TrainingSummary trainingSummary() {
        return header.summary();
    }

    /** The identifiers of the encoders the model was trained on, by modality (modalities without one are left out). */
    public Map<Modality, String> encoderIds() {
        return header.encoderIds();
    }

    /** The trained strategy's kind and settings, e.g. {@code bilinear.lowRank{rank=512, factor=2, ...}}. */
    public String strategyDescription() {
        return header.strategyKind() + header.strategySettings();
    }

    /** Widths of the hidden layers. */
    public List<Integer> hiddenLayers() {
        return header.shape().hiddenLayers();
    }

    /** Whether records with exactly one modality present are classified by that modality's unimodal head. */
    public boolean hasAuxiliaryHeads() {
        return header.shape().auxiliaryHeads();
    }

    /**
     * Checks that {@code dimensions} (e.g. an embedder's encoders) are exactly the model's modalities and
     * dimensions.
     *
     * @throws IncompatibleModelException naming the modality and both dimensions
     */
    public void checkCompatible(Map<Modality, Integer> dimensions) {
        if (dimensions == null) {
            throw new InvalidInputException("Dimensions map is null");
        }
        Map<Modality, Integer> expected = header.modalities();
        for (Map.Entry<Modality, Integer> e : dimensions.entrySet()) {
            Integer d = expected.get(e.getKey());
            if (d == null) {
                throw new IncompatibleModelException("The model was not trained on modality '" + e.getKey()
                        + "' (dimension " + e.getValue() + "); it takes " + expected);
            }
            if (!d.equals(e.getValue())) {
                throw new IncompatibleModelException("The model expects dimension " + d + " for modality '"
                        + e.getKey() + "' but got " + e.getValue() + ": use the encoder it was trained on"
                        + (header.encoderIds().containsKey(e.getKey())
                                ? " (" + header.encoderIds().get(e.getKey()) + ")" : ""));
            }
        }
        for (Map.Entry<Modality, Integer> e : expected.entrySet()) {
            if (!dimensions.containsKey(e.getKey())) {
                throw new IncompatibleModelException("The model needs modality '" + e.getKey() + "' (dimension "
                        + e.getValue() + ") but it is missing from " + dimensions);
            }
        }
    }

    /**
     * Checks that the encoder with identifier {@code encoderId} is the one the model was trained on for
     * {@code modality} (no check when the model recorded none).
     *
     * @throws IncompatibleModelException naming the modality and both identifiers
     */
    public void checkEncoder(Modality modality, String encoderId) {
        checkEncoder(header.modalities(), header.encoderIds(), modality, encoderId);
    }

    /** {@link #checkEncoder} of a model with these modalities and recorded encoder identifiers. */
    static void checkEncoder(Map<Modality, Integer> modalities, Map<Modality, String> ids, Modality modality,
            String encoderId) {
        String recorded = ids.get(modality);
        if (!modalities.containsKey(modality)) {
            throw new IncompatibleModelException("The model was not trained on modality '" + modality + "'; it takes "
                    + modalities.keySet());
        }
        if (recorded != null && !recorded.equals(encoderId)) {
            throw new IncompatibleModelException("The model was trained with encoder '" + recorded + "' for modality '"
                    + modality + "' but is used with '" + encoderId + "': embeddings from another encoder are"
                    + " meaningless to it");
        }
    }

    private <T> T withLock(Supplier<T> body) {
        return guard.read(body);
    }

    /** Frees the native parameters; idempotent; waits for running calls. */
    @Override
    public void close() {
        guard.close(network::close);
    }

    @Override
    public String toString() {
        return "FusionModel[" + strategyDescription() + ", modalities=" + header.modalities() + ", hidden="
                + hiddenLayers() + ", labels=" + header.labels().size() + "]";
    }
}
