package dev.fusion4j.api;

/**
 * Thrown when a model, tokenizer or saved fusion model cannot be loaded: missing file, corrupt or
 * truncated content, wrong format for the chosen engine, or a location that would need the network
 * while offline.
 */
public class ModelLoadException extends FusionException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
