package dev.fusion4j.core.train;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The unimodal heads of a {@link FusionModel}: for each modality a {@link LinearProbe} with its default recipe
 * (standardised features, weight decay 1e-4, about 500 Adam steps) and the trainer's seed, fitted on the packed
 * input (L2-normalised when the strategy normalises) of every training example that has the modality (when the
 * model gets trust weights, first of the training split only, for fitting the gate on new records, then again of
 * every example, see {@link TrustWeights}). The
 * probe's standardisation is folded into its weights, so a head is one linear layer
 * {@code logits = U_m x̂_m + c_m} over all the model's labels.
 *
 * <p>A label never seen with the modality gets weight 0 and bias {@value #UNSEEN} (probability 0); with a single
 * label the head always answers it; with no example at all every logit is 0 (uniform: the model knows nothing
 * about the modality alone).
 */
final class UnimodalHeads {
    /** Bias of a label never seen with a modality: its probability underflows to exactly 0. */
    static final float UNSEEN = -1e30f;

    private UnimodalHeads() {
    }

    /**
     * Fits one head per modality of {@code layout} on the rows {@code rows} of {@code packed}.
     *
     * @return {@code unimodal.<modality>.weight} ({@code [C, d_m]}) and {@code .bias} ({@code [C]}) values
     */
    static Map<String, float[]> fit(ModalityLayout layout, PackedBatch packed, int[] rows, int[] y,
            List<String> classes, long seed) {
        Map<String, float[]> v = new LinkedHashMap<>();
        int c = classes.size();
        for (int m = 0; m < layout.count(); m++) {
            int d = layout.dimension(m);
            List<Embedding> xs = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i : rows) {
                if (packed.present(i, m)) {
                    xs.add(Embedding.of(Arrays.copyOfRange(packed.inputs()[m], i * d, (i + 1) * d)));
                    labels.add(classes.get(y[i]));
                }
            }
            float[] weight = new float[c * d];
            float[] bias = new float[c];
            TreeSet<String> seen = new TreeSet<>(labels);
            if (!seen.isEmpty()) {
                Arrays.fill(bias, UNSEEN);
            }
            if (seen.size() == 1) {
                bias[Collections.binarySearch(classes, seen.first())] = 0f;
            } else if (seen.size() > 1) {
                LinearProbeModel probe = LinearProbe.builder().seed(seed).build().fit(xs, labels);
                float[] w = probe.weights();
                double[] b = probe.bias();
                for (int k = 0; k < probe.classes().size(); k++) {
                    int j = Collections.binarySearch(classes, probe.classes().get(k));
                    System.arraycopy(w, k * d, weight, j * d, d);
                    bias[j] = (float) b[k];
                }
            }
            String p = FusionNetwork.UNIMODAL + layout.modalities().get(m).name() + ".";
            v.put(p + "weight", weight);
            v.put(p + "bias", bias);
        }
        return v;
    }
}
