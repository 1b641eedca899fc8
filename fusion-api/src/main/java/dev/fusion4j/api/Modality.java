package dev.fusion4j.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of one input channel of a record: {@link #TEXT}, {@link #IMAGE}, or any other kind named
 * with {@link #named(String)} ("audio", "title", "thumbnail"). Two modalities are equal when their
 * names are equal; names are lower case letters, digits, '_' and '-', starting with a letter.
 */
public record Modality(String name) implements Comparable<Modality> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    /** The text modality ("text"). */
    public static final Modality TEXT = new Modality("text");
    /** The image modality ("image"). */
    public static final Modality IMAGE = new Modality("image");

    /** Validates the name; prefer {@link #named(String)}. */
    public Modality {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("Invalid modality name '" + name + "': use 1 to 64 characters"
                    + " of lower case letters, digits, '_' or '-', starting with a letter (e.g. \"audio\")");
        }
    }

    /** The modality with this name; upper case is folded to lower case. */
    public static Modality named(String name) {
        return new Modality(name == null ? null : name.strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public int compareTo(Modality other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
