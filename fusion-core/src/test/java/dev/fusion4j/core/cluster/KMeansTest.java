package dev.fusion4j.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KMeansTest {

    /** Every planted cluster maps to exactly one found cluster and vice versa (accuracy 100% up to relabelling). */
    private static void assertRecovers(int[] truth, int[] found) {
        Map<Integer, Integer> truthToFound = new HashMap<>();
        Map<Integer, Integer> foundToTruth = new HashMap<>();
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int f = found[i];
            assertThat(truthToFound.computeIfAbsent(t, x -> f)).as("point %d", i).isEqualTo(f);
            assertThat(foundToTruth.computeIfAbsent(f, x -> t)).as("point %d", i).isEqualTo(t);
        }
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void findsPlantedWellSeparatedClusters(Distance distance) {
        PlantedClusters planted = new PlantedClusters(1, 6, 50, 32, 0.15);
        Clustering c = KMeans.builder().k(6).distance(distance).seed(3).build().fit(planted.points);
        assertRecovers(planted.truth, c.assignments());
        assertThat(c.sizes()).containsOnly(50);
        assertThat(c.k()).isEqualTo(6);
        assertThat(c.distance()).isEqualTo(distance);
        for (int i = 0; i < planted.points.size(); i += 17) {
            assertThat(c.predict(planted.points.get(i))).isEqualTo(c.assignment(i));
        }
    }

    @Test
    void sameSeedSameResultAndRestartsNeverHurt() {
        PlantedClusters planted = new PlantedClusters(2, 8, 30, 16, 1.0); // overlapping: runs differ
        KMeans.Builder b = KMeans.builder().k(8).seed(11);
        Clustering first = b.build().fit(planted.points);
        Clustering again = b.build().fit(planted.points);
        assertThat(again.assignments()).isEqualTo(first.assignments());
        assertThat(again.centroids()).isEqualTo(first.centroids());
        assertThat(again.inertia()).isEqualTo(first.inertia());
        Clustering one = KMeans.builder().k(8).seed(11).restarts(1).build().fit(planted.points);
        Clustering many = KMeans.builder().k(8).seed(11).restarts(10).build().fit(planted.points);
        assertThat(many.inertia()).isLessThanOrEqualTo(one.inertia()); // run 0 is shared
    }

    @Test
    void handComputedOneDimensionalExample() {
        List<Embedding> points = List.of(Embedding.of(0), Embedding.of(1), Embedding.of(10), Embedding.of(11));
        Clustering c = KMeans.builder().k(2).distance(Distance.EUCLIDEAN).build().fit(points);
        assertThat(c.assignment(0)).isEqualTo(c.assignment(1)).isNotEqualTo(c.assignment(2));
        assertThat(c.assignment(2)).isEqualTo(c.assignment(3));
        assertThat(c.inertia()).isCloseTo(1.0, within(1e-9)); // 4 × 0.5²
        assertThat(c.centroids().get(c.assignment(0))).isEqualTo(Embedding.of(0.5f));
        assertThat(c.centroids().get(c.assignment(3))).isEqualTo(Embedding.of(10.5f));
        assertThat(c.iterations()).isBetween(1, 3);
    }

    @Test
    void duplicatePointsAndKEqualToNDoNotBreak() {
        List<Embedding> points = List.of(Embedding.of(1, 1), Embedding.of(1, 1), Embedding.of(1, 1),
                Embedding.of(-1, 2));
        Clustering c = KMeans.builder().k(4).distance(Distance.EUCLIDEAN).build().fit(points);
        assertThat(c.inertia()).isZero(); // identical points cannot be told apart; every point is on a centroid
        assertThat(c.assignment(3)).isNotEqualTo(c.assignment(0));
        Clustering distinct = KMeans.builder().k(3).distance(Distance.EUCLIDEAN).build()
                .fit(List.of(Embedding.of(0, 0), Embedding.of(5, 5), Embedding.of(-5, 5)));
        assertThat(distinct.sizes()).containsOnly(1);
    }

    @Test
    void badInputsAreClearErrors() {
        List<Embedding> two = List.of(Embedding.of(1, 2), Embedding.of(3, 4));
        assertThatThrownBy(() -> KMeans.builder().k(3).build().fit(two)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("k is 3 but only 2 embeddings");
        assertThatThrownBy(() -> KMeans.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("k is not set");
        assertThatThrownBy(() -> KMeans.builder().k(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("k must be at least 1");
        assertThatThrownBy(() -> KMeans.builder().k(1).build().fit(List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> KMeans.builder().k(1).build().fit(List.of(Embedding.of(1, 2), Embedding.of(1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("embeddings[1] has dimension 1");
        Clustering c = KMeans.builder().k(1).build().fit(two);
        assertThatThrownBy(() -> c.predict(Embedding.of(1))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension 1");
    }

    @Test
    void timingOn2000By384WithK20() {
        PlantedClusters planted = new PlantedClusters(5, 20, 100, 384, 0.8);
        long start = System.nanoTime();
        Clustering c = KMeans.builder().k(20).seed(1).build().fit(planted.points);
        long kmeansMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        double s = Silhouette.score(planted.points, c.assignments(), Distance.COSINE);
        long silhouetteMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("k-means n=2000 d=384 k=20 restarts=4: %d ms, %d iterations; silhouette (cosine):"
                + " %d ms, score %.3f%n", kmeansMs, c.iterations(), silhouetteMs, s);
        assertRecovers(planted.truth, c.assignments());
        assertThat(kmeansMs + silhouetteMs).isLessThan(60_000);
    }
}
