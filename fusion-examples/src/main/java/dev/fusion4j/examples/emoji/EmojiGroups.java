package dev.fusion4j.examples.emoji;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Group keys: the variants of one emoji that look alike (man / woman / person forms, family and couple
 * compositions, hair and beard variants, "facing right" mirror images) share a key, so a split by key never puts
 * one of them in training and its near-copy in test.
 *
 * <p>Two steps. First the code points are reduced to the gender-neutral base when the data set has it: a ZWJ
 * gender sign (U+2640, U+2642) or ZWJ right arrow (U+27A1) is dropped and a leading MAN / WOMAN before a ZWJ
 * profession becomes PERSON (so {@code 1F939-200D-2642-FE0F} "man juggling" takes the name of {@code 1F939}
 * "juggling", and "man running" that of "runner"). Then the name is normalised: everything from a colon on is
 * dropped ("family: man, woman, boy" → "family", "man: beard" → "man"), leading and trailing person words are
 * stripped ("men with bunny ears" → "with bunny ears", "pregnant woman" → "pregnant"), as is "facing right", a
 * handful of separately encoded trios are aliased (prince / princess / person with crown, dancer / man dancing, …), and a name that is
 * nothing but person words becomes "person".
 */
public final class EmojiGroups {
    private static final Set<String> PERSON_WORDS = Set.of(
            "man", "woman", "person", "men", "women", "people", "boy", "girl", "adult", "child");
    private static final Set<String> LEADING_QUALIFIERS = Set.of("older", "two");
    private static final List<String> DROPPED_SEQUENCES = List.of(
            "-200D-2640-FE0F", "-200D-2642-FE0F", "-200D-27A1-FE0F", "-200D-2640", "-200D-2642", "-200D-27A1");
    private static final String PERSON = "1F9D1";
    private static final String MAN_ZWJ = "1F468-200D-";
    private static final String WOMAN_ZWJ = "1F469-200D-";
    private static final Map<String, String> ALIASES = Map.of(
            "princess", "prince",
            "with crown", "prince",
            "mother christmas", "father christmas",
            "mx claus", "father christmas",
            "dancing", "dancer");
    private static final String FACING_RIGHT = " facing right";

    private EmojiGroups() {
    }

    /**
     * The group key of an emoji.
     *
     * @param unified its code points, e.g. {@code "1F469-200D-2695-FE0F"}
     * @param name its name, any case
     * @param nameOf the names of the other emoji of the data set by code points (null when absent), used to
     *     find the gender-neutral base
     */
    public static String key(String unified, String name, Function<String, String> nameOf) {
        String withoutSigns = withoutGenderSigns(unified);
        for (String base : List.of(asPerson(withoutSigns), withoutSigns)) {
            String baseName = base.equals(unified) ? null : nameOf.apply(base);
            if (baseName != null) {
                return keyOfName(baseName);
            }
        }
        return keyOfName(name);
    }

    /** The code points without ZWJ gender signs and direction arrows. */
    static String withoutGenderSigns(String unified) {
        String code = unified.toUpperCase(Locale.ROOT);
        for (String dropped : DROPPED_SEQUENCES) {
            code = code.replace(dropped, "");
        }
        return code;
    }

    /** A ZWJ sequence starting with MAN or WOMAN made to start with PERSON (man health worker → health worker). */
    static String asPerson(String code) {
        return code.startsWith(MAN_ZWJ) || code.startsWith(WOMAN_ZWJ) ? PERSON + code.substring(5) : code;
    }

    /** The name rules alone (see the class comment). */
    public static String keyOfName(String name) {
        String key = name.toLowerCase(Locale.ROOT).strip();
        int colon = key.indexOf(':');
        if (colon >= 0) {
            key = key.substring(0, colon).strip();
        }
        if (key.endsWith(FACING_RIGHT)) {
            key = key.substring(0, key.length() - FACING_RIGHT.length());
        }
        List<String> words = new ArrayList<>(List.of(key.split("\\s+")));
        stripLeading(words);
        if (words.size() > 1 && PERSON_WORDS.contains(words.get(words.size() - 1))) {
            words.remove(words.size() - 1);
        }
        key = words.isEmpty() ? "person" : String.join(" ", words);
        return ALIASES.getOrDefault(key, key);
    }

    /** Drops leading person words with their qualifiers: "older man", "two men", "man and woman". */
    private static void stripLeading(List<String> words) {
        boolean stripped = true;
        while (stripped && !words.isEmpty()) {
            stripped = false;
            if (words.size() > 1 && LEADING_QUALIFIERS.contains(words.get(0)) && PERSON_WORDS.contains(words.get(1))) {
                words.remove(0);
            }
            if (PERSON_WORDS.contains(words.get(0))) {
                words.remove(0);
                stripped = true;
                if (words.size() > 1 && words.get(0).equals("and") && PERSON_WORDS.contains(words.get(1))) {
                    words.remove(0);
                }
            }
        }
    }
}
