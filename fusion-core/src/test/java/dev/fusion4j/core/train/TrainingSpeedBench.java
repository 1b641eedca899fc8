package dev.fusion4j.core.train;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Training speed at the emoji evaluation's size: 1,500 cached examples of 384-d text and 1,280-d image
 * embeddings, 90 classes, 10 epochs per strategy. Not a unit test: run with
 * {@code mvn -B -o test -pl fusion-core -Dtest=TrainingSpeedBench -Dfusion4j.bench=true}.
 */
@EnabledIfSystemProperty(named = "fusion4j.bench", matches = "true")
class TrainingSpeedBench {

    @Test
    void measure() {
        Synthetic.init();
        Random random = new Random(1);
        float[][] text = Synthetic.centres(random, 90, 384);
        float[][] image = Synthetic.centres(random, 90, 1280);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int c = i % 90;
            Embedding t = Synthetic.noisy(random, text[c], 0.05);
            Embedding v = Synthetic.noisy(random, image[c], 0.03);
            examples.add(TrainingExample.of(ModalityEmbeddings.builder().put(Synthetic.TEXT, t)
                    .put(Synthetic.IMAGE, v).build(), "c" + c));
        }
        List<FusionSpec> specs = List.of(Fusions.concat(), Fusions.weightedSum(), Fusions.attention().dimension(128),
                Fusions.attention(), Fusions.bilinear().compact(2048), Fusions.bilinear().lowRank(512).factor(2));
        System.out.printf("threads=%s%n", System.getProperty("ai.djl.pytorch.num_threads"));
        for (FusionSpec spec : specs) {
            try (FusionModel model = FusionTrainer.builder().strategy(spec).epochs(10).earlyStopping(100)
                    .listener(TrainingListener.none()).build().fit(examples)) {
                TrainingSummary s = model.trainingSummary();
                System.out.printf("%-80s hidden %s: %.1fs for %d epochs, %.2fs/epoch, %.0f records/s, val acc %.3f%n",
                        spec, model.hiddenLayers(), s.seconds(), s.epochsRun(), s.seconds() / s.epochsRun(),
                        s.trainExamples() * s.epochsRun() / s.seconds(), s.valAccuracy());
            }
        }
    }
}
