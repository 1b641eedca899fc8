package dev.fusion4j.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final List<String> ACTUAL = List.of("a", "a", "a", "b", "b", "c");
    private static final List<String> PREDICTED = List.of("a", "a", "b", "b", "c", "c");

    @Test
    void handComputedConfusion() {
        ConfusionMatrix m = Metrics.confusion(ACTUAL, PREDICTED);
        assertThat(m.labels()).containsExactly("a", "b", "c");
        assertThat(m.counts()).isEqualTo(new int[][] {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}});
        assertThat(m.count("a", "b")).isEqualTo(1);
        assertThat(m.count("c", "a")).isZero();
        assertThat(m.count("zzz", "a")).isZero();
        assertThat(m.total()).isEqualTo(6);
        assertThat(m.precision("a")).isEqualTo(1.0);
        assertThat(m.recall("a")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.f1("a")).isCloseTo(0.8, within(1e-12));
        assertThat(m.f1("b")).isCloseTo(0.5, within(1e-12));
        assertThat(m.f1("c")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Metrics.accuracy(ACTUAL, PREDICTED)).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(Metrics.macroF1(ACTUAL, PREDICTED)).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
    }

    @Test
    void labelsOnlyPredictedCountWithZeroScores() {
        List<String> actual = List.of("x", "x");
        List<String> predicted = List.of("x", "y");
        ConfusionMatrix m = Metrics.confusion(actual, predicted);
        assertThat(m.labels()).containsExactly("x", "y");
        assertThat(m.recall("y")).isZero();
        assertThat(m.precision("y")).isZero();
        assertThat(Metrics.macroF1(actual, predicted)).isCloseTo((2.0 / 3 + 0) / 2, within(1e-12));
        assertThat(Metrics.accuracy(actual, actual)).isEqualTo(1.0);
        assertThat(Metrics.macroF1(actual, actual)).isEqualTo(1.0);
    }

    @Test
    void badInputsAreClearErrors() {
        assertThatThrownBy(() -> Metrics.accuracy(List.of("a"), List.of("a", "b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("actual has 1 labels");
        assertThatThrownBy(() -> Metrics.accuracy(List.of(), List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Metrics.accuracy(null, List.of("a"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Metrics.accuracy(java.util.Arrays.asList("a", null), List.of("a", "b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("actual[1] is null");
        assertThatThrownBy(() -> Metrics.confusion(ACTUAL, PREDICTED).f1("nope"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'nope'");
    }
}
