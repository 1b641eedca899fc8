package dev.fusion4j.api;

import java.util.List;

/**
 * Turns an image into a fixed-size {@link Embedding}. Implementations are thread-safe and hold
 * native resources: close them when done ({@link #close()} is idempotent; any use after it throws
 * {@link IllegalStateException}).
 */
public interface ImageEncoder extends AutoCloseable {

    /** Dimension of every embedding this encoder returns (read from the model). */
    int dimension();

    /** An identifier of the model and its preprocessing, recorded by trained fusion models. */
    String id();

    /**
     * Encodes one image.
     *
     * @throws InvalidInputException if the image cannot be read or decoded, or is too large
     */
    Embedding encode(ImageInput image);

    /**
     * Encodes images of a list of any length, batching internally; one embedding per image, in order.
     *
     * @throws InvalidInputException naming the index of the first image that cannot be used
     */
    List<Embedding> encodeAll(List<ImageInput> images);

    @Override
    void close();
}
