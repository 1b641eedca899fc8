package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.ImageInput;
import java.util.Objects;

/**
 * One emoji: its Unicode code points, lower-cased name, category, subcategory, image and group key.
 *
 * @param unified code points as in emoji.json, e.g. {@code "1F600"} or {@code "1F939-200D-2642-FE0F"}; unique
 *     within a data set
 * @param name lower-cased name, e.g. {@code "grinning face"}
 * @param category e.g. {@code "Smileys & Emotion"}
 * @param subcategory e.g. {@code "face-smiling"}
 * @param image the 64x64 PNG: a file ({@link ImageInput#path()} present) for the full data set, bytes for the
 *     committed sample
 * @param group the key that ties gender, person-form and family variants of one emoji together (see {@link
 *     EmojiGroups}); records sharing it must not straddle a train/test split
 */
public record EmojiRecord(String unified, String name, String category, String subcategory, ImageInput image,
        String group) {

    public EmojiRecord {
        requireText("unified", unified, unified);
        requireText("name", name, unified);
        requireText("category", category, unified);
        requireText("subcategory", subcategory, unified);
        Objects.requireNonNull(image, () -> "image of emoji " + unified + " is null");
        requireText("group", group, unified);
    }

    private static void requireText(String field, String value, String unified) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " of emoji " + unified + " is null or blank");
        }
    }

    @Override
    public String toString() {
        return "EmojiRecord[" + unified + " '" + name + "', " + category + " / " + subcategory + ", group '" + group
                + "']";
    }
}
