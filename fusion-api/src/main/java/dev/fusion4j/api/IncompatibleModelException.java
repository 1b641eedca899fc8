package dev.fusion4j.api;

/**
 * Thrown when a model loads but does not fit what it is combined with: its modalities, dimensions
 * or encoder identifiers differ from the embedder's, or it was written by a newer format version.
 */
public class IncompatibleModelException extends FusionException {
    private static final long serialVersionUID = 1L;

    public IncompatibleModelException(String message) {
        super(message);
    }

    public IncompatibleModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
