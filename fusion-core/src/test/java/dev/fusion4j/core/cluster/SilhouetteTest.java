package dev.fusion4j.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilhouetteTest {

    @Test
    void handComputedEuclideanExample() {
        // points 0, 1 | 4: s0 = (4-1)/4, s1 = (3-1)/3, s2 = 0 (alone in its cluster)
        List<Embedding> points = List.of(Embedding.of(0), Embedding.of(1), Embedding.of(4));
        double expected = (0.75 + 2.0 / 3 + 0) / 3;
        assertThat(Silhouette.score(points, new int[] {7, 7, -2})).isCloseTo(expected, within(1e-12));
    }

    @Test
    void handComputedCosineExampleIgnoresNorms() {
        // four compass directions; cosine distances: neighbours 1, opposites 2 -> every s = (1.5 - 1) / 1.5
        List<Embedding> points = List.of(Embedding.of(3, 0), Embedding.of(0, 1), Embedding.of(-1, 0),
                Embedding.of(0, -0.5f));
        assertThat(Silhouette.score(points, new int[] {0, 0, 1, 1}, Distance.COSINE))
                .isCloseTo(1.0 / 3, within(1e-7));
    }

    @Test
    void separatedClustersScoreHighAndRandomLabelsNearZero() {
        PlantedClusters planted = new PlantedClusters(3, 4, 40, 20, 0.05);
        assertThat(Silhouette.score(planted.points, planted.truth)).isGreaterThan(0.9);
        int[] shuffled = new int[planted.truth.length];
        Random random = new Random(1);
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = random.nextInt(4);
        }
        assertThat(Silhouette.score(planted.points, shuffled, Distance.COSINE)).isBetween(-0.1, 0.1);
    }

    @Test
    void sampledScoreApproximatesExact() {
        PlantedClusters planted = new PlantedClusters(4, 5, 100, 16, 0.5);
        double exact = Silhouette.score(planted.points, planted.truth, Distance.COSINE);
        assertThat(Silhouette.sampledScore(planted.points, planted.truth, Distance.COSINE, 10_000, 1))
                .isEqualTo(exact);
        double sampled = Silhouette.sampledScore(planted.points, planted.truth, Distance.COSINE, 200, 1);
        assertThat(sampled).isCloseTo(exact, within(0.05)).isNotEqualTo(exact);
        assertThat(Silhouette.sampledScore(planted.points, planted.truth, Distance.COSINE, 200, 1))
                .isEqualTo(sampled);
    }

    @Test
    void badInputsAreClearErrors() {
        List<Embedding> three = List.of(Embedding.of(0), Embedding.of(1), Embedding.of(4));
        assertThatThrownBy(() -> Silhouette.score(three, new int[] {1, 1, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("got 1");
        assertThatThrownBy(() -> Silhouette.score(three, new int[] {1, 2, 3}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> Silhouette.score(three, new int[] {1, 2}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels has 2 entries");
        assertThatThrownBy(() -> Silhouette.score(three, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Silhouette.score(three, new int[] {0, 0, 1}, null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Silhouette.sampledScore(three, new int[] {0, 0, 1}, Distance.COSINE, 1, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sampleSize");
    }
}
