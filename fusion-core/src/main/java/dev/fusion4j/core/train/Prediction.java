package dev.fusion4j.core.train;

import dev.fusion4j.api.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The class prediction of a trained {@link FusionModel} for one record.
 *
 * <p>{@link #weights()} says which experts answered and how much each was believed for this record: {@value #FUSED}
 * for the fusion network, a modality's name for its unimodal head. A record with one modality present is answered
 * by that modality's head alone (weight 1); one with more, by the network alone, or, in a model trained with trust
 * weights (the default), by the product of the network and the heads of the present modalities, each weighted by
 * how typical the inputs it reads are of the training data. An image unlike any the model was trained on (another
 * drawing style, a damaged scan) lowers the weight of the experts that read it:
 * <pre>{@code
 * Prediction p = model.predict(record);
 * p.weights();   // {fused=0.31, text=0.62, image=0.07}
 * }</pre>
 *
 * @param label the most probable label (ties broken by the model's label order)
 * @param probabilities every label with its probability, most probable first (unmodifiable; sums to 1)
 * @param weights every expert of the model ({@value #FUSED}, then each modality's name) with its share of the
 *     answer (unmodifiable; sums to 1; 0 for the head of an absent modality)
 */
public record Prediction(String label, Map<String, Double> probabilities, Map<String, Double> weights) {
    /** The key of the fusion network's weight in {@link #weights()}. */
    public static final String FUSED = "fused";

    public Prediction {
        if (label == null || probabilities == null || !probabilities.containsKey(label)) {
            throw new InvalidInputException("A prediction needs a label among its probabilities");
        }
        if (weights == null) {
            throw new InvalidInputException("A prediction needs its expert weights (e.g. Map.of(\"fused\", 1.0))");
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** The weight of {@code expert} ({@value #FUSED} or a modality's name); 0 for one the model does not have. */
    public double weight(String expert) {
        return weights.getOrDefault(expert, 0.0);
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
