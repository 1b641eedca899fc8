package dev.fusion4j.core.train;

import dev.fusion4j.api.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The class prediction of a trained {@link FusionModel} for one record.
 *
 * @param label the most probable label (ties broken by the model's label order)
 * @param probabilities every label with its softmax probability, most probable first (unmodifiable; sums to 1)
 */
public record Prediction(String label, Map<String, Double> probabilities) {

    public Prediction {
        if (label == null || probabilities == null || !probabilities.containsKey(label)) {
            throw new InvalidInputException("A prediction needs a label among its probabilities");
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /** The probability of {@code label}; 0 for a label the model does not know. */
    public double probability(String label) {
        return probabilities.getOrDefault(label, 0.0);
    }

    /** The probability of the predicted label. */
    public double confidence() {
        return probabilities.get(label);
    }
}
