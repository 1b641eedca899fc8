package dev.fusion4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole network: a bound fusion strategy (its DJL block and parameters), a fixed per-feature
 * standardisation of its output, the hidden layers, the softmax output layer and, optionally, one unimodal head
 * per modality. Not thread-safe; {@link FusionModel} guards it.
 *
 * <pre>
 *   fused path:  z = F(x̂_1..x̂_M, p)            the strategy's block
 *                h_0 = (z − μ) ⊙ σ⁻¹            standardisation (fixed, from the training set)
 *                      [ ‖ p_m (x̂_m − μ_m) ⊙ σ_m⁻¹ ]_m   with the input skip: the standardised inputs too
 *                h_l = act(W_l h_{l−1} + b_l)   hidden layers, dropout after each while training
 *                logits = W_o h_L + b_o          h_L is the embedding
 *   unimodal m:  logits_m = U_m x_m + c_m        a linear probe on the input as given (not normalised;
 *                                                 fixed: fitted by {@code LinearProbe} before the network)
 * </pre>
 *
 * <p>Parameter names: {@code strategy.<block parameter>}, {@code standardize.mean|scale},
 * {@code skip.<modality>.mean|scale}, {@code skip.gate}, {@code hidden<l>.weight|bias}, {@code output.weight|bias},
 * {@code unimodal.<modality>.weight|bias}. Weights are {@code [out, in]} (PyTorch linear layout).
 */
final class FusionNetwork implements AutoCloseable {
    static final String STRATEGY = "strategy.";
    static final String UNIMODAL = "unimodal.";
    static final String AUX = "aux.";

    private final NdFusionStrategy strategy;
    private final ModalityLayout layout;
    private final HeadShape shape;
    private final int classes;
    private final NDManager manager;
    private final Map<String, NDArray> head = new LinkedHashMap<>();
    private final Map<String, Parameter> strategyParameters = new LinkedHashMap<>();
    /** Training-only auxiliary paths ({@code aux.<modality>.*}), present when {@code values} holds them. */
    private final Map<String, NDArray> aux = new LinkedHashMap<>();

    /**
     * Takes ownership of {@code strategy}. {@code values} holds every head array (see {@link #headShapes}) and,
     * optionally, {@code strategy.*} values replacing the strategy's own initialisation.
     */
    FusionNetwork(NdFusionStrategy strategy, HeadShape shape, int classes, Map<String, float[]> values) {
        this.strategy = strategy;
        this.layout = strategy.layout();
        this.shape = shape;
        this.classes = classes;
        this.manager = NDManager.newBaseManager(NdFusionStrategy.ENGINE);
        try {
            for (Pair<String, Parameter> p : strategy.block().getParameters()) {
                strategyParameters.put(STRATEGY + p.getKey(), p.getValue());
                float[] v = values.get(STRATEGY + p.getKey());
                if (v != null) {
                    p.getValue().getArray().set(v);
                }
            }
            headShapes(layout, shape, strategy.outputDimension(), classes).forEach((name, s) -> {
                float[] v = values.get(name);
                if (v == null) {
                    throw new IllegalStateException("No value for head parameter " + name);
                }
                head.put(name, manager.create(v, s));
            });
            for (int m = 0; m < layout.count(); m++) {
                String p = AUX + layout.modalities().get(m).name() + ".";
                int d = layout.dimension(m);
                int h = shape.embeddingDimension();
                if (values.containsKey(p + "weight")) {
                    aux.put(p + "mean", manager.create(values.get(p + "mean"), new Shape(d)));
                    aux.put(p + "scale", manager.create(values.get(p + "scale"), new Shape(d)));
                    aux.put(p + "weight", manager.create(values.get(p + "weight"), new Shape(h, d)));
                    aux.put(p + "bias", manager.create(values.get(p + "bias"), new Shape(h)));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Names and shapes of the head arrays, in file order. */
    static Map<String, Shape> headShapes(ModalityLayout layout, HeadShape shape, int fusedDimension, int classes) {
        Map<String, Shape> s = new LinkedHashMap<>();
        s.put("standardize.mean", new Shape(fusedDimension));
        s.put("standardize.scale", new Shape(fusedDimension));
        int in = fusedDimension;
        if (shape.inputSkip()) {
            s.put("skip.gate", new Shape(1));
            for (int m = 0; m < layout.count(); m++) {
                String p = "skip." + layout.modalities().get(m).name() + ".";
                s.put(p + "mean", new Shape(layout.dimension(m)));
                s.put(p + "scale", new Shape(layout.dimension(m)));
                in += layout.dimension(m);
            }
        }
        for (int l = 0; l < shape.hiddenLayers().size(); l++) {
            int out = shape.hiddenLayers().get(l);
            s.put("hidden" + l + ".weight", new Shape(out, in));
            s.put("hidden" + l + ".bias", new Shape(out));
            in = out;
        }
        s.put("output.weight", new Shape(classes, in));
        s.put("output.bias", new Shape(classes));
        if (shape.auxiliaryHeads()) {
            for (int m = 0; m < layout.count(); m++) {
                String p = UNIMODAL + layout.modalities().get(m).name() + ".";
                s.put(p + "weight", new Shape(classes, layout.dimension(m)));
                s.put(p + "bias", new Shape(classes));
            }
        }
        if (shape.trustWeights()) {
            s.putAll(TrustWeights.shapes(layout));
        }
        return s;
    }

    /**
     * Whether a head array is fixed (standardisation statistics, the unimodal heads fitted before the network)
     * rather than trained by the network's optimiser.
     */
    static boolean isFixed(String name) {
        return name.endsWith(".mean") || name.endsWith(".scale") || name.startsWith(UNIMODAL)
                || name.startsWith(TrustWeights.PREFIX);
    }

    NdFusionStrategy strategy() {
        return strategy;
    }

    ModalityLayout layout() {
        return layout;
    }

    HeadShape shape() {
        return shape;
    }

    int classes() {
        return classes;
    }

    /** Every array by name: the strategy's (prefixed) first, then the head's. Live arrays, no copies. */
    Map<String, NDArray> arrays() {
        Map<String, NDArray> all = new LinkedHashMap<>();
        strategyParameters.forEach((n, p) -> all.put(n, p.getArray()));
        all.putAll(head);
        all.putAll(aux);
        return all;
    }

    /**
     * Which head answers for record {@code row}: the index of its only present modality when it has exactly
     * one and unimodal heads exist, else {@code -1} (the fused path).
     */
    int route(PackedBatch batch, int row) {
        if (!shape.auxiliaryHeads()) {
            return -1;
        }
        int only = -1;
        for (int m = 0; m < layout.count(); m++) {
            if (batch.present(row, m)) {
                if (only >= 0) {
                    return -1;
                }
                only = m;
            }
        }
        return only;
    }

    /** Names of the trained arrays that get weight decay: matrices of the head and the strategy's weights. */
    boolean decays(String name) {
        Parameter p = strategyParameters.get(name);
        if (p != null) {
            return p.getType() == Parameter.Type.WEIGHT;
        }
        return name.endsWith(".weight");
    }

    /** The current value of every array, copied to Java. */
    Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        arrays().forEach((n, a) -> values.put(n, a.toFloatArray()));
        return values;
    }

    /** The fused path: {@code [embedding, logits]}; inputs are the strategy's block inputs. */
    NDArray[] fused(ParameterStore store, NDList inputs, boolean training, UnaryOperator<NDArray> inputDropout,
            UnaryOperator<NDArray> dropout) {
        NDArray z = strategy.block().forward(store, inputs, training).head();
        NDArray h = z.sub(head.get("standardize.mean")).mul(head.get("standardize.scale"));
        if (shape.inputSkip()) {
            // The inputs themselves next to the strategy's output; an absent modality contributes its mean (0).
            NDArray mask = inputs.get(layout.count());
            NDList parts = new NDList(layout.count() + 1);
            parts.add(h.mul(head.get("skip.gate")));
            for (int m = 0; m < layout.count(); m++) {
                String p = "skip." + layout.modalities().get(m).name() + ".";
                NDArray present = mask.get(":, " + m + ":" + (m + 1));
                parts.add(inputs.get(m).sub(head.get(p + "mean")).mul(head.get(p + "scale")).mul(present));
            }
            h = NDArrays.concat(parts, 1);
        }
        h = inputDropout.apply(h);
        NDArray embedding = h;
        for (int l = 0; l < shape.hiddenLayers().size(); l++) {
            if (l > 0) {
                h = dropout.apply(h);
            }
            embedding = shape.activation().apply(
                    Linear.linear(h, head.get("hidden" + l + ".weight"), head.get("hidden" + l + ".bias")).head());
            h = embedding;
        }
        return new NDArray[] {embedding, output(dropout.apply(embedding))};
    }

    /** Whether the training-only auxiliary paths exist. */
    boolean hasAuxiliaryPaths() {
        return !aux.isEmpty();
    }

    /** The training-only auxiliary path of modality {@code m} on its packed input: {@code [embedding, logits]}. */
    NDArray[] auxiliary(int m, NDArray x, UnaryOperator<NDArray> dropout) {
        String p = AUX + layout.modalities().get(m).name() + ".";
        NDArray standardized = x.sub(aux.get(p + "mean")).mul(aux.get(p + "scale"));
        NDArray embedding = shape.activation().apply(
                Linear.linear(standardized, aux.get(p + "weight"), aux.get(p + "bias")).head());
        return new NDArray[] {embedding, output(dropout.apply(embedding))};
    }

    private NDArray output(NDArray h) {
        return Linear.linear(h, head.get("output.weight"), head.get("output.bias")).head();
    }

    /**
     * {@code records} packed as given, for the unimodal heads: {@code normalized} itself (their packing for the
     * fused path) unless the strategy L2-normalises its inputs and there are unimodal heads.
     */
    PackedBatch packRaw(List<dev.fusion4j.api.ModalityEmbeddings> records, PackedBatch normalized) {
        return shape.auxiliaryHeads() && strategy.normalizesInputs() ? layout.pack(records, false) : normalized;
    }

    /**
     * Inference on packed records (no dropout): the embedding and logits of every record's fused path and, with
     * unimodal heads, every modality's unimodal logits on {@code raw}, the same rows packed as given (see
     * {@link #packRaw}; computed for all rows, only meaningful where the modality is present).
     */
    Outputs infer(PackedBatch batch, PackedBatch raw) {
        int rows = batch.size();
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDList inputs = inputs(m, batch);
            ParameterStore store = new ParameterStore(m, false);
            NDArray[] fused = fused(store, inputs, false, UnaryOperator.identity(), UnaryOperator.identity());
            float[][] unimodal = new float[shape.auxiliaryHeads() ? layout.count() : 0][];
            for (int i = 0; i < unimodal.length; i++) {
                String p = UNIMODAL + layout.modalities().get(i).name() + ".";
                NDArray x = raw == batch ? inputs.get(i)
                        : m.create(raw.inputs()[i], new Shape(rows, layout.dimension(i)));
                unimodal[i] = Linear.linear(x, head.get(p + "weight"), head.get(p + "bias")).head().toFloatArray();
            }
            return new Outputs(rows, fused[0].toFloatArray(), fused[1].toFloatArray(), unimodal);
        }
    }

    /** A manager for one batch's arrays; close it after the batch. */
    NDManager newBatchManager() {
        return manager.newSubManager();
    }

    /** The block inputs of {@code batch} on {@code m} ({@link dev.fusion4j.core.internal.BlockInputs}). */
    NDList inputs(NDManager m, PackedBatch batch) {
        return dev.fusion4j.core.internal.BlockInputs.of(m, layout, batch);
    }

    /**
     * Checks that {@code shapes} (read from a file) are exactly the arrays this architecture needs.
     *
     * @throws ModelLoadException naming the first missing, extra or mis-shaped array
     */
    static void checkShapes(Map<String, Shape> expected, Map<String, Shape> actual) {
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape a = actual.get(e.getKey());
            if (a == null) {
                throw new ModelLoadException("The model file lacks parameter '" + e.getKey() + "' " + e.getValue()
                        + " that its header's architecture needs: the file is damaged or was altered");
            }
            if (!a.equals(e.getValue())) {
                throw new ModelLoadException("Parameter '" + e.getKey() + "' has shape " + a + " but the header's"
                        + " modalities, dimensions and layers need " + e.getValue()
                        + ": the header does not describe these parameters (altered file)");
            }
        }
        List<String> extra = new ArrayList<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new ModelLoadException("The model file holds parameters " + extra + " that its header's"
                    + " architecture does not have: the file is damaged or was altered");
        }
    }

    /** Expected names and shapes of every array of a network with this strategy and head. */
    static Map<String, Shape> expectedShapes(NdFusionStrategy strategy, HeadShape shape, int classes) {
        Map<String, Shape> s = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : strategy.block().getParameters()) {
            s.put(STRATEGY + p.getKey(), p.getValue().getArray().getShape());
        }
        s.putAll(headShapes(strategy.layout(), shape, strategy.outputDimension(), classes));
        return s;
    }

    @Override
    public void close() {
        manager.close();
        strategy.close();
    }

    /**
     * Inference results, row-major.
     *
     * @param rows number of records
     * @param embeddings fused-path embeddings {@code [rows, H]}
     * @param logits fused-path logits {@code [rows, C]}
     * @param unimodalLogits per modality, the unimodal head's logits {@code [rows, C]} (empty without them)
     */
    record Outputs(int rows, float[] embeddings, float[] logits, float[][] unimodalLogits) {

        /** The logits of {@code route} ({@code -1} fused, else the modality's unimodal head). */
        float[] logitsOf(int route) {
            return route < 0 ? logits : unimodalLogits[route];
        }
    }
}
