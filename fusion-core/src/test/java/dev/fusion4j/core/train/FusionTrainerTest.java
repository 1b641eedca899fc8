package dev.fusion4j.core.train;

import static dev.fusion4j.core.train.Synthetic.IMAGE;
import static dev.fusion4j.core.train.Synthetic.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import java.util.ArrayList;
import java.util.List;
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
    void auxiliaryHeadsMatchTheUnimodalProbesWhenAModalityIsMissing() {
        List<TrainingExample> train = Synthetic.views(60, 6, 0.35, 0.30, 5);
        List<TrainingExample> test = Synthetic.views(40, 6, 0.35, 0.30, 6);
        double textProbe = Synthetic.probeAccuracy(train, test, TEXT);
        double imageProbe = Synthetic.probeAccuracy(train, test, IMAGE);
        try (FusionModel model = FusionTrainer.builder().modalityDropout(0.3).seed(3)
                .listener(TrainingListener.none()).build().fit(train)) {
            List<String> labels = Synthetic.labels(test);
            double both = Synthetic.modelAccuracy(model, Synthetic.records(test), labels);
            double textAbsent = Synthetic.modelAccuracy(model, Synthetic.only(test, IMAGE), labels);
            double imageAbsent = Synthetic.modelAccuracy(model, Synthetic.only(test, TEXT), labels);
            List<ModalityEmbeddings> half = new ArrayList<>(Synthetic.records(test));
            List<ModalityEmbeddings> imageOnly = Synthetic.only(test, IMAGE);
            for (int i = 0; i < half.size(); i += 2) {
                half.set(i, imageOnly.get(i));
            }
            double halfTextAbsent = Synthetic.modelAccuracy(model, half, labels);
            System.out.printf("views: both %.3f | text absent %.3f vs image probe %.3f | image absent %.3f vs text"
                    + " probe %.3f | half text absent %.3f%n", both, textAbsent, imageProbe, imageAbsent, textProbe,
                    halfTextAbsent);
            assertThat(textAbsent).isGreaterThan(imageProbe - 0.03);
            assertThat(imageAbsent).isGreaterThan(textProbe - 0.03);
            assertThat(both).isGreaterThan(Math.max(textProbe, imageProbe));
            assertThat(halfTextAbsent).isBetween(textAbsent - 0.03, both + 0.03);
        }
    }
}
