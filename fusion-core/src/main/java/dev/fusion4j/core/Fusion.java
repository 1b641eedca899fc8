package dev.fusion4j.core;

import dev.fusion4j.core.internal.EngineDefaults;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point: assembles encoders and a fusion strategy into a {@link MultimodalEmbedder}.
 *
 * <pre>{@code
 * try (MultimodalEmbedder embedder = Fusion.builder()
 *         .text(textEncoder).image(imageEncoder)
 *         .strategy(Fusions.attention().dimension(256).heads(4))
 *         .build()) {
 *     Embedding e = embedder.embed(MultimodalInput.textOnly("a dog on grass"));
 * }
 * }</pre>
 */
public final class Fusion {
    static {
        EngineDefaults.apply();
    }

    private Fusion() {
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects the modalities (in declaration order, which is the strategy's modality order), the
     * strategy and the options; {@link #build()} validates them. Not thread-safe; the embedder it builds is.
     *
     * <table>
     *   <caption>Options</caption>
     *   <tr><th>option</th><th>default</th></tr>
     *   <tr><td>{@link #strategy(FusionSpec)} / {@link #strategy(FusionStrategy)}</td><td>{@code Fusions.concat()}</td></tr>
     *   <tr><td>{@link #normalizeOutput(boolean)}</td><td>true: every fused embedding is L2-normalised</td></tr>
     *   <tr><td>{@link #batchSize(int)}</td><td>{@value #DEFAULT_BATCH_SIZE} records per encoder and fusion call</td></tr>
     *   <tr><td>{@link #concurrentEncoding(boolean)}</td><td>true: a record's modalities are encoded at the
     *       same time, one encoder per thread</td></tr>
     *   <tr><td>{@link #ownEncoders(boolean)}</td><td>false: {@code close()} leaves the encoders open</td></tr>
     *   <tr><td>{@link #ownStrategy(boolean)}</td><td>false for a strategy handed in bound; a spec bound
     *       by the builder is always owned (and closed)</td></tr>
     * </table>
     */
    public static final class Builder {
        /** Default number of records per batch in {@code embedAll}. */
        public static final int DEFAULT_BATCH_SIZE = 64;

        private final Map<Modality, ModalitySource> sources = new LinkedHashMap<>();
        private FusionSpec spec;
        private FusionStrategy strategy;
        private boolean normalizeOutput = true;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean ownEncoders;
        private boolean ownStrategy;
        private boolean concurrentEncoding = true;

        private Builder() {
        }

        /** The encoder of {@link Modality#TEXT}. */
        public Builder text(TextEncoder encoder) {
            return encoder(Modality.TEXT, encoder);
        }

        /** The encoder of {@link Modality#IMAGE}. */
        public Builder image(ImageEncoder encoder) {
            return encoder(Modality.IMAGE, encoder);
        }

        /** A text encoder for {@code modality} (e.g. a "title" next to a "body"). */
        public Builder encoder(Modality modality, TextEncoder encoder) {
            return source(modality, ModalitySource.text(Checks.notNull("Text encoder for '" + modality + "'", encoder)));
        }

        /** An image encoder for {@code modality} (e.g. a "thumbnail"). */
        public Builder encoder(Modality modality, ImageEncoder encoder) {
            return source(modality, ModalitySource.image(Checks.notNull("Image encoder for '" + modality + "'",
                    encoder)));
        }

        /**
         * A modality whose records carry precomputed {@link dev.fusion4j.api.Embedding}s of {@code dimension}
         * (e.g. audio embeddings from elsewhere).
         */
        public Builder embedding(Modality modality, int dimension) {
            return source(modality, new ModalitySource.Precomputed(
                    Checks.positive("Dimension of modality '" + modality + "'", dimension)));
        }

        private Builder source(Modality modality, ModalitySource source) {
            Checks.notNull("Modality", modality);
            if (sources.containsKey(modality)) {
                throw new InvalidInputException("Modality '" + modality + "' was already given a source ("
                        + sources.get(modality).accepts() + "): each modality has exactly one");
            }
            sources.put(modality, source);
            return this;
        }

        /** The strategy to bind to the modalities at {@link #build()}; the embedder owns the bound strategy. */
        public Builder strategy(FusionSpec spec) {
            this.spec = Checks.notNull("Fusion spec", spec);
            this.strategy = null;
            return this;
        }

        /**
         * An already bound strategy (e.g. a trained model); its {@link FusionStrategy#inputDimensions()}
         * must match the modalities of this builder. Not closed by the embedder unless
         * {@link #ownStrategy(boolean) ownStrategy(true)}.
         */
        public Builder strategy(FusionStrategy strategy) {
            this.strategy = Checks.notNull("Fusion strategy", strategy);
            this.spec = null;
            return this;
        }

        /** Whether to L2-normalise every fused embedding (default true). */
        public Builder normalizeOutput(boolean normalize) {
            this.normalizeOutput = normalize;
            return this;
        }

        /** Records per encoder and fusion call in {@code embedAll} (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.positive("Batch size", batchSize);
            return this;
        }

        /**
         * Whether the encoders of a record's (or a batch's) modalities run at the same time (default true: the
         * first on the caller's thread, the others on the embedder's own threads, so a text and an image take
         * about as long as the slower of the two) or one after the other on the caller's thread (false: the call
         * uses only the caller's thread beside the encoders' own native threads, e.g. a Spark task granted one
         * core). The results are the same bits either way.
         */
        public Builder concurrentEncoding(boolean concurrent) {
            this.concurrentEncoding = concurrent;
            return this;
        }

        /** Whether {@code close()} also closes the encoders (default false: whoever created them closes them). */
        public Builder ownEncoders(boolean own) {
            this.ownEncoders = own;
            return this;
        }

        /** Whether {@code close()} closes a strategy handed in with {@link #strategy(FusionStrategy)} (default false). */
        public Builder ownStrategy(boolean own) {
            this.ownStrategy = own;
            return this;
        }

        /**
         * Validates and builds the embedder.
         *
         * @throws InvalidInputException if no modality was given or the strategy does not suit them
         * @throws IncompatibleModelException if a bound strategy's modalities or dimensions differ from
         *     the builder's (the message names the modality and both dimensions)
         */
        public MultimodalEmbedder build() {
            if (sources.isEmpty()) {
                throw new InvalidInputException("No modality: give at least one encoder (.text(..), .image(..),"
                        + " .encoder(..)) or precomputed embedding modality (.embedding(..))");
            }
            Map<Modality, Integer> dimensions = new LinkedHashMap<>();
            sources.forEach((m, s) -> dimensions.put(m, s.dimension()));
            FusionStrategy bound;
            boolean owned;
            if (strategy != null) {
                checkCompatible(strategy, dimensions);
                bound = strategy;
                owned = ownStrategy;
            } else {
                bound = (spec == null ? Fusions.concat() : spec).bind(dimensions);
                owned = true;
            }
            return new FusionEmbedder(new LinkedHashMap<>(sources), bound, owned, ownEncoders, normalizeOutput,
                    batchSize, concurrentEncoding);
        }

        private static void checkCompatible(FusionStrategy strategy, Map<Modality, Integer> dimensions) {
            Map<Modality, Integer> expected = strategy.inputDimensions();
            for (Map.Entry<Modality, Integer> e : dimensions.entrySet()) {
                Integer d = expected.get(e.getKey());
                if (d == null) {
                    throw new IncompatibleModelException("The fusion strategy does not take modality '" + e.getKey()
                            + "' (dimension " + e.getValue() + "); it was bound to " + expected
                            + ": use a strategy bound to the embedder's modalities " + dimensions);
                }
                if (!d.equals(e.getValue())) {
                    throw new IncompatibleModelException("The fusion strategy expects dimension " + d
                            + " for modality '" + e.getKey() + "' but its encoder gives " + e.getValue()
                            + ": use the encoder the strategy was built (or trained) for");
                }
            }
            for (Map.Entry<Modality, Integer> e : expected.entrySet()) {
                if (!dimensions.containsKey(e.getKey())) {
                    throw new IncompatibleModelException("The fusion strategy needs modality '" + e.getKey()
                            + "' (dimension " + e.getValue() + ") but the embedder has no source for it: add"
                            + " .encoder(..) or .embedding(..) for it");
                }
            }
        }
    }
}
