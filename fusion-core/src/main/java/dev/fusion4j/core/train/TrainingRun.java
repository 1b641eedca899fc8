package dev.fusion4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.Scalars;
import dev.fusion4j.core.internal.SeededInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/** One {@link FusionTrainer#fit}: split, initialisation, the epoch loop, early stopping, the final model. */
final class TrainingRun {
    /** DJL's PyTorch gradient collector is global to the JVM: one backward pass at a time. */
    static final ReentrantLock COLLECTOR = new ReentrantLock();
    /** Rows per native call when computing standardisation statistics and validation outputs. */
    private static final int CHUNK = 512;

    private final FusionTrainer cfg;
    private final Map<Modality, Integer> dimensions;
    private final List<ModalityEmbeddings> records;
    private final List<String> classes;
    private final int[] y;
    private final double[] classWeight;
    /** Records before this index train, the rest validate; -1: split by {@code validationSplit}. */
    private final int trainCount;
    private final long start;

    TrainingRun(FusionTrainer cfg, Map<Modality, Integer> dimensions, List<ModalityEmbeddings> records,
            List<String> labels, int trainCount, long start) {
        this.cfg = cfg;
        this.dimensions = dimensions;
        this.records = records;
        this.classes = List.copyOf(new TreeSet<>(labels));
        if (classes.size() < 2) {
            throw new InvalidInputException("The training examples hold a single label (" + classes.get(0)
                    + "): a classifier needs at least two");
        }
        this.y = labels.stream().mapToInt(l -> java.util.Collections.binarySearch(classes, l)).toArray();
        this.classWeight = new double[classes.size()];
        this.trainCount = trainCount;
        this.start = start;
        Arrays.fill(classWeight, 1.0);
    }

    FusionModel run() {
        int[][] split = trainCount >= 0 ? new int[][] {range(trainCount), range(trainCount, y.length - trainCount)}
                : cfg.validationSplit > 0
                ? PackedExamples.stratifiedSplit(y, cfg.validationSplit, SeededInit.derive(cfg.seed, "split"))
                : new int[][] {range(y.length), new int[0]};
        int[] train = split[0];
        int[] val = split[1];
        if (cfg.classWeights) {
            int[] counts = new int[classes.size()];
            for (int i : train) {
                counts[y[i]]++;
            }
            for (int c = 0; c < counts.length; c++) {
                classWeight[c] = counts[c] == 0 ? 0 : (double) train.length / (classes.size() * counts[c]);
            }
        }
        DescribedSpec described = SpecCodec.describe(cfg.spec);
        NdFusionStrategy strategy = bind();
        HeadShape shape;
        Map<String, float[]> init;
        PackedBatch all;
        PackedBatch raw;
        FillVectors fills;
        try {
            int inputs = dimensions.values().stream().mapToInt(Integer::intValue).sum();
            int[] hidden = cfg.hiddenLayersFor(Math.min(strategy.outputDimension(), inputs), classes.size());
            checkSize(strategy, cfg.inputSkip() ? inputs : 0, hidden[0]);
            shape = new HeadShape(Arrays.stream(hidden).boxed().toList(), cfg.activation, cfg.auxiliaryHeads,
                    cfg.inputSkip(), false);
            all = strategy.layout().pack(records, strategy.normalizesInputs());
            raw = shape.auxiliaryHeads() && strategy.normalizesInputs() ? strategy.layout().pack(records, false) : all;
            init = initialHead(strategy, shape, all, train);
            if (shape.auxiliaryHeads()) {
                // with trust weights the heads see the training split only until the gate is fitted, as the
                // network does, so that the validation records are new to every expert when the weights are
                // fitted; they are fitted again on every record afterwards
                init.putAll(UnimodalHeads.fit(strategy.layout(), raw, trusted(shape, val) ? train : range(y.length),
                        y, classes, cfg.seed));
            }
            fills = FillVectors.of(described.kind(), strategy, init);
        } catch (RuntimeException e) {
            strategy.close();
            throw e;
        }
        cfg.listener.onStart(train.length, val.length, classes.size());
        Map<String, float[]> best;
        EpochMetrics bestMetrics;
        int epochsRun;
        Engine.getEngine(NdFusionStrategy.ENGINE).setRandomSeed((int) SeededInit.derive(cfg.seed, "engine"));
        try (FusionNetwork net = new FusionNetwork(strategy, shape, classes.size(), init)) {
            Loop loop = new Loop(net, all, raw, train, val, fills);
            loop.run();
            best = loop.best;
            bestMetrics = loop.bestMetrics;
            epochsRun = loop.epochsRun;
        }
        best.keySet().removeIf(name -> name.startsWith(FusionNetwork.AUX)); // training-only: never saved
        boolean trust = trusted(shape, val);
        if (trust) {
            TrainingSummary provisional = TrainingSummary.of(epochsRun, bestMetrics, train.length, val.length, 0);
            best.putAll(trustArrays(header(described, shape, provisional), best, all, raw, train, val));
            // the gate is fitted: now the heads learn from the validation records too, as they do without trust
            // weights, so that a record with one modality (which the head of that modality answers alone) loses
            // nothing against a linear probe on every example
            best.putAll(UnimodalHeads.fit(ModalityLayout.of(dimensions), raw, range(y.length), y, classes,
                    cfg.seed));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TrainingSummary summary = TrainingSummary.of(epochsRun, bestMetrics, train.length, val.length, seconds);
        FusionModel model = FusionModel.create(header(described, shape.withTrustWeights(trust), summary), best);
        cfg.listener.onEnd(summary);
        return model;
    }

    private ModelHeader header(DescribedSpec described, HeadShape shape, TrainingSummary summary) {
        return new ModelHeader(ModelHeader.FORMAT_VERSION, ModelHeader.currentLibraryVersion(), described.kind(),
                described.settings(), dimensions, encoderIds(), classes, shape, trainingSettings(), summary);
    }

    /** Whether this fit ends with trust weights: asked for, unimodal heads, two or more modalities, validation. */
    private boolean trusted(HeadShape shape, int[] val) {
        return cfg.trustWeights && shape.auxiliaryHeads() && dimensions.size() > 1 && val.length > 0;
    }

    /**
     * Fits the {@link TrustWeights}: the trained network ({@code best}, unimodal heads from the training split)
     * answers the validation records with two or more modalities, then the gate is fitted on their labels.
     */
    private Map<String, float[]> trustArrays(ModelHeader header, Map<String, float[]> best, PackedBatch all,
            PackedBatch raw, int[] train, int[] val) {
        int c = classes.size();
        int count = dimensions.size();
        int[] rows = Arrays.stream(val).filter(i -> presentCount(all, i) > 1).toArray();
        ModalityLayout layout = ModalityLayout.of(dimensions);
        Map<String, float[]> stats = TrustWeights.statistics(layout, raw, train, rows);
        Map<String, float[]> values = new LinkedHashMap<>(stats);
        values.put(TrustWeights.GATE, new float[(count + 1) * (count + 1)]);
        TrustWeights typicality = TrustWeights.of(layout, values);
        double[][][] logProbs = new double[rows.length][][];
        double[][] z = new double[rows.length][];
        boolean[][] present = new boolean[rows.length][];
        int[] labels = new int[rows.length];
        try (FusionModel model = FusionModel.create(header, best)) {
            for (int s = 0; s < rows.length; s += CHUNK) {
                int[] chunk = Arrays.copyOfRange(rows, s, Math.min(rows.length, s + CHUNK));
                PackedBatch batch = PackedExamples.gather(all, chunk);
                PackedBatch rawBatch = raw == all ? batch : PackedExamples.gather(raw, chunk);
                FusionNetwork.Outputs out = model.infer(batch, rawBatch);
                for (int r = 0; r < chunk.length; r++) {
                    int i = s + r;
                    labels[i] = y[chunk[r]];
                    z[i] = typicality.atypicalities(rawBatch, r);
                    present[i] = new boolean[count];
                    logProbs[i] = new double[count + 1][];
                    logProbs[i][0] = TrustWeights.logSoftmax(out.logits(), r * c, c);
                    for (int m = 0; m < count; m++) {
                        present[i][m] = batch.present(r, m);
                        if (present[i][m]) {
                            logProbs[i][m + 1] = TrustWeights.logSoftmax(out.unimodalLogits()[m], r * c, c);
                        }
                    }
                }
            }
        }
        values.put(TrustWeights.GATE, TrustWeights.fitGate(logProbs, z, present, labels, count, c));
        return values;
    }

    private static int presentCount(PackedBatch batch, int row) {
        int n = 0;
        for (int m = 0; m < batch.inputs().length; m++) {
            if (batch.present(row, m)) {
                n++;
            }
        }
        return n;
    }

    private NdFusionStrategy bind() {
        FusionStrategy bound = cfg.spec.bind(dimensions);
        if (bound instanceof NdFusionStrategy nd) {
            return nd;
        }
        if (bound instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing to report: the strategy is refused anyway
            }
        }
        throw new InvalidInputException("Strategy " + cfg.spec + " is not trainable: use a spec from Fusions");
    }

    private static void checkSize(NdFusionStrategy strategy, int skip, int firstHidden) {
        long weights = ((long) strategy.outputDimension() + skip) * firstHidden;
        if (weights > FusionTrainer.MAX_FIRST_LAYER_WEIGHTS) {
            throw new InvalidInputException("The strategy outputs " + strategy.outputDimension() + " dimensions"
                    + (skip > 0 ? " (+ " + skip + " of the input skip)" : "") + ";"
                    + " a first hidden layer of " + firstHidden + " would hold " + weights + " weights, above the"
                    + " limit of " + FusionTrainer.MAX_FIRST_LAYER_WEIGHTS + ": train a smaller strategy (e.g."
                    + " Fusions.bilinear().compact(4096) or .lowRank(512) instead of full()) or a narrower first layer");
        }
    }

    private Map<Modality, String> encoderIds() {
        return EncoderSettings.idsFor(dimensions.keySet(), cfg.encoderIds);
    }

    private Map<String, String> trainingSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dropout", String.valueOf(cfg.dropout));
        s.put("inputDropout", String.valueOf(cfg.inputDropout));
        s.put("labelSmoothing", String.valueOf(cfg.labelSmoothing));
        s.put("epochs", String.valueOf(cfg.epochs));
        s.put("batchSize", String.valueOf(cfg.batchSize));
        s.put("learningRate", String.valueOf(cfg.learningRate));
        s.put("weightDecay", String.valueOf(cfg.weightDecay));
        s.put("validationSplit", String.valueOf(cfg.validationSplit));
        s.put("earlyStopping", String.valueOf(cfg.patience));
        s.put("modalityDropout", String.valueOf(cfg.modalityDropout));
        s.put("classWeights", String.valueOf(cfg.classWeights));
        s.put("auxiliaryLossWeight", String.valueOf(cfg.auxiliaryLossWeight));
        s.put("trustWeights", String.valueOf(cfg.trustWeights));
        s.put("seed", String.valueOf(cfg.seed));
        return s;
    }

    /**
     * The initial head: standardisation statistics of the initial strategy's output (and of each modality's
     * packed input for the input skip) on the training split; He-normal hidden weights, {@code N(0, 1/fan_in)}
     * output weights, zero biases, all seeded by name. The unimodal heads are fitted separately.
     */
    private Map<String, float[]> initialHead(NdFusionStrategy strategy, HeadShape shape, PackedBatch packed,
            int[] train) {
        Map<String, float[]> v = new LinkedHashMap<>();
        int fused = strategy.outputDimension();
        double[][] stats = new double[2][fused];
        int n = 0;
        for (int s = 0; s < train.length; s += CHUNK) {
            List<ModalityEmbeddings> chunk = new ArrayList<>();
            for (int i = s; i < Math.min(train.length, s + CHUNK); i++) {
                chunk.add(records.get(train[i]));
            }
            for (dev.fusion4j.api.Embedding e : strategy.fuseAll(chunk)) {
                float[] z = e.toArray();
                n++;
                welford(stats, z, 0, n);
            }
        }
        putStats(v, "standardize.", stats, n);
        boolean auxiliaryLoss = cfg.auxiliaryLossWeight > 0;
        if (shape.inputSkip() || auxiliaryLoss) {
            for (int m = 0; m < strategy.layout().count(); m++) {
                int d = strategy.layout().dimension(m);
                double[][] s = new double[2][d];
                int k = 0;
                for (int i : train) {
                    if (packed.present(i, m)) {
                        welford(s, packed.inputs()[m], i * d, ++k);
                    }
                }
                if (shape.inputSkip()) {
                    putStats(v, "skip." + strategy.layout().modalities().get(m).name() + ".", s, k);
                }
                if (auxiliaryLoss) {
                    // the training-only auxiliary path: standardised input -> one hidden layer (He-normal)
                    String p = FusionNetwork.AUX + strategy.layout().modalities().get(m).name() + ".";
                    putStats(v, p, s, k);
                    int h = shape.embeddingDimension();
                    v.put(p + "weight", SeededInit.gaussian(SeededInit.derive(cfg.seed, "head", p + "weight"), h * d,
                            Math.sqrt(2.0 / d)));
                    v.put(p + "bias", new float[h]);
                }
            }
        }
        FusionNetwork.headShapes(strategy.layout(), shape, fused, classes.size()).forEach((name, s) -> {
            if (v.containsKey(name) || name.startsWith(FusionNetwork.UNIMODAL)) {
                return;
            }
            int size = (int) s.size();
            if (name.endsWith(".bias") || name.equals("skip.gate")) {
                v.put(name, new float[size]);
            } else {
                double fanIn = s.get(1);
                double std = name.startsWith("output.") ? Math.sqrt(1 / fanIn) : Math.sqrt(2 / fanIn);
                v.put(name, SeededInit.gaussian(SeededInit.derive(cfg.seed, "head", name), size, std));
            }
        });
        return v;
    }

    /** Welford update of running mean ({@code s[0]}) and sum of squared deviations ({@code s[1]}) with row {@code n}. */
    static void welford(double[][] s, float[] x, int offset, int n) {
        for (int j = 0; j < s[0].length; j++) {
            double delta = x[offset + j] - s[0][j];
            s[0][j] += delta / n;
            s[1][j] += delta * (x[offset + j] - s[0][j]);
        }
    }

    /**
     * Mean and inverse scale {@code 1 / sqrt(var + ε)}, with {@code ε = 1e-4 · mean variance + 1e-12} so that
     * near-constant features are not blown up.
     */
    static void putStats(Map<String, float[]> v, String prefix, double[][] s, int n) {
        int d = s[0].length;
        double[] var = new double[d];
        double meanVar = 0;
        for (int j = 0; j < d; j++) {
            var[j] = n > 0 ? s[1][j] / n : 0;
            meanVar += var[j] / d;
        }
        double eps = 1e-4 * meanVar + 1e-12;
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) s[0][j];
            scale[j] = (float) (1 / Math.sqrt(var[j] + eps));
        }
        v.put(prefix + "mean", mean);
        v.put(prefix + "scale", scale);
    }

    private static int[] range(int n) {
        return range(0, n);
    }

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** The epoch loop over one network. */
    private final class Loop {
        private final FusionNetwork net;
        private final PackedBatch all;
        private final PackedBatch raw;
        private final int[] train;
        private final int[] val;
        private final Map<String, NDArray> trainable = new LinkedHashMap<>();
        private final Optimizer decayed;
        private final Optimizer plain;
        private final SplittableRandom random;
        private final FillVectors fills;
        /** Per record, the unimodal head's prediction where exactly one modality is present, else -1. */
        private final int[] unimodalPrediction;
        Map<String, float[]> best;
        EpochMetrics bestMetrics;
        int epochsRun;

        Loop(FusionNetwork net, PackedBatch all, PackedBatch raw, int[] train, int[] val, FillVectors fills) {
            this.net = net;
            this.raw = raw;
            this.fills = fills;
            this.all = all;
            this.train = train;
            this.val = val;
            net.arrays().forEach((name, a) -> {
                if (!FusionNetwork.isFixed(name) || name.startsWith(FusionNetwork.STRATEGY)) {
                    a.setRequiresGradient(true);
                    trainable.put(name, a);
                }
            });
            Tracker lr = Tracker.fixed((float) cfg.learningRate);
            this.decayed = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays((float) cfg.weightDecay).build();
            this.plain = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(0f).build();
            this.random = new SplittableRandom(SeededInit.derive(cfg.seed, "batches"));
            this.unimodalPrediction = new int[all.size()];
            Arrays.fill(unimodalPrediction, -1);
            for (int s = 0; s < all.size(); s += CHUNK) {
                int[] chunk = range(s, Math.min(CHUNK, all.size() - s));
                PackedBatch batch = PackedExamples.gather(all, chunk);
                FusionNetwork.Outputs out = null;
                for (int r = 0; r < chunk.length; r++) {
                    int route = net.route(batch, r);
                    if (route >= 0) {
                        out = out != null ? out : net.infer(batch, rawRows(batch, chunk));
                        unimodalPrediction[chunk[r]] = argmax(out.unimodalLogits()[route], r * classes.size(),
                                classes.size());
                    }
                }
            }
        }

        /** The rows {@code rows} (already gathered from the fused packing as {@code batch}) packed as given. */
        private PackedBatch rawRows(PackedBatch batch, int[] rows) {
            return raw == all ? batch : PackedExamples.gather(raw, rows);
        }

        void run() {
            int[] order = train.clone();
            double bestLoss = Double.POSITIVE_INFINITY;
            int since = 0;
            for (int epoch = 1; epoch <= cfg.epochs; epoch++) {
                long t0 = System.nanoTime();
                PackedExamples.shuffle(order, random);
                double lossSum = 0;
                List<String> actual = new ArrayList<>(order.length);
                List<String> predicted = new ArrayList<>(order.length);
                for (int s = 0; s < order.length; s += cfg.batchSize) {
                    int[] rows = Arrays.copyOfRange(order, s, Math.min(order.length, s + cfg.batchSize));
                    lossSum += step(rows, actual, predicted) * rows.length;
                }
                double[] v = val.length > 0 ? evaluate(val) : new double[] {Double.NaN, Double.NaN, Double.NaN};
                EpochMetrics metrics = new EpochMetrics(epoch, lossSum / order.length,
                        Metrics.accuracy(actual, predicted), Metrics.macroF1(actual, predicted), v[0], v[1], v[2],
                        (System.nanoTime() - t0) / 1e9);
                epochsRun = epoch;
                cfg.listener.onEpoch(metrics);
                if (val.length == 0) {
                    bestMetrics = metrics;
                    continue;
                }
                if (metrics.valLoss() < bestLoss) {
                    bestLoss = metrics.valLoss();
                    bestMetrics = metrics;
                    best = net.snapshot();
                    since = 0;
                } else if (++since >= cfg.patience) {
                    break;
                }
            }
            if (best == null) {
                best = net.snapshot();
            }
        }

        /** One gradient step on {@code rows}; returns the batch objective and records routed predictions. */
        private double step(int[] rows, List<String> actual, List<String> predicted) {
            PackedBatch batch = PackedExamples.gather(all, rows);
            PackedBatch dropped = PackedExamples.dropModalities(batch, cfg.modalityDropout, random);
            int b = rows.length;
            int c = classes.size();
            float loss;
            float[] fusedLogits;
            try (NDScope scope = new NDScope(); NDManager m = net.newBatchManager()) {
                scope.suppressNotUsedWarning();
                NDList droppedInputs = net.inputs(m, dropped);
                float[] onehot = new float[b * c];
                float[] weights = new float[b];
                float off = (float) (cfg.labelSmoothing / c);
                for (int r = 0; r < b; r++) {
                    Arrays.fill(onehot, r * c, (r + 1) * c, off);
                    onehot[r * c + y[rows[r]]] = (float) (1 - cfg.labelSmoothing) + off;
                    weights[r] = (float) classWeight[y[rows[r]]];
                }
                NDArray target = m.create(onehot, new Shape(b, c));
                UnaryOperator<NDArray> dropout = dropout(m, cfg.dropout);
                UnaryOperator<NDArray> inputDropout = dropout(m, cfg.inputDropout);
                COLLECTOR.lock();
                try (GradientCollector collector = Engine.getEngine(NdFusionStrategy.ENGINE).newGradientCollector()) {
                    NDArray[] fused = net.fused(new ParameterStore(m, false), droppedInputs, true, inputDropout,
                            dropout);
                    NDArray objective = weightedCrossEntropy(fused[1], target, m, weights);
                    if (net.hasAuxiliaryPaths()) {
                        NDList inputs = dropped == batch ? droppedInputs : net.inputs(m, batch);
                        for (int i = 0; i < net.layout().count(); i++) {
                            float[] w = new float[b];
                            for (int r = 0; r < b; r++) {
                                w[r] = batch.present(r, i) ? weights[r] : 0f;
                            }
                            NDArray[] auxOut = net.auxiliary(i, inputs.get(i), dropout);
                            objective = objective.add(Scalars.mul(weightedCrossEntropy(auxOut[1], target, m, w),
                                    (float) cfg.auxiliaryLossWeight));
                        }
                    }
                    collector.backward(objective);
                    loss = objective.getFloat();
                    fusedLogits = fused[1].toFloatArray();
                } finally {
                    COLLECTOR.unlock();
                }
            }
            update();
            for (int r = 0; r < b; r++) {
                int unimodal = unimodalPrediction[rows[r]];
                actual.add(classes.get(y[rows[r]]));
                predicted.add(classes.get(unimodal >= 0 ? unimodal : argmax(fusedLogits, r * c, c)));
            }
            return loss;
        }

        /** AdamW step on every trained array (fill vectors in standardised units), then zeroes its gradient. */
        private void update() {
            trainable.forEach((name, array) -> {
                try (NDArray grad = array.getGradient()) {
                    float[] before = fills.contains(name) ? array.toFloatArray() : null;
                    (net.decays(name) ? decayed : plain).update(name, array, grad);
                    if (before != null) {
                        fills.rescaleStep(name, array, before);
                    }
                    grad.subi(grad);
                }
            });
        }

        /** Dropout with masks drawn in Java from the run's random stream; identity when the rate is 0. */
        private UnaryOperator<NDArray> dropout(NDManager m, double rate) {
            if (rate <= 0) {
                return UnaryOperator.identity();
            }
            float keep = (float) (1 / (1 - rate));
            return h -> {
                float[] mask = new float[(int) h.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = random.nextDouble() < rate ? 0f : keep;
                }
                return h.mul(m.create(mask, h.getShape()));
            };
        }

        /** Validation: {objective, accuracy, macro-F1} in inference mode, computed in Java from the logits. */
        private double[] evaluate(int[] rows) {
            int c = classes.size();
            double objective = 0;
            double weightSum = 0;
            List<String> actual = new ArrayList<>(rows.length);
            List<String> predicted = new ArrayList<>(rows.length);
            for (int s = 0; s < rows.length; s += CHUNK) {
                int[] chunk = Arrays.copyOfRange(rows, s, Math.min(rows.length, s + CHUNK));
                PackedBatch batch = PackedExamples.gather(all, chunk);
                FusionNetwork.Outputs out = net.infer(batch, rawRows(batch, chunk));
                for (int r = 0; r < chunk.length; r++) {
                    int label = y[chunk[r]];
                    double w = classWeight[label];
                    objective += w * crossEntropy(out.logits(), r * c, c, label);
                    weightSum += w;
                    int unimodal = unimodalPrediction[chunk[r]];
                    actual.add(classes.get(label));
                    predicted.add(classes.get(unimodal >= 0 ? unimodal : argmax(out.logits(), r * c, c)));
                }
            }
            double loss = objective / weightSum;
            return new double[] {loss, Metrics.accuracy(actual, predicted), Metrics.macroF1(actual, predicted)};
        }
    }

    /** {@code Σ_i w_i CE_i / Σ_i w_i} as a native scalar (0 when every weight is 0). */
    private static NDArray weightedCrossEntropy(NDArray logits, NDArray target, NDManager m, float[] weights) {
        double sum = 0;
        for (float w : weights) {
            sum += w;
        }
        NDArray ce = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg();
        return Scalars.div(ce.mul(m.create(weights)).sum(), (float) Math.max(sum, 1e-12));
    }

    /** {@code -log softmax(logits)[label]} in double. */
    static double crossEntropy(float[] logits, int offset, int c, int label) {
        return -TrustWeights.logSoftmax(logits, offset, c)[label];
    }

    /** Index of the largest of {@code c} values from {@code offset} (first on ties). */
    static int argmax(float[] v, int offset, int c) {
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (v[offset + j] > v[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
