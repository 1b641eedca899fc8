package dev.fusion4j.core.internal;

import dev.fusion4j.api.InvalidInputException;

/** Validation of settings; every failure is an {@link InvalidInputException} naming the setting. */
public final class Checks {
    private Checks() {
    }

    /** Returns {@code value} if it is at least 1. */
    public static int positive(String setting, int value) {
        if (value < 1) {
            throw new InvalidInputException(setting + " must be at least 1, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is finite and in {@code [0, 1)}. */
    public static float probability(String setting, float value) {
        if (!(value >= 0f && value < 1f)) {
            throw new InvalidInputException(setting + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is not null. */
    public static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new InvalidInputException(what + " is null");
        }
        return value;
    }
}
