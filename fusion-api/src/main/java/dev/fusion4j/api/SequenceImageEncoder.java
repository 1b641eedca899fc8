package dev.fusion4j.api;

import java.util.List;

/**
 * An {@link ImageEncoder} that also returns a spatial grid of region features (the feature map before pooling,
 * pooled to a configured number of regions), for fusion strategies that attend to parts of an image. Thread-safe,
 * like every encoder.
 */
public interface SequenceImageEncoder extends ImageEncoder {

    /**
     * Encodes one image: the pooled embedding (the same as {@link #encode}) and its regions in row-major grid order
     * (top-left first).
     *
     * @throws InvalidInputException if the image is null or cannot be decoded
     * @throws IncompatibleModelException if the model returns no feature map to cut into regions
     */
    EncodedSequence encodeSequence(ImageInput image);

    /**
     * Encodes images of a list of any length, batching internally; one result per image, in order.
     *
     * @throws InvalidInputException if the list or an image is null, naming its index
     */
    List<EncodedSequence> encodeSequenceAll(List<ImageInput> images);
}
