package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterScoresTest {
    @Test
    void identicalLabellingsScoreOneWhateverTheClusterIds() {
        List<String> labels = List.of("a", "a", "b", "b", "c", "c");
        int[] clusters = {7, 7, 3, 3, 5, 5};
        assertThat(ClusterScores.nmi(labels, clusters)).isCloseTo(1.0, within(1e-12));
        assertThat(ClusterScores.ami(labels, clusters)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void handComputedNmi() {
        // H(labels) = ln 2, H(clusters) = 1.5 ln 2, MI = ln 2: NMI = ln 2 / (1.25 ln 2) = 0.8
        assertThat(ClusterScores.nmi(List.of("x", "x", "y", "y"), new int[] {0, 0, 1, 2})).isCloseTo(0.8,
                within(1e-12));
    }

    @Test
    void oneClusterCarriesNoInformationAndCrossedLabelsScoreAtMostChance() {
        assertThat(ClusterScores.nmi(List.of("a", "b", "c", "d"), new int[] {0, 0, 0, 0})).isZero();
        assertThat(ClusterScores.ami(List.of("a", "b", "c", "d"), new int[] {0, 0, 0, 0})).isZero();
        // a perfectly crossed table: MI = 0 below its expectation, so AMI is negative
        assertThat(ClusterScores.ami(List.of("a", "a", "b", "b"), new int[] {0, 1, 0, 1})).isNegative();
    }
}
