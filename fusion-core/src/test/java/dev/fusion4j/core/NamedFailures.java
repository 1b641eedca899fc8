package dev.fusion4j.core;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts the test's display name in front of a failure's message. Surefire's console summary names a parameterised
 * case only by its index ({@code eightThreadsGetIdenticalBits(String, FusionSpec)[8]}) but prints the message, so
 * with this the summary says which strategy failed ({@code [8] bilinear-compact: ...}).
 */
public final class NamedFailures implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof AssertionError && !(failure instanceof NamedFailure)) {
            String name = context.getDisplayName();
            NamedFailure named = new NamedFailure(name + ": " + failure.getMessage(), failure);
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }
        throw failure;
    }

    /** An assertion failure whose message starts with the test's display name. */
    static final class NamedFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        NamedFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
