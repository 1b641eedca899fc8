package dev.fusion4j.benchmarks;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Training throughput: one operation is one {@code FusionTrainer.fit} of {@code records} cached examples (text 384
 * + image 1280, {@code classes} classes) for exactly {@code epochs} epochs (no validation split, so no early
 * stopping), hidden layer 256, batch 32, AdamW 1e-3, the trainer's other defaults (dropout 0.5, auxiliary heads,
 * input skip). {@link BenchMain} prints records/s = records x epochs / median time.
 *
 * <p>{@code raw} is the baseline in the same run: a plain DJL training loop ({@code Trainer},
 * {@code GradientCollector}, Adam 1e-3) of the same-shape MLP on the concatenated inputs (1664 -> 256 -> ReLU ->
 * dropout 0.5 -> classes, softmax cross-entropy), same batch size, epochs and seeded shuffles, including building
 * and initialising the model, as fit does.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class TrainingBenchmark extends ShortRun {
    private static final int TEXT = 384;
    private static final int IMAGE = 1280;
    private static final int HIDDEN = 256;
    private static final int BATCH = 32;
    private static final float LEARNING_RATE = 1e-3f;

    @Param({"concat", "weightedSum", "attention", "compactBilinear", "lowRank512"})
    public String strategy;

    /** Examples per fit. */
    @Param({"1500"})
    public int records;

    /** Epochs per fit (every one runs: early stopping is off). */
    @Param({"2"})
    public int epochs;

    /** Number of labels. */
    @Param({"20"})
    public int classes;

    private List<TrainingExample> examples;
    private FusionTrainer trainer;
    /** The raw baseline's inputs: concatenated (text, image) rows and class indices. */
    private float[] inputs;
    private float[] labels;

    @Setup
    public void setUp() {
        examples = BenchData.trainingExamples(records, classes, TEXT, IMAGE);
        trainer = FusionTrainer.builder().strategy(Strategies.spec(strategy, TEXT, IMAGE)).hiddenLayers(HIDDEN)
                .batchSize(BATCH).learningRate(LEARNING_RATE).epochs(epochs).validationSplit(0).seed(7).build();
        Map<String, Integer> classIndex = new TreeMap<>();
        inputs = new float[records * (TEXT + IMAGE)];
        labels = new float[records];
        for (int i = 0; i < records; i++) {
            TrainingExample e = examples.get(i);
            Embedding text = e.embeddings().orElseThrow().get(Modality.TEXT).orElseThrow();
            Embedding image = e.embeddings().orElseThrow().get(Modality.IMAGE).orElseThrow();
            System.arraycopy(text.toArray(), 0, inputs, i * (TEXT + IMAGE), TEXT);
            System.arraycopy(image.toArray(), 0, inputs, i * (TEXT + IMAGE) + TEXT, IMAGE);
            labels[i] = classIndex.computeIfAbsent(e.label(), k -> classIndex.size());
        }
    }


    @Benchmark
    public int fusion4j() {
        try (FusionModel model = trainer.fit(examples)) {
            return model.labels().size();
        }
    }

    @Benchmark
    public float raw() {
        int width = TEXT + IMAGE;
        SequentialBlock mlp = new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(classes).build());
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build());
        float lastLoss = 0;
        try (Model model = Model.newInstance("raw-mlp", "PyTorch")) {
            model.setBlock(mlp);
            try (Trainer t = model.newTrainer(config)) {
                t.initialize(new Shape(BATCH, width));
                Random shuffle = new Random(7);
                int[] order = new int[records];
                for (int i = 0; i < records; i++) {
                    order[i] = i;
                }
                float[] x = new float[BATCH * width];
                float[] y = new float[BATCH];
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (int i = records - 1; i > 0; i--) {
                        int j = shuffle.nextInt(i + 1);
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                    }
                    for (int start = 0; start < records; start += BATCH) {
                        int n = Math.min(BATCH, records - start);
                        for (int k = 0; k < n; k++) {
                            System.arraycopy(inputs, order[start + k] * width, x, k * width, width);
                            y[k] = labels[order[start + k]];
                        }
                        try (NDManager step = t.getManager().newSubManager()) {
                            NDArray xs = step.create(x).reshape(BATCH, width).get("0:" + n);
                            NDArray ys = step.create(y).get("0:" + n);
                            try (GradientCollector collector = t.newGradientCollector()) {
                                NDList predictions = t.forward(new NDList(xs));
                                NDArray loss = t.getLoss().evaluate(new NDList(ys), predictions);
                                collector.backward(loss);
                                lastLoss = loss.getFloat();
                            }
                            t.step();
                        }
                    }
                }
            }
        }
        return lastLoss;
    }
}
