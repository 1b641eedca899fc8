package dev.fusion4j.api;

/**
 * Root of every error fusion4j reports. Unchecked, like DJL's and most modern Java libraries'
 * exceptions; the message always says what was wrong and how to fix it.
 *
 * <p>Subtypes: {@link InvalidInputException} (the caller handed in something unusable),
 * {@link ModelLoadException} (a model or saved artefact could not be read),
 * {@link IncompatibleModelException} (a model was read but does not fit what it is used with).
 */
public class FusionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FusionException(String message) {
        super(message);
    }

    public FusionException(String message, Throwable cause) {
        super(message, cause);
    }
}
