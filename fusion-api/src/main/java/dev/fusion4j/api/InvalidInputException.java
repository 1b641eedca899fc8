package dev.fusion4j.api;

/**
 * Thrown when an input (text, image, embedding, record, setting) cannot be used: null, empty, malformed,
 * too large, non-finite or of the wrong dimension. The message names the offending input and the fix.
 */
public class InvalidInputException extends FusionException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
