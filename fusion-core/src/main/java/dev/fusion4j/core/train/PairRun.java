package dev.fusion4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
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

/**
 * One {@link PairTrainer#fit}: split, standardisation statistics, initialisation, the epoch loop on the PyTorch
 * engine, early stopping on the validation objective, and the final {@link PairModel}.
 */
final class PairRun {
    /** The logit scale {@code exp(t)} is clamped to [1/100, 100] (CLIP clamps at 100). */
    static final float MIN_LOG_SCALE = (float) Math.log(0.01);
    static final float MAX_LOG_SCALE = (float) Math.log(100);
    /** Masked logits of a record that is not a valid pair in the batch. */
    private static final float EXCLUDED = -1e4f;

    private final PairTrainer cfg;
    private final ModalityLayout layout;
    private final List<ModalityEmbeddings> records;
    private final long start;
    private final int count;

    PairRun(PairTrainer cfg, Map<Modality, Integer> dimensions, List<ModalityEmbeddings> records, long start) {
        this.cfg = cfg;
        this.layout = ModalityLayout.of(dimensions);
        this.records = records;
        this.start = start;
        this.count = layout.count();
    }

    PairModel run() {
        PackedBatch all = layout.pack(records, true);
        int[][] split = split(all.size());
        int[] train = split[0];
        int[] val = split[1];
        Map<String, float[]> init = initialise(all, train);
        cfg.listener.onStart(train.length, val.length);
        Loop loop = new Loop(all, train, val, init);
        try {
            loop.run();
        } finally {
            loop.close();
        }
        Map<String, float[]> kept = new LinkedHashMap<>(loop.best);
        kept.keySet().removeIf(n -> n.startsWith(PairModel.DECODER)); // training-only
        PairEpochMetrics b = loop.bestMetrics;
        PairSummary summary = new PairSummary(loop.epochsRun, b.epoch(), b.trainLoss(), b.valLoss(), b.valRecallAt1(),
                b.logitScale(), train.length, val.length, (System.nanoTime() - start) / 1e9);
        PairHeader header = new PairHeader(PairHeader.FORMAT_VERSION, ModelHeader.currentLibraryVersion(),
                cfg.objective, layout.dimensions(), encoderIds(), cfg.dimension,
                Arrays.stream(cfg.hiddenLayers).boxed().toList(), cfg.activation, settings(), summary);
        PairModel model = PairModel.create(header, kept);
        cfg.listener.onEnd(summary);
        return model;
    }

    /** A seeded random split: {train, validation}; at least 2 validation records when there is a split at all. */
    private int[][] split(int n) {
        int[] order = dev.fusion4j.core.internal.Dense.range(n);
        if (cfg.validationSplit <= 0) {
            return new int[][] {order, new int[0]};
        }
        PackedExamples.shuffle(order, new SplittableRandom(SeededInit.derive(cfg.seed, "pairs", "split")));
        int v = Math.max(2, (int) Math.round(n * cfg.validationSplit));
        int[] val = Arrays.copyOfRange(order, 0, v);
        int[] train = Arrays.copyOfRange(order, v, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new int[][] {train, val};
    }

    private Map<Modality, String> encoderIds() {
        return EncoderSettings.idsFor(layout.modalities(), cfg.encoderIds);
    }

    private Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("epochs", String.valueOf(cfg.epochs));
        s.put("batchSize", String.valueOf(cfg.batchSize));
        s.put("learningRate", String.valueOf(cfg.learningRate));
        s.put("weightDecay", String.valueOf(cfg.weightDecay));
        s.put("modalityMasking", String.valueOf(cfg.modalityMasking));
        s.put("inputDropout", String.valueOf(cfg.inputDropout));
        s.put("temperature", String.valueOf(cfg.temperature));
        s.put("contrastiveWeight", String.valueOf(cfg.contrastiveWeight));
        s.put("validationSplit", String.valueOf(cfg.validationSplit));
        s.put("earlyStopping", String.valueOf(cfg.patience));
        s.put("seed", String.valueOf(cfg.seed));
        return s;
    }

    /**
     * Standardisation statistics of each modality on the training records that have it; towers and decoders
     * He-normal (hidden) and {@code N(0, 1/fan_in)} (projection, decoder output), biases 0, all seeded by name;
     * the log logit scale at {@code ln(1/τ)}.
     */
    private Map<String, float[]> initialise(PackedBatch all, int[] train) {
        Map<String, float[]> v = new LinkedHashMap<>();
        PairModel.shapes(layout, cfg.dimension, cfg.hiddenLayers).forEach((name, s) -> v.put(name, null));
        for (int m = 0; m < count; m++) {
            int d = layout.dimension(m);
            double[][] stats = new double[2][d];
            int k = 0;
            for (int i : train) {
                if (all.present(i, m)) {
                    TrainingRun.welford(stats, all.inputs()[m], i * d, ++k);
                }
            }
            TrainingRun.putStats(v, PairModel.prefix(layout, m), stats, k);
        }
        Map<String, Shape> shapes = new LinkedHashMap<>(PairModel.shapes(layout, cfg.dimension, cfg.hiddenLayers));
        if (cfg.objective.reconstructs()) {
            shapes.putAll(decoderShapes());
        }
        shapes.forEach((name, s) -> {
            if (v.get(name) != null) {
                return;
            }
            int size = (int) s.size();
            if (name.equals(PairModel.LOG_SCALE)) {
                v.put(name, new float[] {(float) Math.log(1 / cfg.temperature)});
            } else if (name.endsWith(".bias")) {
                v.put(name, new float[size]);
            } else {
                double fanIn = s.get(1);
                boolean linearOut = name.contains(".projection.") || name.contains(".output.");
                v.put(name, SeededInit.gaussian(SeededInit.derive(cfg.seed, "pairs", name), size,
                        Math.sqrt((linearOut ? 1 : 2) / fanIn)));
            }
        });
        return v;
    }

    /** The training-only decoders: code D → the hidden widths reversed → d_m. */
    private Map<String, Shape> decoderShapes() {
        Map<String, Shape> s = new LinkedHashMap<>();
        for (int m = 0; m < count; m++) {
            String p = PairModel.DECODER + layout.modalities().get(m).name() + ".";
            int in = cfg.dimension;
            for (int l = cfg.hiddenLayers.length - 1, j = 0; l >= 0; l--, j++) {
                s.put(p + "hidden" + j + ".weight", new Shape(cfg.hiddenLayers[l], in));
                s.put(p + "hidden" + j + ".bias", new Shape(cfg.hiddenLayers[l]));
                in = cfg.hiddenLayers[l];
            }
            s.put(p + "output.weight", new Shape(layout.dimension(m), in));
            s.put(p + "output.bias", new Shape(layout.dimension(m)));
        }
        return s;
    }

    /** The epoch loop over the parameters as native arrays. */
    private final class Loop implements AutoCloseable {
        private final PackedBatch all;
        private final int[] train;
        private final int[] val;
        private final NDManager manager = NDManager.newBaseManager(NdFusionStrategy.ENGINE);
        private final Map<String, NDArray> params = new LinkedHashMap<>();
        private final Map<String, NDArray> trainable = new LinkedHashMap<>();
        private final Optimizer decayed;
        private final Optimizer plain;
        private final SplittableRandom random;
        Map<String, float[]> best;
        PairEpochMetrics bestMetrics;
        int epochsRun;

        Loop(PackedBatch all, int[] train, int[] val, Map<String, float[]> init) {
            this.all = all;
            this.train = train;
            this.val = val;
            Map<String, Shape> shapes = new LinkedHashMap<>(PairModel.shapes(layout, cfg.dimension, cfg.hiddenLayers));
            if (cfg.objective.reconstructs()) {
                shapes.putAll(decoderShapes());
            }
            shapes.forEach((name, s) -> {
                NDArray a = manager.create(init.get(name), s);
                params.put(name, a);
                boolean fixed = name.endsWith(".mean") || name.endsWith(".scale")
                        || (name.equals(PairModel.LOG_SCALE) && !cfg.objective.contrasts());
                if (!fixed) {
                    a.setRequiresGradient(true);
                    trainable.put(name, a);
                }
            });
            Tracker lr = Tracker.fixed((float) cfg.learningRate);
            this.decayed = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays((float) cfg.weightDecay).build();
            this.plain = Optimizer.adamW().optLearningRateTracker(lr).optWeightDecays(0f).build();
            this.random = new SplittableRandom(SeededInit.derive(cfg.seed, "pairs", "batches"));
        }

        void run() {
            int[] order = train.clone();
            double bestLoss = Double.POSITIVE_INFINITY;
            int since = 0;
            for (int epoch = 1; epoch <= cfg.epochs; epoch++) {
                long t0 = System.nanoTime();
                PackedExamples.shuffle(order, random);
                double[] sums = new double[3];
                int steps = 0;
                for (int s = 0; s < order.length; s += cfg.batchSize) {
                    int[] rows = Arrays.copyOfRange(order, s, Math.min(order.length, s + cfg.batchSize));
                    if (rows.length < 2 && steps > 0) {
                        continue; // a lone record has no negatives; it is in the next epoch's batches
                    }
                    double[] l = step(rows);
                    for (int j = 0; j < 3; j++) {
                        sums[j] += l[j] * rows.length;
                    }
                    steps += rows.length;
                }
                double[] v = val.length > 0 ? validate() : new double[] {Double.NaN, Double.NaN};
                PairEpochMetrics metrics = new PairEpochMetrics(epoch, sums[0] / steps, sums[1] / steps,
                        sums[2] / steps, v[0], v[1], Math.exp(params.get(PairModel.LOG_SCALE).getFloat()),
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
                    best = snapshot();
                    since = 0;
                } else if (++since >= cfg.patience) {
                    break;
                }
            }
            if (best == null) {
                best = snapshot();
            }
        }

        private Map<String, float[]> snapshot() {
            Map<String, float[]> values = new LinkedHashMap<>();
            params.forEach((n, a) -> values.put(n, a.toFloatArray()));
            return values;
        }

        /** One gradient step; returns {objective, reconstruction term, contrastive term}. */
        private double[] step(int[] rows) {
            PackedBatch batch = PackedExamples.gather(all, rows);
            float[] keep = mask(batch);
            double[] out = new double[3];
            try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                TrainingRun.COLLECTOR.lock();
                try (GradientCollector collector = Engine.getEngine(NdFusionStrategy.ENGINE).newGradientCollector()) {
                    NDArray[] loss = objective(m, batch, keep, true);
                    collector.backward(loss[0]);
                    for (int j = 0; j < 3; j++) {
                        out[j] = loss[j] == null ? 0 : loss[j].getFloat();
                    }
                } finally {
                    TrainingRun.COLLECTOR.unlock();
                }
            }
            update();
            return out;
        }

        /** The modalities the code sees: the record's, or with probability p only one of them. */
        private float[] mask(PackedBatch batch) {
            float[] keep = batch.mask().clone();
            if (cfg.modalityMasking <= 0) {
                return keep;
            }
            int[] present = new int[count];
            for (int r = 0; r < batch.size(); r++) {
                int n = 0;
                for (int j = 0; j < count; j++) {
                    if (batch.present(r, j)) {
                        present[n++] = j;
                    }
                }
                if (n >= 2 && random.nextDouble() < cfg.modalityMasking) {
                    int kept = present[random.nextInt(n)];
                    for (int j = 0; j < count; j++) {
                        keep[r * count + j] = j == kept ? 1f : 0f;
                    }
                }
            }
            return keep;
        }

        /** {objective, reconstruction term or null, contrastive term or null} of one batch. */
        private NDArray[] objective(NDManager m, PackedBatch batch, float[] keep, boolean training) {
            int b = batch.size();
            NDArray[] u = new NDArray[count];
            NDArray[] target = new NDArray[count];
            for (int j = 0; j < count; j++) {
                String p = PairModel.prefix(layout, j);
                NDArray x = m.create(batch.inputs()[j], new Shape(b, layout.dimension(j)));
                target[j] = x.sub(params.get(p + "mean")).mul(params.get(p + "scale"));
                NDArray h = training && cfg.inputDropout > 0 ? target[j].mul(dropoutMask(m, target[j].getShape()))
                        : target[j];
                for (int l = 0; l < cfg.hiddenLayers.length; l++) {
                    h = cfg.activation.apply(Linear.linear(h, params.get(p + "hidden" + l + ".weight"),
                            params.get(p + "hidden" + l + ".bias")).head());
                }
                NDArray proj = Linear.linear(h, params.get(p + "projection.weight"),
                        params.get(p + "projection.bias")).head();
                u[j] = proj.div(proj.mul(proj).sum(new int[] {1}, true).add(1e-12f).sqrt());
            }
            NDArray rec = cfg.objective.reconstructs() ? reconstruction(m, batch, keep, u, target) : null;
            NDArray con = cfg.objective.contrasts() ? contrastive(m, batch, u) : null;
            NDArray total = rec == null ? Scalars.mul(con, 1f)
                    : con == null ? rec : rec.add(Scalars.mul(con, (float) cfg.contrastiveWeight));
            return new NDArray[] {total, rec, con};
        }

        /** Inverted-dropout mask drawn in Java from the run's random stream (the towers' input noise). */
        private NDArray dropoutMask(NDManager m, Shape shape) {
            float keep = (float) (1 / (1 - cfg.inputDropout));
            float[] mask = new float[(int) shape.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < cfg.inputDropout ? 0f : keep;
            }
            return m.create(mask, shape);
        }

        private NDArray reconstruction(NDManager m, PackedBatch batch, float[] keep, NDArray[] u, NDArray[] target) {
            int b = batch.size();
            float[] denominator = new float[b];
            NDArray sum = null;
            for (int j = 0; j < count; j++) {
                float[] k = new float[b];
                for (int r = 0; r < b; r++) {
                    k[r] = keep[r * count + j];
                    denominator[r] += k[r];
                }
                NDArray part = u[j].mul(m.create(k, new Shape(b, 1)));
                sum = sum == null ? part : sum.add(part);
            }
            float root = (float) Math.sqrt(cfg.dimension);
            for (int r = 0; r < b; r++) {
                denominator[r] = denominator[r] / root;
            }
            NDArray code = sum.div(m.create(denominator, new Shape(b, 1)));
            NDArray total = null;
            int terms = 0;
            for (int j = 0; j < count; j++) {
                float[] w = new float[b];
                int n = 0;
                for (int r = 0; r < b; r++) {
                    if (batch.present(r, j)) {
                        w[r] = 1f;
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                String p = PairModel.DECODER + layout.modalities().get(j).name() + ".";
                NDArray h = code;
                for (int l = 0; l < cfg.hiddenLayers.length; l++) {
                    h = cfg.activation.apply(Linear.linear(h, params.get(p + "hidden" + l + ".weight"),
                            params.get(p + "hidden" + l + ".bias")).head());
                }
                NDArray diff = Linear.linear(h, params.get(p + "output.weight"), params.get(p + "output.bias")).head()
                        .sub(target[j]);
                NDArray se = diff.mul(diff).mul(m.create(w, new Shape(b, 1))).sum();
                NDArray mse = Scalars.div(se, (float) n * layout.dimension(j));
                total = total == null ? mse : total.add(mse);
                terms++;
            }
            return Scalars.div(total, terms);
        }

        /** Symmetric InfoNCE, averaged over the modality pairs that have at least two records with both. */
        private NDArray contrastive(NDManager m, PackedBatch batch, NDArray[] u) {
            int b = batch.size();
            NDArray scale = params.get(PairModel.LOG_SCALE).exp();
            NDArray eye = m.eye(b);
            NDArray total = null;
            int pairs = 0;
            for (int a = 0; a < count; a++) {
                for (int c = a + 1; c < count; c++) {
                    float[] valid = new float[b];
                    float[] excluded = new float[b];
                    int n = 0;
                    for (int r = 0; r < b; r++) {
                        boolean both = batch.present(r, a) && batch.present(r, c);
                        valid[r] = both ? 1f : 0f;
                        excluded[r] = both ? 0f : EXCLUDED;
                        n += both ? 1 : 0;
                    }
                    if (n < 2) {
                        continue;
                    }
                    NDArray logits = u[a].matMul(u[c].transpose()).mul(scale);
                    NDArray columns = m.create(excluded, new Shape(1, b));
                    NDArray rows = m.create(valid);
                    NDArray forward = logits.add(columns).logSoftmax(1).mul(eye).sum(new int[] {1}).mul(rows).sum();
                    NDArray backward = logits.transpose().add(columns).logSoftmax(1).mul(eye).sum(new int[] {1})
                            .mul(rows).sum();
                    NDArray loss = Scalars.div(forward.add(backward).neg(), 2f * n);
                    total = total == null ? loss : total.add(loss);
                    pairs++;
                }
            }
            if (total == null) {
                return m.create(0f);
            }
            return Scalars.div(total, pairs);
        }

        /** AdamW step on every trained array, the logit scale clamped after it; gradients zeroed. */
        private void update() {
            trainable.forEach((name, array) -> {
                try (NDArray grad = array.getGradient()) {
                    (name.endsWith(".weight") ? decayed : plain).update(name, array, grad);
                    grad.subi(grad);
                }
            });
            NDArray t = params.get(PairModel.LOG_SCALE);
            float value = t.getFloat();
            if (value < MIN_LOG_SCALE || value > MAX_LOG_SCALE) {
                t.set(new float[] {Math.max(MIN_LOG_SCALE, Math.min(MAX_LOG_SCALE, value))});
            }
        }

        /**
         * {validation objective, recall@1 of modality 0 finding modality 1}: the objective over batch-sized chunks
         * in a fixed order, the reconstruction term averaged over the masks "as recorded" and each modality alone.
         */
        private double[] validate() {
            double loss = 0;
            int n = 0;
            List<float[]> first = new ArrayList<>();
            List<float[]> second = new ArrayList<>();
            for (int s = 0; s < val.length; s += cfg.batchSize) {
                int[] rows = Arrays.copyOfRange(val, s, Math.min(val.length, s + cfg.batchSize));
                PackedBatch batch = PackedExamples.gather(all, rows);
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    List<float[]> masks = new ArrayList<>();
                    masks.add(batch.mask());
                    if (cfg.objective.reconstructs()) {
                        for (int j = 0; j < count; j++) {
                            float[] only = new float[batch.mask().length];
                            for (int r = 0; r < batch.size(); r++) {
                                boolean any = batch.present(r, j);
                                for (int q = 0; q < count; q++) {
                                    only[r * count + q] = any ? (q == j ? 1f : 0f) : batch.mask()[r * count + q];
                                }
                            }
                            masks.add(only);
                        }
                    }
                    double sum = 0;
                    for (float[] k : masks) {
                        sum += objective(m, batch, k, false)[0].getFloat();
                    }
                    loss += sum / masks.size() * rows.length;
                    n += rows.length;
                    float[][] u = projections(m, batch);
                    int d = cfg.dimension;
                    for (int r = 0; r < rows.length; r++) {
                        if (batch.present(r, 0) && batch.present(r, 1)) {
                            first.add(Arrays.copyOfRange(u[0], r * d, (r + 1) * d));
                            second.add(Arrays.copyOfRange(u[1], r * d, (r + 1) * d));
                        }
                    }
                }
            }
            return new double[] {loss / n, recallAt1(first, second)};
        }

        private float[][] projections(NDManager m, PackedBatch batch) {
            float[][] out = new float[2][];
            for (int j = 0; j < 2; j++) {
                String p = PairModel.prefix(layout, j);
                NDArray h = m.create(batch.inputs()[j], new Shape(batch.size(), layout.dimension(j)))
                        .sub(params.get(p + "mean")).mul(params.get(p + "scale"));
                for (int l = 0; l < cfg.hiddenLayers.length; l++) {
                    h = cfg.activation.apply(Linear.linear(h, params.get(p + "hidden" + l + ".weight"),
                            params.get(p + "hidden" + l + ".bias")).head());
                }
                out[j] = Linear.linear(h, params.get(p + "projection.weight"), params.get(p + "projection.bias"))
                        .head().toFloatArray();
            }
            return out;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Share of {@code queries[i]} whose most similar (cosine) {@code targets} row is {@code targets[i]}. */
    static double recallAt1(List<float[]> queries, List<float[]> targets) {
        if (queries.isEmpty()) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i = 0; i < queries.size(); i++) {
            int bestJ = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < targets.size(); j++) {
                double s = cosine(queries.get(i), targets.get(j));
                if (s > bestScore) {
                    bestScore = s;
                    bestJ = j;
                }
            }
            hits += bestJ == i ? 1 : 0;
        }
        return (double) hits / queries.size();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += (double) a[k] * b[k];
            na += (double) a[k] * a[k];
            nb += (double) b[k] * b[k];
        }
        return dot / Math.sqrt(Math.max(na * nb, 1e-30));
    }
}
