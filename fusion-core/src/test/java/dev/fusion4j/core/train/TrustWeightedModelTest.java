package dev.fusion4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust-weighted answer of a model with unimodal heads: weights, routing, files, explicit validation. */
class TrustWeightedModelTest {
    private static List<TrainingExample> train;
    private static List<TrainingExample> validation;

    @BeforeAll
    static void data() {
        Synthetic.init();
        train = Synthetic.views(30, 4, 0.3, 0.3, 31);
        List<TrainingExample> clean = Synthetic.views(8, 4, 0.3, 0.3, 32);
        // half the validation records carry a corrupted image: far from every training image and unrelated to
        // the class, as a picture from another source would be
        validation = new ArrayList<>(clean);
        Random random = new Random(33);
        for (TrainingExample e : clean) {
            ModalityEmbeddings x = e.embeddings().orElseThrow();
            validation.add(TrainingExample.of(ModalityEmbeddings.builder().put(Modality.TEXT, x.get(Modality.TEXT)
                    .orElseThrow()).put(Modality.IMAGE, corrupted(random)).build(), e.label()));
        }
    }

    /** An image embedding far off the training distribution (coordinates of spread 1 instead of 0.3 around c). */
    private static Embedding corrupted(Random random) {
        float[] v = new float[48];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (random.nextGaussian() * 1.0);
        }
        return Embedding.of(v);
    }

    private static FusionTrainer.Builder quick() {
        return FusionTrainer.builder().hiddenLayers(16).epochs(6).seed(3).listener(TrainingListener.none());
    }

    @Test
    void weightsSumToOneAndNameEveryExpert() {
        try (FusionModel model = quick().build().fit(train)) {
            assertThat(model.hasTrustWeights()).isTrue();
            for (Prediction p : model.predictAll(Synthetic.records(train).subList(0, 12))) {
                assertThat(p.weights()).containsOnlyKeys(Prediction.FUSED, "text", "image");
                assertThat(p.weights().values().stream().mapToDouble(Double::doubleValue).sum())
                        .isCloseTo(1.0, within(1e-9));
                assertThat(p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                        .isCloseTo(1.0, within(1e-9));
            }
        }
    }

    @Test
    void aRecordWithOneModalityIsAnsweredByItsHeadAloneAndOffMeansTheNetworkAlone() {
        List<ModalityEmbeddings> textOnly = Synthetic.only(train.subList(0, 5), Modality.TEXT);
        try (FusionModel trusted = quick().build().fit(train); FusionModel plain = quick().trustWeights(false)
                .build().fit(train)) {
            for (Prediction p : trusted.predictAll(textOnly)) {
                assertThat(p.weight("text")).isEqualTo(1.0);
                assertThat(p.weight("image")).isZero();
            }
            assertThat(plain.hasTrustWeights()).isFalse();
            for (Prediction p : plain.predictAll(Synthetic.records(train).subList(0, 5))) {
                assertThat(p.weight(Prediction.FUSED)).isEqualTo(1.0);
            }
        }
    }

    @Test
    void anImageUnlikeTheTrainingImagesLosesWeightWhenValidationShowedSuchImages() {
        List<ModalityEmbeddings> fresh = Synthetic.records(Synthetic.views(5, 4, 0.3, 0.3, 34));
        Random random = new Random(35);
        List<ModalityEmbeddings> offStyle = new ArrayList<>();
        for (ModalityEmbeddings r : fresh) {
            offStyle.add(ModalityEmbeddings.builder().put(Modality.TEXT, r.get(Modality.TEXT).orElseThrow())
                    .put(Modality.IMAGE, corrupted(random)).build());
        }
        try (FusionModel model = quick().build().fit(train, validation)) {
            assertThat(model.trainingSummary().validationExamples()).isEqualTo(validation.size());
            double typical = meanImageBelief(model.predictAll(fresh));
            double atypical = meanImageBelief(model.predictAll(offStyle));
            assertThat(atypical).isLessThan(typical * 0.5);
            for (Prediction p : model.predictAll(offStyle)) {
                assertThat(p.weight("text")).isGreaterThan(p.weight("image"));
            }
        }
    }

    /** Mean weight of the experts that read the image: the network and the image head. */
    private static double meanImageBelief(List<Prediction> predictions) {
        return predictions.stream().mapToDouble(p -> p.weight(Prediction.FUSED) + p.weight("image")).average()
                .orElseThrow();
    }

    @Test
    void savedAndLoadedModelsGiveTheSameProbabilitiesAndWeights(@TempDir Path dir) {
        List<ModalityEmbeddings> records = Synthetic.records(validation);
        Path file = dir.resolve("m.f4j");
        try (FusionModel model = quick().build().fit(train, validation)) {
            model.save(file);
            try (FusionModel again = FusionModel.load(file)) {
                assertThat(again.hasTrustWeights()).isTrue();
                List<Prediction> a = model.predictAll(records);
                List<Prediction> b = again.predictAll(records);
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.get(i)).isEqualTo(a.get(i));
                }
            }
        }
    }

    @Test
    void anEmptyValidationListIsRefused() {
        assertThatThrownBy(() -> quick().build().fit(train, List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pass null");
    }
}
