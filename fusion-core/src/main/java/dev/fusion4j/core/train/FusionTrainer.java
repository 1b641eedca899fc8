package dev.fusion4j.core.train;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.internal.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a fusion network on labelled records and returns a {@link FusionModel}.
 *
 * <pre>{@code
 * FusionModel model = FusionTrainer.builder()
 *         .strategy(Fusions.bilinear().lowRank(512).factor(2))
 *         .hiddenLayers(256).epochs(60).seed(7)
 *         .build().fit(examples);          // List<TrainingExample>
 * }</pre>
 *
 * <h2>Network</h2>
 * The bound strategy (its parameters are trained too) → a fixed per-feature standardisation of its output
 * (mean and standard deviation on the training split, computed once with the initial strategy); with the
 * {@link Builder#inputSkip(boolean) input skip} (default on) it is scaled by a learned gate that starts at 0 and set
 * next to the standardised inputs themselves, so every strategy starts as the concatenation head → hidden layers
 * {@code Linear + activation}, dropout between them and before the output → a softmax output layer. The last
 * hidden layer is the embedding ({@link FusionModel#embed}). With {@link Builder#auxiliaryHeads(boolean)
 * auxiliary heads} (default on) each modality also gets a unimodal head, a {@link
 * dev.fusion4j.core.classify.LinearProbe} with its default recipe and this trainer's seed, fitted on the
 * (normalised) input of every example with the modality before the network is trained; {@link FusionModel#predict}
 * uses it for records with only that modality present.
 *
 * <h2>Objective</h2>
 * <pre>
 *   L = Σ_i w_i CE(fused_i, y_i) / Σ_i w_i  +  λ Σ_m Σ_{i: m present} w_i CE(aux_m,i, y_i) / Σ_{i: m present} w_i
 * </pre>
 * with {@code w_i = n / (C · n_{y_i})} when {@link Builder#classWeights(boolean) class weights} are on (else 1) and
 * {@code λ} the {@link Builder#auxiliaryLossWeight(double) auxiliary loss weight} (default 0.5): {@code aux_m} is a
 * training-only path from modality {@code m} alone through one hidden layer into the network's output layer,
 * discarded after training. Early stopping watches the first term only, on the validation split.
 * Optimised with AdamW (decoupled weight decay {@code w ← w − lr·wd·w} on weight matrices only; biases, fill
 * vectors, gains and type embeddings are not decayed) on seeded shuffled mini-batches. Concat's fill vectors take
 * their steps in the standardised units the head reads (see {@code docs/training.md}).
 *
 * <h2>Missing modalities</h2>
 * {@link Builder#modalityDropout(double) Modality dropout} hides each present modality of a training record
 * with probability {@code p} (never all of them) from the fused path: its input is zeroed and its mask bit
 * cleared, exactly as an absent modality at inference, so the strategy's own missing-modality rule applies:
 * concatenation writes its fill vector (a strategy parameter, so it is learned: the learned missing vector);
 * weighted sum and attention mask the modality out; the products use the 1-extension {@code (0,…,0,1)}
 * (low-rank: {@code u_m = b_m}, a learned vector). The unimodal heads always see every present modality.
 *
 * <h2>Determinism</h2>
 * The split, shuffles, dropout masks and modality dropout draw from {@link java.util.SplittableRandom}s seeded by
 * {@link Builder#seed(long)}; head weights are initialised in Java from the seed; the DJL engine's random seed is
 * set from it too (attention's internal dropout). The same seed, data and settings on the same machine and
 * PyTorch thread count give the same model to the last bit (tested, also while the garbage collector runs during the
 * fit: scalars the backward pass reads are kept alive, see {@code core.internal.Scalars}). Concurrent fits in
 * one JVM are allowed but their gradient steps are serialised (DJL's PyTorch gradient collector is global).
 *
 * <h2>Defaults</h2> See {@link Builder}; the reasoning is in {@code docs/training.md}.
 */
public final class FusionTrainer {
    /**
     * Largest first-layer weight matrix ((strategy output + input skip) × first hidden width) a fit accepts: 16 Mi
     * weights, 64 MB, 256 MB with AdamW's two moments and the gradient.
     */
    static final long MAX_FIRST_LAYER_WEIGHTS = 16L << 20;

    final FusionSpec spec;
    final int[] hiddenLayers;
    final Activation activation;
    final double dropout;
    final double inputDropout;
    final double labelSmoothing;
    final int epochs;
    final int batchSize;
    final double learningRate;
    final double weightDecay;
    final double validationSplit;
    final int patience;
    final double modalityDropout;
    final boolean classWeights;
    final boolean auxiliaryHeads;
    final double auxiliaryLossWeight;
    final boolean inputSkip;
    final boolean trustWeights;
    final long seed;
    final Map<Modality, Integer> modalities;
    final Map<Modality, Object> encoders;
    final Map<Modality, String> encoderIds;
    final TrainingListener listener;

    private FusionTrainer(Builder b) {
        this.spec = b.spec;
        this.hiddenLayers = b.hiddenLayers == null ? null : b.hiddenLayers.clone();
        this.activation = b.activation;
        this.dropout = b.dropout;
        this.inputDropout = b.inputDropout;
        this.labelSmoothing = b.labelSmoothing;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.weightDecay = b.weightDecay;
        this.validationSplit = b.validationSplit;
        this.patience = b.patience;
        this.modalityDropout = b.modalityDropout;
        this.classWeights = b.classWeights;
        this.auxiliaryHeads = b.auxiliaryHeads;
        this.auxiliaryLossWeight = b.auxiliaryLossWeight;
        this.inputSkip = b.inputSkip;
        this.trustWeights = b.trustWeights;
        this.seed = b.seed;
        this.modalities = b.modalities == null ? null : new LinkedHashMap<>(b.modalities);
        this.encoders = new LinkedHashMap<>(b.encoding.encoders);
        this.encoderIds = new LinkedHashMap<>(b.encoding.ids);
        this.listener = b.listener;
    }

    /** A builder with the defaults listed on {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains on {@code examples} (raw ones are embedded once with the builder's encoders) and returns the
     * model. The caller owns (and closes) the model; the encoders stay open.
     *
     * @throws InvalidInputException if the list is null or empty, has fewer than two classes, an example has a
     *     modality or dimension that disagrees with the others or with {@link Builder#modalities}, or a raw value
     *     has no encoder (the message names the example index)
     */
    public FusionModel fit(List<TrainingExample> examples) {
        if (examples == null || examples.isEmpty()) {
            throw new InvalidInputException("No training examples: pass a non-empty list");
        }
        return fit(examples, null);
    }

    /**
     * Trains on {@code train} and uses {@code validation} (instead of a {@link Builder#validationSplit} of the
     * training examples) for early stopping and for fitting the {@link Builder#trustWeights trust weights}, as
     * Keras' {@code validation_data}. Give one when related records exist (variants of one product, frames of one
     * video): a random split puts their siblings on both sides and makes the validation records look easier than new
     * ones. Validation records may also hold perturbed copies (re-encoded images with other colours, blur or
     * scale): the trust weights then learn how far to believe a modality whose input moved.
     *
     * @param validation the validation examples, or null for a {@link Builder#validationSplit} of {@code train}
     * @throws InvalidInputException as {@link #fit(List)}, for either list (validation indices count on from the
     *     training examples), or if {@code validation} is empty
     */
    public FusionModel fit(List<TrainingExample> train, List<TrainingExample> validation) {
        if (train == null || train.isEmpty()) {
            throw new InvalidInputException("No training examples: pass a non-empty list");
        }
        if (validation != null && validation.isEmpty()) {
            throw new InvalidInputException("The validation list is empty: pass null to split the training examples"
                    + " (validationSplit) instead");
        }
        long start = System.nanoTime();
        List<TrainingExample> examples = new java.util.ArrayList<>(train);
        if (validation != null) {
            examples.addAll(validation);
        }
        List<ModalityEmbeddings> records = ExampleEmbedder.embed(examples, encoders, listener,
                spec instanceof dev.fusion4j.core.attention.CrossAttentionSpec);
        Map<Modality, Integer> layout = modalities != null ? modalities : inferModalities(records);
        checkRecords(records, layout);
        return new TrainingRun(this, layout, records, examples.stream().map(TrainingExample::label).toList(),
                validation == null ? -1 : train.size(), start).run();
    }

    /** Union of the modalities in first-seen order, each with the dimension it first appeared with. */
    private static Map<Modality, Integer> inferModalities(List<ModalityEmbeddings> records) {
        Map<Modality, Integer> dims = new LinkedHashMap<>();
        for (ModalityEmbeddings r : records) {
            r.asMap().forEach((m, e) -> dims.putIfAbsent(m, e.dimension()));
        }
        return dims;
    }

    private static void checkRecords(List<ModalityEmbeddings> records, Map<Modality, Integer> layout) {
        for (int i = 0; i < records.size(); i++) {
            for (Map.Entry<Modality, dev.fusion4j.api.Embedding> e : records.get(i).asMap().entrySet()) {
                Integer d = layout.get(e.getKey());
                if (d == null) {
                    throw new InvalidInputException("Training example " + i + " has modality '" + e.getKey()
                            + "', which is not among the trainer's modalities " + layout.keySet());
                }
                if (d != e.getValue().dimension()) {
                    throw new InvalidInputException("Training example " + i + ": modality '" + e.getKey()
                            + "' has dimension " + e.getValue().dimension() + " but " + d + " is expected (the"
                            + " first example with it, or .modalities(..)): every example must come from the same"
                            + " encoders");
                }
            }
        }
    }

    /** Whether the head reads the standardised inputs next to the strategy's output. */
    boolean inputSkip() {
        return inputSkip;
    }

    /** The hidden widths for a strategy output of {@code fused} dimensions and {@code classes} classes. */
    int[] hiddenLayersFor(int fused, int classes) {
        if (hiddenLayers != null) {
            return hiddenLayers.clone();
        }
        return new int[] {defaultHiddenWidth(fused, classes)};
    }

    /**
     * The default width of the single hidden layer: {@code sqrt(fused · classes)} rounded up to a power of two,
     * clamped to [64, 512] (a geometric mean between the input and output widths).
     */
    static int defaultHiddenWidth(int fused, int classes) {
        double geometric = Math.sqrt((double) fused * classes);
        int width = Integer.highestOneBit((int) Math.max(1, Math.ceil(geometric) - 1)) << 1;
        return Math.max(64, Math.min(512, width));
    }

    @Override
    public String toString() {
        return "FusionTrainer[strategy=" + spec + ", hiddenLayers="
                + (hiddenLayers == null ? "auto" : Arrays.toString(hiddenLayers)) + ", activation=" + activation
                 + ", dropout=" + dropout + ", inputDropout=" + inputDropout
                + ", labelSmoothing=" + labelSmoothing + ", epochs=" + epochs + ", batchSize=" + batchSize + ", learningRate="
                + learningRate + ", weightDecay=" + weightDecay + ", validationSplit=" + validationSplit
                + ", patience=" + patience + ", modalityDropout=" + modalityDropout + ", classWeights="
                + classWeights + ", auxiliaryHeads=" + auxiliaryHeads + ", auxiliaryLossWeight=" + auxiliaryLossWeight
                + ", inputSkip=" + inputSkip + ", seed=" + seed + "]";
    }

    /**
     * Collects the training settings; {@link #build()} validates them. Not thread-safe.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@link #strategy}</td><td>{@code Fusions.concat()}</td></tr>
     *   <tr><td>{@link #hiddenLayers}</td><td>one layer, {@code sqrt(min(fused dim, input dims) × classes)} rounded
     *       up to a power of two in [64, 512]</td></tr>
     *   <tr><td>{@link #activation}</td><td>{@link Activation#RELU}</td></tr>
     *   <tr><td>{@link #dropout}</td><td>0.5</td></tr>
     *   <tr><td>{@link #inputDropout}</td><td>0</td></tr>
     *   <tr><td>{@link #labelSmoothing}</td><td>0</td></tr>
     *   <tr><td>{@link #inputSkip}</td><td>true</td></tr>
     *   <tr><td>{@link #epochs}</td><td>60 (maximum)</td></tr>
     *   <tr><td>{@link #batchSize}</td><td>32</td></tr>
     *   <tr><td>{@link #learningRate}</td><td>1e-3</td></tr>
     *   <tr><td>{@link #weightDecay}</td><td>1e-2 (decoupled, AdamW)</td></tr>
     *   <tr><td>{@link #validationSplit}</td><td>0.1 (stratified, seeded)</td></tr>
     *   <tr><td>{@link #earlyStopping}</td><td>patience 8 epochs on the validation objective</td></tr>
     *   <tr><td>{@link #modalityDropout}</td><td>0 (see {@code docs/training.md})</td></tr>
     *   <tr><td>{@link #classWeights}</td><td>false</td></tr>
     *   <tr><td>{@link #auxiliaryHeads}</td><td>true</td></tr>
     *   <tr><td>{@link #auxiliaryLossWeight}</td><td>0.5</td></tr>
     *   <tr><td>{@link #seed}</td><td>42</td></tr>
     *   <tr><td>{@link #listener}</td><td>{@link Slf4jTrainingListener}</td></tr>
     * </table>
     */
    public static final class Builder {
        private FusionSpec spec = Fusions.concat();
        private int[] hiddenLayers;
        private Activation activation = Activation.RELU;
        private double dropout = 0.5;
        private double inputDropout;
        private double labelSmoothing;
        private int epochs = 60;
        private int batchSize = 32;
        private double learningRate = 1e-3;
        private double weightDecay = 1e-2;
        private double validationSplit = 0.1;
        private int patience = 8;
        private double modalityDropout;
        private boolean classWeights;
        private boolean auxiliaryHeads = true;
        private double auxiliaryLossWeight = 0.5;
        private boolean inputSkip = true;
        private boolean trustWeights = true;
        private long seed = 42;
        private Map<Modality, Integer> modalities;
        private final EncoderSettings encoding = new EncoderSettings();
        private TrainingListener listener = new Slf4jTrainingListener();

        private Builder() {
        }

        /** The fusion strategy to train (default {@code Fusions.concat()}); any spec from {@link Fusions}. */
        public Builder strategy(FusionSpec spec) {
            this.spec = Checks.notNull("Fusion spec", spec);
            SpecCodec.describe(spec);
            return this;
        }

        /** Widths of the hidden layers (at least one); the last is the embedding dimension. */
        public Builder hiddenLayers(int... widths) {
            if (widths == null || widths.length == 0) {
                throw new InvalidInputException("hiddenLayers needs at least one width: the last hidden layer is"
                        + " the embedding");
            }
            for (int w : widths) {
                Checks.positive("Hidden layer width", w);
            }
            this.hiddenLayers = widths.clone();
            return this;
        }

        /** Non-linearity of the hidden layers (default RELU). */
        public Builder activation(Activation activation) {
            this.activation = Checks.notNull("Activation", activation);
            return this;
        }

        /** Dropout rate in [0, 1) after each hidden layer while training (default 0.5). */
        public Builder dropout(double rate) {
            this.dropout = probability("Dropout", rate);
            return this;
        }

        /**
         * Dropout rate in [0, 1) on the standardised strategy output, before the first hidden layer, while
         * training (default 0).
         */
        public Builder inputDropout(double rate) {
            this.inputDropout = probability("Input dropout", rate);
            return this;
        }

        /**
         * Label smoothing ε in [0, 1) of the training objective: targets {@code (1 − ε)·onehot + ε / C}
         * (default 0). The validation objective used by early stopping is plain cross-entropy.
         */
        public Builder labelSmoothing(double epsilon) {
            this.labelSmoothing = probability("Label smoothing", epsilon);
            return this;
        }

        /** Maximum number of epochs (default 60). */
        public Builder epochs(int epochs) {
            this.epochs = Checks.positive("Epochs", epochs);
            return this;
        }

        /** Examples per gradient step (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.positive("Batch size", batchSize);
            return this;
        }

        /** AdamW learning rate (default 1e-3). */
        public Builder learningRate(double rate) {
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new InvalidInputException("Learning rate must be positive and finite, got " + rate);
            }
            this.learningRate = rate;
            return this;
        }

        /** Decoupled weight decay per unit learning rate (default 1e-2; 0 disables). */
        public Builder weightDecay(double decay) {
            if (!(decay >= 0) || !Double.isFinite(decay)) {
                throw new InvalidInputException("Weight decay must be non-negative and finite, got " + decay);
            }
            this.weightDecay = decay;
            return this;
        }

        /** Fraction of each class held out for validation and early stopping, in [0, 0.5] (default 0.1; 0: none). */
        public Builder validationSplit(double fraction) {
            if (!(fraction >= 0 && fraction <= 0.5)) {
                throw new InvalidInputException("Validation split must be in [0, 0.5], got " + fraction);
            }
            this.validationSplit = fraction;
            return this;
        }

        /**
         * Stops after {@code patience} epochs without a lower validation objective and keeps the weights of the
         * best epoch (default 8). Needs a validation split.
         */
        public Builder earlyStopping(int patience) {
            this.patience = Checks.positive("Early-stopping patience", patience);
            return this;
        }

        /** Probability in [0, 1) of hiding each present modality of a training record from the fused path (default 0). */
        public Builder modalityDropout(double p) {
            this.modalityDropout = probability("Modality dropout", p);
            return this;
        }

        /** Whether to weigh each example by the inverse frequency of its class (default false). */
        public Builder classWeights(boolean on) {
            this.classWeights = on;
            return this;
        }

        /**
         * Whether each modality gets a unimodal head (a linear probe fitted on every example with the modality)
         * that classifies records with only that modality present (default true).
         */
        public Builder auxiliaryHeads(boolean on) {
            this.auxiliaryHeads = on;
            return this;
        }

        /**
         * Weight λ of the auxiliary losses, a training-only regulariser (default 0.5; 0 turns it off). Each
         * modality gets an auxiliary path, one hidden layer as wide as the embedding on its standardised input,
         * that feeds the network's own output layer; its cross-entropy on the training records with the modality
         * present is added to the objective with weight λ, so the shared output layer must also classify from
         * each modality alone. The paths are trained with the network and dropped from the model: they are not
         * saved, never answer a record, and the validation objective (early stopping) ignores them. Independent
         * of {@link #auxiliaryHeads(boolean)}. See {@code docs/training.md}.
         *
         * @throws InvalidInputException if {@code weight} is negative, NaN or infinite
         */
        public Builder auxiliaryLossWeight(double weight) {
            if (!(weight >= 0) || !Double.isFinite(weight)) {
                throw new InvalidInputException("Auxiliary loss weight must be non-negative and finite (0 turns the"
                        + " auxiliary losses off), got " + weight);
            }
            this.auxiliaryLossWeight = weight;
            return this;
        }

        /**
         * Whether the first hidden layer reads the standardised inputs (L2-normalised when the strategy
         * normalises) next to the strategy's output, which is scaled by a learned gate initialised at 0 (default
         * on). With it a learned strategy adds to the concatenation instead of having to rediscover it from
         * 1,000-odd examples; an absent modality contributes its training mean. See {@code docs/training.md}.
         */
        public Builder inputSkip(boolean on) {
            this.inputSkip = on;
            return this;
        }

        /**
         * Whether a record with two or more modalities present is answered by the trust-weighted product of the
         * network and the unimodal heads, each expert weighted per record by how typical the inputs it reads are of
         * the training data (default on; see {@link TrustWeights} for the maths and {@code docs/training.md}). The
         * weights are fitted on the validation records after the network, so this needs {@link
         * #auxiliaryHeads(boolean) auxiliary heads} and validation records (a {@link #validationSplit} above 0 or
         * {@link FusionTrainer#fit(List, List)}); without them it is off. {@link Prediction#weights()} shows each
         * record's weights. {@link FusionModel#embed} is unchanged by it.
         */
        public Builder trustWeights(boolean on) {
            this.trustWeights = on;
            return this;
        }

        /** Seed of the split, shuffles, dropout and head initialisation (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The modalities and dimensions, in order (default: inferred from the examples, first-seen order). */
        public Builder modalities(Map<Modality, Integer> dimensions) {
            Checks.notNull("Modalities", dimensions);
            if (dimensions.isEmpty()) {
                throw new InvalidInputException("Modalities map is empty: give at least one modality with its dimension");
            }
            dimensions.forEach((m, d) -> Checks.positive("Dimension of modality '" + m + "'", Checks.notNull("Dimension", d)));
            this.modalities = new LinkedHashMap<>(dimensions);
            return this;
        }

        /** The encoder of {@link Modality#TEXT} for raw examples; its {@code id()} is recorded in the model. */
        public Builder text(TextEncoder encoder) {
            return encoder(Modality.TEXT, encoder);
        }

        /** The encoder of {@link Modality#IMAGE} for raw examples; its {@code id()} is recorded in the model. */
        public Builder image(ImageEncoder encoder) {
            return encoder(Modality.IMAGE, encoder);
        }

        /** A text encoder for {@code modality}. */
        public Builder encoder(Modality modality, TextEncoder encoder) {
            encoding.put(modality, encoder);
            return this;
        }

        /** An image encoder for {@code modality}. */
        public Builder encoder(Modality modality, ImageEncoder encoder) {
            encoding.put(modality, encoder);
            return this;
        }


        /**
         * Identifiers of the encoders that produced precomputed embeddings ({@code TextEncoder.id()},
         * {@code ImageEncoder.id()}), recorded in the model so it can refuse other encoders. Encoders given to
         * this builder record their own.
         */
        public Builder encoderIds(Map<Modality, String> ids) {
            encoding.putIds(ids);
            return this;
        }

        /** Receives progress (default {@link Slf4jTrainingListener}; {@link TrainingListener#none()} for silence). */
        public Builder listener(TrainingListener listener) {
            this.listener = Checks.notNull("Training listener", listener);
            return this;
        }

        /**
         * Validates and builds the trainer.
         *
         * @throws InvalidInputException if {@code .modalities(..)} disagrees with an encoder's dimension
         */
        public FusionTrainer build() {
            encoding.checkAgainst(modalities);
            return new FusionTrainer(this);
        }

        private static double probability(String what, double p) {
            if (!(p >= 0 && p < 1)) {
                throw new InvalidInputException(what + " must be in [0, 1), got " + p);
            }
            return p;
        }
    }
}
