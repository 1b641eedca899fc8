package dev.fusion4j.core.train;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.api.TrainingExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns training examples into unimodal embeddings. Examples given as embeddings are used as they are; the
 * values of raw {@link MultimodalInput} examples are encoded ONCE, all values of a modality together through
 * {@code encodeAll} in chunks of {@value #CHUNK} (progress reported after each), with the frozen encoders the
 * trainer was given. Precomputed {@link Embedding} values inside a raw input are used as they are.
 */
final class ExampleEmbedder {
    /** Values per {@code encodeAll} call (and per progress report). */
    static final int CHUNK = 256;

    private ExampleEmbedder() {
    }

    /**
     * @param encoders per modality a {@link TextEncoder} or an {@link ImageEncoder}
     * @throws InvalidInputException naming the example whose value has no suitable encoder
     */
    static List<ModalityEmbeddings> embed(List<TrainingExample> examples, Map<Modality, Object> encoders,
            TrainingListener listener) {
        return embed(examples, encoders, listener, false);
    }

    /**
     * As {@link #embed(List, Map, TrainingListener)}; with {@code sequences}, a {@link SequenceTextEncoder} or
     * {@link SequenceImageEncoder} also gives each value's sequence (for a sequence-level strategy).
     */
    static List<ModalityEmbeddings> embed(List<TrainingExample> examples, Map<Modality, Object> encoders,
            TrainingListener listener, boolean sequences) {
        Map<Modality, List<Integer>> owners = new LinkedHashMap<>();
        Map<Modality, List<Object>> values = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            if (example == null) {
                throw new InvalidInputException("Training example " + i + " is null");
            }
            if (example.embeddings().isPresent()) {
                continue;
            }
            MultimodalInput input = example.input().orElseThrow();
            for (Modality modality : input.modalities()) {
                Object value = input.value(modality).orElseThrow();
                if (value instanceof Embedding) {
                    continue;
                }
                Object encoder = encoders.get(modality);
                String kind = value instanceof String ? "a text" : "an image";
                if (encoder == null) {
                    throw new InvalidInputException("Training example " + i + " has " + kind + " for modality '"
                            + modality + "' but the trainer has no encoder for it: add .text(..), .image(..) or"
                            + " .encoder(modality, ..) to the FusionTrainer builder, or give precomputed embeddings");
                }
                boolean fits = value instanceof String ? encoder instanceof TextEncoder
                        : value instanceof ImageInput && encoder instanceof ImageEncoder;
                if (!fits) {
                    throw new InvalidInputException("Training example " + i + " has " + kind + " for modality '"
                            + modality + "' but that modality's encoder is " + encoder.getClass().getSimpleName()
                            + ": give each modality an encoder of the matching kind");
                }
                owners.computeIfAbsent(modality, k -> new ArrayList<>()).add(i);
                values.computeIfAbsent(modality, k -> new ArrayList<>()).add(value);
            }
        }
        Map<Modality, Object[]> encoded = new LinkedHashMap<>();
        values.forEach((modality, vs) -> encoded.put(modality, encode(modality, encoders.get(modality), vs,
                owners.get(modality), examples.size(), listener, sequences)));
        List<ModalityEmbeddings> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            if (example.embeddings().isPresent()) {
                out.add(example.embeddings().get());
                continue;
            }
            MultimodalInput input = example.input().orElseThrow();
            ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
            for (Modality modality : input.modalities()) {
                Object value = input.value(modality).orElseThrow();
                Object e = value instanceof Embedding ? value : encoded.get(modality)[i];
                if (e instanceof EncodedSequence s) {
                    b.putEncoded(modality, s);
                } else {
                    b.put(modality, (Embedding) e);
                }
            }
            out.add(b.build());
        }
        return out;
    }

    /** Encodes {@code values} in chunks; the result is indexed by example. */
    @SuppressWarnings("unchecked")
    private static Object[] encode(Modality modality, Object encoder, List<Object> values, List<Integer> owners,
            int examples, TrainingListener listener, boolean sequences) {
        Object[] byExample = new Object[examples];
        for (int start = 0; start < values.size(); start += CHUNK) {
            int end = Math.min(values.size(), start + CHUNK);
            List<Object> chunk = values.subList(start, end);
            List<?> result;
            if (sequences && encoder instanceof SequenceTextEncoder t) {
                result = t.encodeSequenceAll((List<String>) (List<?>) chunk);
            } else if (sequences && encoder instanceof SequenceImageEncoder i) {
                result = i.encodeSequenceAll((List<ImageInput>) (List<?>) chunk);
            } else {
                result = encoder instanceof TextEncoder t
                        ? t.encodeAll((List<String>) (List<?>) chunk)
                        : ((ImageEncoder) encoder).encodeAll((List<ImageInput>) (List<?>) chunk);
            }
            if (result.size() != chunk.size()) {
                throw new FusionException("The encoder of modality '" + modality + "' returned " + result.size()
                        + " embeddings for " + chunk.size() + " values");
            }
            for (int i = start; i < end; i++) {
                byExample[owners.get(i)] = result.get(i - start);
            }
            listener.onEmbedding(modality, end, values.size());
        }
        return byExample;
    }
}
