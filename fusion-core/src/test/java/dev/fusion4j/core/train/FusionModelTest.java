package dev.fusion4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.Fusions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FusionModelTest {
    private static List<TrainingExample> train;

    @BeforeAll
    static void data() {
        Synthetic.init();
        train = Synthetic.views(20, 4, 0.3, 0.3, 21);
    }

    private static FusionTrainer.Builder quick() {
        return FusionTrainer.builder().hiddenLayers(16).epochs(4).listener(TrainingListener.none());
    }

    @Test
    void rawExamplesAreEmbeddedOnceWithTheirEncoders() {
        Map<String, Embedding> texts = new HashMap<>();
        Map<ImageInput, Embedding> images = new HashMap<>();
        List<TrainingExample> raw = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            ModalityEmbeddings r = train.get(i).embeddings().orElseThrow();
            String text = "text " + i;
            ImageInput image = ImageInput.of(new byte[] {(byte) i, (byte) (i >> 8), 1});
            texts.put(text, r.get(Modality.TEXT).orElseThrow());
            images.put(image, r.get(Modality.IMAGE).orElseThrow());
            MultimodalInput input = i % 5 == 0 ? MultimodalInput.textOnly(text) : MultimodalInput.of(text, image);
            raw.add(TrainingExample.of(input, train.get(i).label()));
        }
        CountingEncoders.Text text = new CountingEncoders.Text(texts, 32);
        CountingEncoders.Image image = new CountingEncoders.Image(images, 48);
        List<String> progress = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEmbedding(Modality modality, int done, int total) {
                progress.add(modality + " " + done + "/" + total);
            }

            @Override
            public void onEpoch(EpochMetrics metrics) {
            }
        };
        try (FusionModel model = quick().text(text).image(image).listener(listener).build().fit(raw)) {
            assertThat(text.encoded.get()).isEqualTo(raw.size());
            assertThat(text.calls.get()).isEqualTo(1);
            assertThat(image.encoded.get()).isEqualTo(raw.size() - raw.size() / 5);
            assertThat(progress).containsExactly("text 80/80", "image 64/64");
            assertThat(model.encoderIds()).containsEntry(Modality.TEXT, "counting-text:32")
                    .containsEntry(Modality.IMAGE, "counting-image:48");
            assertThat(model.inputDimensions()).containsExactly(Map.entry(Modality.TEXT, 32),
                    Map.entry(Modality.IMAGE, 48));
        }
    }

    @Test
    void aTrainedModelIsAStrategyOfTheEmbedder() {
        Map<String, Embedding> texts = Map.of("a dog", Synthetic.vectors(train, Modality.TEXT).get(0));
        Map<ImageInput, Embedding> images = Map.of(ImageInput.of(new byte[] {1}),
                Synthetic.vectors(train, Modality.IMAGE).get(0));
        try (FusionModel model = quick().build().fit(train);
                MultimodalEmbedder embedder = Fusion.builder().text(new CountingEncoders.Text(texts, 32))
                        .image(new CountingEncoders.Image(images, 48)).strategy(model).normalizeOutput(false).build()) {
            Embedding both = embedder.embed(MultimodalInput.of("a dog", ImageInput.of(new byte[] {1})));
            assertThat(both.dimension()).isEqualTo(16);
            assertThat(both.toArray()).containsExactly(model.embed(train.get(0).embeddings().orElseThrow()).toArray());
            Embedding textOnly = embedder.embed(MultimodalInput.textOnly("a dog"));
            assertThat(textOnly.toArray()).containsExactly(model.embed(Synthetic.only(train, Modality.TEXT).get(0))
                    .toArray());
            assertThatThrownBy(() -> Fusion.builder().text(new CountingEncoders.Text(texts, 384))
                    .image(new CountingEncoders.Image(images, 48)).strategy(model).build())
                    .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'text'")
                    .hasMessageContaining("384");
        }
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        FusionTrainer.Builder b = FusionTrainer.builder().strategy(Fusions.attention().dimension(16).heads(2))
                .hiddenLayers(16).epochs(5).modalityDropout(0.3).listener(TrainingListener.none());
        ModalityEmbeddings probe = train.get(3).embeddings().orElseThrow();
        try (FusionModel a = b.seed(1).build().fit(train); FusionModel again = b.seed(1).build().fit(train);
                FusionModel other = b.seed(2).build().fit(train)) {
            assertThat(again.trainingSummary().trainLoss()).isCloseTo(a.trainingSummary().trainLoss(), within(1e-6));
            assertThat(again.trainingSummary().valLoss()).isCloseTo(a.trainingSummary().valLoss(), within(1e-6));
            assertThat(again.embed(probe).toArray()).containsExactly(a.embed(probe).toArray());
            assertThat(other.trainingSummary().trainLoss()).isNotCloseTo(a.trainingSummary().trainLoss(), within(1e-6));
        }
    }

    /**
     * A garbage collection between a step's forward and backward pass must not change a bit. It frees the direct
     * buffers of closed NDArrays, and DJL's {@code mul(Number)}/{@code div(Number)} close their scalar right after the
     * forward op although the autograd graph reads it again in the backward pass: the gradient was then scaled by
     * whatever the freed memory held (a loaded machine made this occasional; a collecting thread makes it near
     * certain). Attention with the auxiliary loss covers every such scalar on the training path.
     */
    @Test
    void sameSeedSameModelWhileTheGarbageCollectorRuns() throws InterruptedException {
        FusionTrainer.Builder b = FusionTrainer.builder().strategy(Fusions.attention().dimension(16).heads(2))
                .hiddenLayers(16).epochs(5).modalityDropout(0.3).seed(1).listener(TrainingListener.none());
        ModalityEmbeddings probe = train.get(3).embeddings().orElseThrow();
        TrainingSummary quiet;
        float[] quietEmbedding;
        try (FusionModel a = b.build().fit(train)) {
            quiet = a.trainingSummary();
            quietEmbedding = a.embed(probe).toArray();
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!stop.get()) {
                System.gc();
                LockSupport.parkNanos(2_000_000);
            }
        }, "collect-garbage");
        collector.setDaemon(true);
        collector.start();
        try {
            for (int run = 0; run < 2; run++) {
                try (FusionModel again = b.build().fit(train)) {
                    assertThat(again.trainingSummary().trainLoss()).as("run %d", run).isEqualTo(quiet.trainLoss());
                    assertThat(again.trainingSummary().valLoss()).as("run %d", run).isEqualTo(quiet.valLoss());
                    assertThat(again.embed(probe).toArray()).as("run %d", run).containsExactly(quietEmbedding);
                }
            }
        } finally {
            stop.set(true);
            collector.join();
        }
    }

    @Test
    void theAuxiliaryLossChangesTrainingAndIsReproducible() {
        // dropout 0: the aux paths draw no dropout masks, so a difference can only come from their gradients
        FusionTrainer.Builder b = FusionTrainer.builder().strategy(Fusions.weightedSum()).hiddenLayers(16).epochs(6)
                .dropout(0).seed(4).listener(TrainingListener.none());
        ModalityEmbeddings probe = train.get(5).embeddings().orElseThrow();
        try (FusionModel off = b.auxiliaryLossWeight(0).build().fit(train);
                FusionModel offAgain = b.auxiliaryLossWeight(0).build().fit(train);
                FusionModel on = b.auxiliaryLossWeight(0.5).build().fit(train);
                FusionModel onAgain = b.auxiliaryLossWeight(0.5).build().fit(train)) {
            for (FusionModel[] pair : new FusionModel[][] {{off, offAgain}, {on, onAgain}}) {
                assertThat(pair[1].trainingSummary().trainLoss())
                        .isCloseTo(pair[0].trainingSummary().trainLoss(), within(1e-6));
                assertThat(pair[1].trainingSummary().valLoss())
                        .isCloseTo(pair[0].trainingSummary().valLoss(), within(1e-6));
                assertThat(pair[1].embed(probe).toArray()).containsExactly(pair[0].embed(probe).toArray());
            }
            // the validation objective is the fused path's alone: if it moved, the auxiliary loss shaped the network
            assertThat(on.trainingSummary().valLoss()).isNotCloseTo(off.trainingSummary().valLoss(), within(1e-4));
            assertThat(on.embed(probe).toArray()).isNotEqualTo(off.embed(probe).toArray());
        }
    }

    @Test
    void predictionsAreSortedProbabilitiesAndMatchTheBatch() {
        try (FusionModel model = quick().build().fit(train)) {
            List<ModalityEmbeddings> records = Synthetic.records(train).subList(0, 10);
            List<Prediction> batch = model.predictAll(records);
            for (int i = 0; i < records.size(); i++) {
                Prediction p = model.predict(records.get(i));
                assertThat(p.label()).isEqualTo(batch.get(i).label());
                List<Double> values = new ArrayList<>(p.probabilities().values());
                assertThat(values.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
                assertThat(values).isSortedAccordingTo((x, y) -> Double.compare(y, x));
                assertThat(p.probability(p.label())).isEqualTo(values.get(0));
                assertThat(p.probability("no such label")).isZero();
                assertThat(model.embed(records.get(i)).toArray())
                        .containsExactly(model.embedAll(records).get(i).toArray(), within(1e-5f));
            }
            assertThat(model.labels()).containsExactly("c0", "c1", "c2", "c3");
        }
    }

    @Test
    void earlyStoppingKeepsTheBestEpochAndTheListenerSeesEveryEpoch() {
        List<EpochMetrics> epochs = new ArrayList<>();
        TrainingSummary[] end = new TrainingSummary[1];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {
                epochs.add(metrics);
            }

            @Override
            public void onEnd(TrainingSummary summary) {
                end[0] = summary;
            }
        };
        try (FusionModel model = FusionTrainer.builder().hiddenLayers(64).learningRate(1e-2).epochs(200)
                .earlyStopping(2).validationSplit(0.25).listener(listener).build().fit(train)) {
            TrainingSummary s = model.trainingSummary();
            assertThat(s.epochsRun()).isLessThan(200).isEqualTo(epochs.size());
            assertThat(s.bestEpoch()).isEqualTo(s.epochsRun() - 2);
            EpochMetrics best = epochs.get(s.bestEpoch() - 1);
            assertThat(s.valLoss()).isEqualTo(best.valLoss());
            assertThat(epochs.stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow()).isEqualTo(best.valLoss());
            assertThat(s.trainExamples() + s.validationExamples()).isEqualTo(train.size());
            assertThat(s.validationExamples()).isEqualTo(20);
            assertThat(end[0]).isEqualTo(s);
        }
    }

    @Test
    void badInputIsRefusedWithTheExampleIndex() {
        List<TrainingExample> bad = new ArrayList<>(train.subList(0, 8));
        bad.set(3, TrainingExample.of(ModalityEmbeddings.builder().put(Modality.TEXT, Embedding.of(new float[7]))
                .build(), "c0"));
        assertThatThrownBy(() -> quick().build().fit(bad)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Training example 3").hasMessageContaining("7");
        List<TrainingExample> one = List.of(train.get(0), train.get(4));
        assertThatThrownBy(() -> quick().build().fit(one)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("single label");
        assertThatThrownBy(() -> quick().build().fit(List.of(TrainingExample.of(MultimodalInput.textOnly("x"), "a"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no encoder");
        assertThatThrownBy(() -> quick().modalityDropout(1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> quick().hiddenLayers()).isInstanceOf(InvalidInputException.class);
        for (double weight : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> quick().auxiliaryLossWeight(weight)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("Auxiliary loss weight");
        }
        assertThat(quick().auxiliaryLossWeight(0).auxiliaryLossWeight(2).build()).isNotNull();
    }

    @Test
    void closedModelRefusesUse() {
        FusionModel model = quick().build().fit(train);
        model.close();
        model.close();
        assertThatThrownBy(() -> model.embed(train.get(0).embeddings().orElseThrow()))
                .isInstanceOf(IllegalStateException.class);
    }
}
