package dev.fusion4j.encoders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.EncodedSequence;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BertTextEncoder's token hidden states, on the tiny BERT fixture. */
class TokenSequenceTest {
    private static final Path DIR = Fixtures.resource("models/bert-tiny");

    private static BertTextEncoder.Builder raw(String file) {
        return BertTextEncoder.builder().model(ModelSource.path(DIR.resolve(file)))
                .tokenizer(ModelSource.path(DIR.resolve("tokenizer.json"))).normalize(false);
    }

    @Test
    void tokenStatesAreWhatMeanPoolingAveragesAndTheSameAloneOrInABatch() {
        List<String> texts = List.of("a dog", "a dog runs on the green grass", "sunglasses");
        try (BertTextEncoder onnx = raw("bert-tiny.onnx").build();
             BertTextEncoder normalized = raw("bert-tiny.onnx").normalize(true).build()) {
            List<EncodedSequence> batch = onnx.encodeSequenceAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                EncodedSequence one = onnx.encodeSequence(texts.get(i));
                assertThat(one.pooled()).isEqualTo(onnx.encode(texts.get(i)));
                assertThat(one.sequence().width()).isEqualTo(onnx.dimension());
                assertThat(one.sequence().validLength()).isEqualTo(one.sequence().length());
                // mean pooling of the returned tokens is the pooled embedding (special tokens included)
                assertThat(Fixtures.maxAbsDiff(one.sequence().mean().toArray(), one.pooled().toArray()))
                        .isLessThan(1e-6);
                assertThat(Fixtures.maxAbsDiff(batch.get(i).sequence().toArray(), one.sequence().toArray()))
                        .isLessThan(1e-5);
                // normalize(true) changes the pooled embedding only; the states are the model's
                EncodedSequence n = normalized.encodeSequence(texts.get(i));
                assertThat(n.sequence()).isEqualTo(one.sequence());
                assertThat(n.pooled().norm()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
            }
            assertThat(batch.get(1).sequence().length()).isGreaterThan(batch.get(0).sequence().length());
        }
    }

    @Test
    void longTextGivesTheFirstWindowsTokens() {
        String text = "word ".repeat(40).trim();
        try (BertTextEncoder split = raw("bert-tiny.onnx").maxLength(16).longText(LongTextMode.SPLIT_AND_AVERAGE)
                .build()) {
            EncodedSequence s = split.encodeSequence(text);
            assertThat(s.sequence().length()).isEqualTo(16);
            assertThat(s.pooled()).isEqualTo(split.encode(text));
        }
    }
}
