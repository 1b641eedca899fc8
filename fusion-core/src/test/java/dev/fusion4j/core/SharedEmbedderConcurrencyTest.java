package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 16 threads x 2,000 mixed calls (text only, image only, both; embed and embedAll) on shared embedders,
 * one per strategy plus a trained FusionModel: every result bit-identical to the single-threaded one, no
 * exception, and the whole run within a time bound (no deadlock).
 */
class SharedEmbedderConcurrencyTest {
    private static final int THREADS = 16;
    private static final int CALLS = 2_000;
    private static final int DISTINCT = 48;

    @Test
    void sixteenThreadsOnSharedEmbeddersMatchOneThread() throws Exception {
        FakeEncoders.Text text = new FakeEncoders.Text(32);
        FakeEncoders.Image image = new FakeEncoders.Image(48);
        List<MultimodalInput> inputs = new ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            String t = "record " + i;
            inputs.add(switch (i % 3) {
                case 0 -> MultimodalInput.of(t, FakeEncoders.Image.image(i));
                case 1 -> MultimodalInput.textOnly(t);
                default -> MultimodalInput.imageOnly(FakeEncoders.Image.image(i));
            });
        }
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ModalityEmbeddings e = ModalityEmbeddings.builder().put(Modality.TEXT, text.encode("record " + i))
                    .put(Modality.IMAGE, image.encode(FakeEncoders.Image.image(i))).build();
            examples.add(TrainingExample.of(e, "class" + (i % 3)));
        }
        List<MultimodalEmbedder> embedders = new ArrayList<>();
        try (FusionModel model = FusionTrainer.builder().hiddenLayers(16).epochs(3).seed(1)
                .listener(TrainingListener.none()).build().fit(examples)) {
            for (FusionSpec spec : List.of(Fusions.concat(), Fusions.weightedSum(), Fusions.attention().dimension(32),
                    Fusions.bilinear().full(), Fusions.bilinear().compact(512), Fusions.bilinear().lowRank(64))) {
                embedders.add(Fusion.builder().text(text).image(image).strategy(spec).build());
            }
            embedders.add(Fusion.builder().text(text).image(image).strategy(model).build());
            List<List<Embedding>> expected = new ArrayList<>();
            for (MultimodalEmbedder e : embedders) {
                List<Embedding> one = new ArrayList<>();
                for (MultimodalInput in : inputs) {
                    one.add(e.embed(in));
                }
                expected.add(one);
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        int mismatches = 0;
                        for (int call = 0; call < CALLS; call++) {
                            int which = (thread * 7 + call) % embedders.size();
                            int at = (thread * 13 + call * 5) % DISTINCT;
                            MultimodalEmbedder e = embedders.get(which);
                            if (call % 10 == 0) {
                                int to = Math.min(DISTINCT, at + 4);
                                List<Embedding> batch = e.embedAll(inputs.subList(at, to));
                                for (int k = 0; k < batch.size(); k++) {
                                    mismatches += batch.get(k).cosine(expected.get(which).get(at + k)) > 0.99999 ? 0 : 1;
                                }
                            } else if (!e.embed(inputs.get(at)).equals(expected.get(which).get(at))) {
                                mismatches++;
                            }
                        }
                        return mismatches;
                    }));
                }
                for (Future<Integer> f : futures) {
                    assertThat(f.get(5, TimeUnit.MINUTES)).as("mismatching results").isZero();
                }
            } finally {
                pool.shutdownNow();
                for (MultimodalEmbedder e : embedders) {
                    e.close();
                }
            }
        }
    }
}
