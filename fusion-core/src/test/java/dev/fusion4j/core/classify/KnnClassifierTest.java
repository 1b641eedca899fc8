package dev.fusion4j.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnnClassifierTest {
    private static final List<Embedding> TRAIN = List.of(Embedding.of(1, 0), Embedding.of(0.9f, 0.1f),
            Embedding.of(0.8f, 0.2f), Embedding.of(0, 1), Embedding.of(-1, 0));
    private static final List<String> LABELS = List.of("east", "north", "north", "up", "west");

    @Test
    void oneNearestNeighbourOnATinyExample() {
        KnnClassifier knn = KnnClassifier.fit(TRAIN, LABELS);
        assertThat(knn.k()).isEqualTo(1);
        assertThat(knn.predict(Embedding.of(5, 0))).isEqualTo("east"); // cosine: the norm does not matter
        assertThat(knn.predict(Embedding.of(0.1f, 2))).isEqualTo("up");
        assertThat(knn.predict(Embedding.of(-3, -1))).isEqualTo("west");
        List<Embedding> queries = List.of(Embedding.of(5, 0), Embedding.of(0.1f, 2), Embedding.of(-3, -1));
        assertThat(knn.predictAll(queries)).containsExactly("east", "up", "west");
    }

    @Test
    void majorityVoteWithNearestFirstTieBreak() {
        assertThat(KnnClassifier.builder().k(3).fit(TRAIN, LABELS).predict(Embedding.of(1, 0)))
                .as("two 'north' outvote one nearer 'east'").isEqualTo("north");
        assertThat(KnnClassifier.builder().k(2).fit(TRAIN, LABELS).predict(Embedding.of(1, 0)))
                .as("1-1 tie goes to the nearest").isEqualTo("east");
        assertThat(KnnClassifier.builder().k(100).fit(TRAIN, LABELS).predict(Embedding.of(0, 1)))
                .as("k larger than the training set votes with everything").isEqualTo("north");
    }

    @Test
    void badInputsAreClearErrors() {
        assertThatThrownBy(() -> KnnClassifier.fit(TRAIN, LABELS.subList(0, 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has 4 entries");
        assertThatThrownBy(() -> KnnClassifier.fit(List.of(), List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> KnnClassifier.fit(TRAIN, Arrays.asList("a", "b", null, "c", "d")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("labels[2] is null");
        assertThatThrownBy(() -> KnnClassifier.fit(List.of(Embedding.of(1, 0), Embedding.of(1)), List.of("a", "b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("embeddings[1] has dimension 1");
        assertThatThrownBy(() -> KnnClassifier.builder().k(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("k must be at least 1");
        KnnClassifier knn = KnnClassifier.fit(TRAIN, LABELS);
        assertThatThrownBy(() -> knn.predict(Embedding.of(1, 2, 3))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension 3").hasMessageContaining("2-dimensional");
        assertThatThrownBy(() -> knn.predictAll(List.of(Embedding.of(1, 2), Embedding.of(1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("embeddings[1]");
    }
}
