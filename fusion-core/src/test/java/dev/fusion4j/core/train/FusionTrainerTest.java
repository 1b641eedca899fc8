package dev.fusion4j.core.train;

import static dev.fusion4j.core.train.Synthetic.IMAGE;
import static dev.fusion4j.core.train.Synthetic.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import java.util.ArrayList;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionTrainerTest {

    @Test
    void learnsAnInteractionThatNeitherModalitySolves() {
        List<TrainingExample> train = Synthetic.interaction(30, 3, 1);
        List<TrainingExample> test = Synthetic.interaction(10, 3, 2);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (FusionModel model = FusionTrainer.builder().epochs(30).listener(epochs::add).seed(3).build().fit(train)) {
            double fused = Synthetic.modelAccuracy(model, Synthetic.records(test), Synthetic.labels(test));
            double text = Synthetic.probeAccuracy(train, test, TEXT);
            double image = Synthetic.probeAccuracy(train, test, IMAGE);
            System.out.printf("interaction: fused %.3f text-only %.3f image-only %.3f (%d epochs, %.1fs)%n", fused,
                    text, image, model.trainingSummary().epochsRun(), model.trainingSummary().seconds());
            assertThat(text).isLessThan(0.55);
            assertThat(image).isLessThan(0.55);
            assertThat(fused).isGreaterThan(0.9);
            assertThat(epochs).isNotEmpty();
            assertThat(model.labels()).containsExactly("class0", "class1", "class2");
        }
    }

    @Test
    void aRecordWithOneModalityIsAnsweredByThatModalitysLinearProbe() {
        List<TrainingExample> train = Synthetic.views(60, 6, 0.35, 0.30, 5);
        List<TrainingExample> test = Synthetic.views(40, 6, 0.35, 0.30, 6);
        List<TrainingExample> part = train.subList(0, 300);
        List<TrainingExample> validation = train.subList(300, train.size());
        // the head is LinearProbe's default recipe with the trainer's seed on every example, with trust weights
        // (the default: the gate is fitted with heads of the training part, then they are fitted on every example)
        // and without
        checkUnimodalHeads(FusionTrainer.builder().trustWeights(false).seed(3).listener(TrainingListener.none())
                .build().fit(train), train, test);
        try (FusionModel trusted = FusionTrainer.builder().seed(3).listener(TrainingListener.none()).build()
                .fit(part, validation)) {
            assertThat(trusted.hasTrustWeights()).isTrue();
            checkUnimodalHeads(trusted, train, test);
        }
    }

    private static void checkUnimodalHeads(FusionModel fitted, List<TrainingExample> train,
            List<TrainingExample> test) {
        try (FusionModel model = fitted) {
            for (Modality m : List.of(TEXT, IMAGE)) {
                LinearProbeModel probe = LinearProbe.builder().seed(3).build().fit(Synthetic.vectors(train, m),
                        Synthetic.labels(train));
                List<ModalityEmbeddings> only = Synthetic.only(test, m);
                List<Prediction> predictions = model.predictAll(only);
                for (int i = 0; i < only.size(); i++) {
                    Prediction actual = predictions.get(i);
                    Map<String, Double> expected = probe.probabilities(Synthetic.vectors(test, m).get(i));
                    assertThat(actual.label()).isEqualTo(probe.predict(Synthetic.vectors(test, m).get(i)));
                    expected.forEach((label, p) -> assertThat(actual.probability(label)).isCloseTo(p, within(1e-5)));
                }
            }
            // the embedding of a unimodal record stays the network's (the learned missing vector)
            ModalityEmbeddings textOnly = Synthetic.only(test, TEXT).get(0);
            assertThat(model.embed(textOnly).dimension()).isEqualTo(model.outputDimension());
        }
    }

    @Test
    void noRegretWhenTheInformativeModalityIsAloneAndTheOtherIsNoise() {
        List<TrainingExample> train = Synthetic.textAndNoise(40, 5, 7);
        List<TrainingExample> test = Synthetic.textAndNoise(30, 5, 8);
        double textProbe = Synthetic.probeAccuracy(train, test, TEXT);
        List<String> labels = Synthetic.labels(test);
        // default seed 42, as probeAccuracy's; with trust weights (the default) as without, the text head ends up
        // fitted on every example, as the probe
        try (FusionModel model = FusionTrainer.builder().modalityDropout(0.5)
                .listener(TrainingListener.none()).build().fit(train)) {
            assertThat(model.hasTrustWeights()).isTrue();
            double imageAbsent = Synthetic.modelAccuracy(model, Synthetic.only(test, TEXT), labels);
            double both = Synthetic.modelAccuracy(model, Synthetic.records(test), labels);
            System.out.printf("text + noise: both %.3f | image absent %.3f vs text probe %.3f%n", both, imageAbsent,
                    textProbe);
            assertThat(textProbe).isGreaterThan(0.8);
            assertThat(imageAbsent).isCloseTo(textProbe, within(0.01));
        }
    }

    @Test
    void concatFillVectorsLearnedWithModalityDropoutDoNotDrift() {
        // The network alone (no unimodal heads, no input skip) must answer text-only records from what modality
        // dropout taught it. With the fill trained in raw units, a near-constant modality's fill drifted tens of
        // standard deviations and this accuracy fell to chance (docs/training.md, "the 0.198").
        List<TrainingExample> train = Synthetic.textAndNoise(40, 5, 7);
        List<TrainingExample> test = Synthetic.textAndNoise(30, 5, 8);
        double textProbe = Synthetic.probeAccuracy(train, test, TEXT);
        try (FusionModel model = FusionTrainer.builder().auxiliaryHeads(false).inputSkip(false).modalityDropout(0.5)
                .seed(3).listener(TrainingListener.none()).build().fit(train)) {
            double imageAbsent = Synthetic.modelAccuracy(model, Synthetic.only(test, TEXT), Synthetic.labels(test));
            System.out.printf("fused path, image absent %.3f vs text probe %.3f%n", imageAbsent, textProbe);
            assertThat(imageAbsent).isGreaterThan(textProbe - 0.1);
        }
    }
}
