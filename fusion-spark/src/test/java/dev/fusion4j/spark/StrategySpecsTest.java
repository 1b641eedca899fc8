package dev.fusion4j.spark;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.internal.DescribedSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StrategySpecsTest {
    static Stream<Arguments> specs() {
        return Stream.of(
                arguments("concat", Fusions.concat()),
                arguments("concat(presenceBits=true)", Fusions.concat().presenceBits(true)),
                arguments("weighted-sum(dimension=128,mode=gated,seed=3)",
                        Fusions.weightedSum().dimension(128).mode(dev.fusion4j.core.sum.WeightMode.GATED).seed(3)),
                arguments(" Attention( dimension = 256 , heads=4, layers=2 ) ",
                        Fusions.attention().dimension(256).heads(4).layers(2)),
                arguments("low-rank", Fusions.bilinear().lowRank(1024)),
                arguments("low-rank(rank=512,factor=4,seed=9)", Fusions.bilinear().lowRank(512).factor(4).seed(9)),
                arguments("compact(dimension=4096)", Fusions.bilinear().compact(4096)),
                arguments("full(normalizeInputs=false)", Fusions.bilinear().full().normalizeInputs(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aSpecStringIsTheSpecTheBuilderMakes(String text, FusionSpec expected) {
        DescribedSpec parsed = (DescribedSpec) StrategySpecs.parse(text);
        DescribedSpec built = (DescribedSpec) expected;
        assertThat(parsed.kind()).isEqualTo(built.kind());
        assertThat(parsed.settings()).isEqualTo(built.settings());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "tensor", "concat(heads=4)", "attention(dimension=)", "attention(dimension=big)",
        "attention(dimension=8", "concat(presenceBits=yes)", "weighted-sum(mode=median)",
        "attention(heads=2,heads=4)"})
    void aWrongSpecIsRefusedWithWhatToWrite(String text) {
        assertThatThrownBy(() -> StrategySpecs.parse(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(text.isEmpty() ? "empty" : "");
    }
}
