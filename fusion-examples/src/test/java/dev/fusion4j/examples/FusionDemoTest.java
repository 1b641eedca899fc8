package dev.fusion4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.core.train.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's verdict says honestly whether fusion beat the best single modality. */
class FusionDemoTest {
    private static Map<String, Double> accuracies(double text, double image, double head) {
        Map<String, Double> a = new LinkedHashMap<>();
        a.put("text only", text);
        a.put("image only", image);
        a.put("concat()", 0.5);
        a.put("trained head", head);
        return a;
    }

    @Test
    void aGainIsReportedInPointsAndRecordsAgainstTheBetterModality() {
        assertThat(FusionDemo.verdict(accuracies(0.80, 0.60, 0.83), 100)).isEqualTo(
                "Fusion beat the best single modality (text only): trained head 0.830 vs 0.800, +3.0 points"
                        + " (+3 of 100 test records)");
        assertThat(FusionDemo.verdict(accuracies(0.50, 0.70, 0.75), 100))
                .startsWith("Fusion beat the best single modality (image only)");
    }

    @Test
    void aLossOrATieIsSaidPlainly() {
        assertThat(FusionDemo.verdict(accuracies(0.80, 0.60, 0.78), 100)).isEqualTo(
                "Fusion did NOT beat the best single modality (text only): trained head 0.780 vs 0.800, -2.0 points"
                        + " (-2 of 100 test records)");
        assertThat(FusionDemo.verdict(accuracies(0.80, 0.60, 0.80), 100)).startsWith("Fusion tied");
    }

    @Test
    void theTrustLineGivesEachExpertsMeanWeight() {
        Prediction a = new Prediction("x", Map.of("x", 1.0), Map.of("fused", 0.2, "text", 0.7, "image", 0.1));
        Prediction b = new Prediction("x", Map.of("x", 1.0), Map.of("fused", 0.4, "text", 0.5, "image", 0.1));
        assertThat(FusionDemo.trust(List.of(a, b))).contains("fused 0.30").contains("text 0.60")
                .contains("image 0.10");
    }
}
