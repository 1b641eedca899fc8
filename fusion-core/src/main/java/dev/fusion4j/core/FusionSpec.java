package dev.fusion4j.core;

import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import java.util.Map;

/**
 * The configuration of a fusion strategy before it knows its inputs: what {@link Fusions} returns,
 * e.g. {@code Fusions.attention().dimension(256).heads(4)}. Specs are immutable values (every setter
 * returns a new spec), so one spec can be bound many times.
 *
 * <p>{@link #bind} creates the strategy for an ordered set of modalities and their dimensions, with
 * freshly initialised parameters (deterministic from the spec's seed). The caller owns the result:
 * strategies that hold native memory are {@link AutoCloseable} and must be closed;
 * {@link Fusion#builder()} binds and closes them for you.
 */
public interface FusionSpec {

    /**
     * Binds this spec to the given modalities (in iteration order) and their dimensions.
     *
     * @throws dev.fusion4j.api.InvalidInputException if the modalities or dimensions do not suit this
     *     strategy (e.g. full bilinear over three modalities, or an output above its size limit)
     */
    FusionStrategy bind(Map<Modality, Integer> inputDimensions);
}
