package dev.fusion4j.core.train;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic two-modality classification tasks with known structure. */
final class Synthetic {
    static final Modality TEXT = Modality.TEXT;
    static final Modality IMAGE = Modality.IMAGE;

    static {
        // Tiny heads run hundreds of small native ops per batch: on a shared 2-core machine two PyTorch
        // intra-op threads spin against each other (measured 4-8x slower). Effective only if this JVM has not
        // started the PyTorch engine yet; docs/training.md recommends the same for applications.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
    }

    private Synthetic() {
    }

    /** Touches this class so its static initialiser runs before the engine starts. */
    static void init() {
    }

    /** Random unit-norm centres. */
    static float[][] centres(Random random, int count, int dimension) {
        float[][] c = new float[count][dimension];
        for (float[] v : c) {
            double norm = 0;
            for (int j = 0; j < dimension; j++) {
                v[j] = (float) random.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < dimension; j++) {
                v[j] /= (float) Math.sqrt(norm);
            }
        }
        return c;
    }

    static Embedding noisy(Random random, float[] centre, double noise) {
        float[] v = centre.clone();
        for (int j = 0; j < v.length; j++) {
            v[j] += (float) (random.nextGaussian() * noise);
        }
        return Embedding.of(v);
    }

    /**
     * The label is {@code (a + b) mod k} for a text cluster {@code a} and an image cluster {@code b}: each modality
     * alone says nothing about it, their combination everything (up to the noise).
     */
    static List<TrainingExample> interaction(int perCell, int k, long seed) {
        Random random = new Random(seed);
        float[][] text = centres(new Random(1), k, 16);
        float[][] image = centres(new Random(2), k, 24);
        List<TrainingExample> out = new ArrayList<>();
        for (int n = 0; n < perCell; n++) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    out.add(TrainingExample.of(ModalityEmbeddings.builder().put(TEXT, noisy(random, text[a], 0.05))
                            .put(IMAGE, noisy(random, image[b], 0.05)).build(), "class" + (a + b) % k));
                }
            }
        }
        return out;
    }

    /**
     * Two independent noisy views of the class: text with noise {@code textNoise}, image with {@code imageNoise};
     * each alone is informative, both together more so.
     */
    static List<TrainingExample> views(int perClass, int classes, double textNoise, double imageNoise, long seed) {
        Random random = new Random(seed);
        float[][] text = centres(new Random(3), classes, 32);
        float[][] image = centres(new Random(4), classes, 48);
        List<TrainingExample> out = new ArrayList<>();
        for (int n = 0; n < perClass; n++) {
            for (int c = 0; c < classes; c++) {
                out.add(TrainingExample.of(ModalityEmbeddings.builder().put(TEXT, noisy(random, text[c], textNoise))
                        .put(IMAGE, noisy(random, image[c], imageNoise)).build(), "c" + c));
            }
        }
        return out;
    }

    /**
     * Text is a noisy view of the class (noise 0.35); the image is noise around one fixed vector whatever the
     * class, with a spread of 0.002 per coordinate: uninformative and near-constant, like a dead CNN feature.
     */
    static List<TrainingExample> textAndNoise(int perClass, int classes, long seed) {
        Random random = new Random(seed);
        float[][] text = centres(new Random(3), classes, 32);
        float[] image = centres(new Random(4), 1, 48)[0];
        List<TrainingExample> out = new ArrayList<>();
        for (int n = 0; n < perClass; n++) {
            for (int c = 0; c < classes; c++) {
                out.add(TrainingExample.of(ModalityEmbeddings.builder().put(TEXT, noisy(random, text[c], 0.35))
                        .put(IMAGE, noisy(random, image, 0.002)).build(), "c" + c));
            }
        }
        return out;
    }

    /** The examples with only {@code keep} present. */
    static List<ModalityEmbeddings> only(List<TrainingExample> examples, Modality keep) {
        List<ModalityEmbeddings> out = new ArrayList<>();
        for (TrainingExample e : examples) {
            ModalityEmbeddings r = e.embeddings().orElseThrow();
            out.add(ModalityEmbeddings.builder().put(keep, r.get(keep).orElseThrow()).build());
        }
        return out;
    }

    static List<ModalityEmbeddings> records(List<TrainingExample> examples) {
        return examples.stream().map(e -> e.embeddings().orElseThrow()).toList();
    }

    static List<String> labels(List<TrainingExample> examples) {
        return examples.stream().map(TrainingExample::label).toList();
    }

    /** Accuracy of a linear probe trained on one modality of {@code train}, tested on {@code test}. */
    static double probeAccuracy(List<TrainingExample> train, List<TrainingExample> test, Modality modality) {
        LinearProbeModel probe = LinearProbe.train(vectors(train, modality), labels(train));
        List<String> predicted = probe.predictAll(vectors(test, modality));
        return accuracy(labels(test), predicted);
    }

    static List<Embedding> vectors(List<TrainingExample> examples, Modality modality) {
        return examples.stream().map(e -> e.embeddings().orElseThrow().get(modality).orElseThrow()).toList();
    }

    static double accuracy(List<String> actual, List<String> predicted) {
        int right = 0;
        for (int i = 0; i < actual.size(); i++) {
            right += actual.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        return (double) right / actual.size();
    }

    static double modelAccuracy(FusionModel model, List<ModalityEmbeddings> records, List<String> labels) {
        return accuracy(labels, model.predictAll(records).stream().map(Prediction::label).toList());
    }
}
