package dev.fusion4j.core.classify;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.internal.Softmax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained linear probe ({@link LinearProbe#fit}): softmax over {@code W·x + b} with the training
 * standardisation folded into {@code W} and {@code b}, so a prediction is one matrix-vector product. Immutable
 * and thread-safe.
 */
public final class LinearProbeModel {
    private final List<String> classes;
    private final int dimension;
    private final float[] weights; // classes × dimension, row-major
    private final double[] bias;
    private final double finalLoss;

    LinearProbeModel(List<String> classes, int dimension, float[] weights, double[] bias, double finalLoss) {
        this.classes = List.copyOf(classes);
        this.dimension = dimension;
        this.weights = weights;
        this.bias = bias;
        this.finalLoss = finalLoss;
    }

    /** The class labels, sorted; the order of {@link #probabilities}. */
    public List<String> classes() {
        return classes;
    }

    /** Dimension of the embeddings the model takes. */
    public int dimension() {
        return dimension;
    }

    /**
     * A copy of the weights, {@code classes × dimension} row-major in {@link #classes()} order, with the training
     * standardisation folded in: the logits are {@code weights · x + bias} on the raw embedding {@code x}.
     */
    public float[] weights() {
        return weights.clone();
    }

    /** A copy of the biases, one per class in {@link #classes()} order (see {@link #weights()}). */
    public double[] bias() {
        return bias.clone();
    }

    /** Regularised training loss (mean cross-entropy + weight decay) after the last epoch. */
    public double trainingLoss() {
        return finalLoss;
    }

    /** The most probable label (the earlier class on an exact tie). */
    public String predict(Embedding embedding) {
        double[] logits = logits(embedding);
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
                best = c;
            }
        }
        return classes.get(best);
    }

    /** The predicted label of each embedding, in order. */
    public List<String> predictAll(List<Embedding> embeddings) {
        if (embeddings == null) {
            throw new InvalidInputException("embeddings is null: pass a list of embeddings to classify");
        }
        List<String> out = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            out.add(predict(LabelledData.embedding(embeddings, i, dimension)));
        }
        return out;
    }

    /** Probability of every class, in {@link #classes()} order; they sum to 1. */
    public Map<String, Double> probabilities(Embedding embedding) {
        double[] p = logits(embedding);
        Softmax.inPlace(p, 0, p.length);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            out.put(classes.get(c), p[c]);
        }
        return out;
    }

    private double[] logits(Embedding embedding) {
        LabelledData.dimension(embedding, "embedding", dimension);
        float[] x = embedding.toArray();
        double[] logits = new double[classes.size()];
        for (int c = 0; c < logits.length; c++) {
            double s = bias[c];
            int o = c * dimension;
            for (int j = 0; j < dimension; j++) {
                s += (double) weights[o + j] * x[j];
            }
            logits[c] = s;
        }
        return logits;
    }

    @Override
    public String toString() {
        return "LinearProbeModel[classes=" + classes.size() + ", dimension=" + dimension + "]";
    }
}
