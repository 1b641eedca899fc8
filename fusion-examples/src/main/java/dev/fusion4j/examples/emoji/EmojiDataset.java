package dev.fusion4j.examples.emoji;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.fusion4j.api.ImageInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the emoji data set: the full one from a folder fetched by {@code tools/emoji-data/fetch.sh}, or the
 * committed sample from the class path.
 *
 * <p>Rules for the full set: the "Component" category (skin-tone and hair swatches) is skipped; skin-tone
 * variants are not expanded (emoji.json nests them under {@code skin_variations}) and a top-level entry whose
 * name contains "skin tone" is skipped too; an entry without an image of the folder's style ({@code has_img_<style>}
 * false or no file under {@code img/<style>/64/}) is skipped. Records come sorted by {@code sort_order}. The style is
 * the vendor whose artwork the folder holds: {@code google} ({@code emoji-datasource-google}, the training and
 * evaluation set) or {@code apple} ({@code emoji-datasource-apple}, same schema, the style-shift test set); both
 * come from {@code tools/emoji-data/fetch.sh [google|apple]}.
 */
public final class EmojiDataset {
    /** Where the committed sample lives on the class path. */
    public static final String SAMPLE_RESOURCE = "/emoji-sample/";
    /** The sample's index: one JSON object per line. */
    public static final String SAMPLE_INDEX = "sample.jsonl";
    /** The system property that names the data folder, overriding the search of {@link #findDataDir()}. */
    public static final String DATA_DIR_PROPERTY = "fusion4j.emoji.dir";
    /** The artwork styles (npm {@code emoji-datasource-<style>@16.0.0}) a data folder may hold. */
    public static final List<String> STYLES = List.of("google", "apple");
    private static final String SKIPPED_CATEGORY = "Component";
    private static final String FETCH_HINT = "run tools/emoji-data/fetch.sh from the repository root";

    private EmojiDataset() {
    }

    /**
     * The full data set, in the one style whose {@code img/<style>/64/} the folder holds.
     *
     * @param dataDir the folder holding {@code emoji.json} and {@code img/<style>/64/} (normally {@code data/emoji}
     *                for Google's artwork, {@code data/emoji-apple} for Apple's)
     * @throws UncheckedIOException if emoji.json is missing or unreadable, or the folder holds no style or several
     */
    public static List<EmojiRecord> load(Path dataDir) {
        List<String> present = STYLES.stream().filter(s -> Files.isDirectory(dataDir.resolve(imageDir(s)))).toList();
        if (present.size() != 1) {
            throw new UncheckedIOException(new IOException(dataDir.toAbsolutePath() + " holds "
                    + (present.isEmpty() ? "no img/<style>/64 folder" : "the styles " + present)
                    + ": name one with load(dir, style), one of " + STYLES + ", or " + FETCH_HINT));
        }
        return load(dataDir, present.get(0));
    }

    /**
     * The full data set in one artwork style.
     *
     * @param dataDir the folder holding {@code emoji.json} and {@code img/<style>/64/}
     * @param style   one of {@link #STYLES}
     * @throws UncheckedIOException if emoji.json is missing or unreadable
     */
    public static List<EmojiRecord> load(Path dataDir, String style) {
        if (!STYLES.contains(style)) {
            throw new IllegalArgumentException("Unknown emoji style '" + style + "': use one of " + STYLES);
        }
        Path json = dataDir.resolve("emoji.json");
        if (!Files.isRegularFile(json)) {
            throw new UncheckedIOException(new IOException("No emoji.json in " + dataDir.toAbsolutePath()
                    + ": " + FETCH_HINT));
        }
        List<JsonObject> entries = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonParser.parseReader(reader).getAsJsonArray().forEach(e -> entries.add(e.getAsJsonObject()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + json + ": " + e.getMessage(), e);
        }
        Map<String, String> nameByCode = new HashMap<>();
        for (JsonObject entry : entries) {
            nameByCode.put(string(entry, "unified").toUpperCase(Locale.ROOT), nameOf(entry));
        }
        entries.sort(Comparator.comparingInt(e -> e.get("sort_order").getAsInt()));
        Path images = dataDir.resolve(imageDir(style));
        String flag = "has_img_" + style;
        List<EmojiRecord> records = new ArrayList<>();
        for (JsonObject entry : entries) {
            String name = nameOf(entry);
            String category = string(entry, "category");
            Path image = images.resolve(string(entry, "image"));
            boolean hasImage = entry.has(flag) && entry.get(flag).getAsBoolean();
            if (category.equals(SKIPPED_CATEGORY) || name.contains("skin tone") || !hasImage
                    || !Files.isRegularFile(image)) {
                continue;
            }
            String unified = string(entry, "unified");
            records.add(new EmojiRecord(unified, name, category, string(entry, "subcategory"), ImageInput.of(image),
                    EmojiGroups.key(unified, name, nameByCode::get)));
        }
        return List.copyOf(records);
    }

    private static String imageDir(String style) {
        return "img/" + style + "/64";
    }

    /**
     * The committed sample (about 300 records made by {@link MakeSample}), images held as PNG bytes.
     *
     * @throws IllegalStateException if the sample is not on the class path
     */
    public static List<EmojiRecord> loadSample() {
        List<EmojiRecord> records = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(resource(SAMPLE_INDEX),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                ImageInput image;
                try (InputStream png = resource(string(o, "image"))) {
                    image = ImageInput.of(png);
                }
                records.add(new EmojiRecord(string(o, "unified"), string(o, "name"), string(o, "category"),
                        string(o, "subcategory"), image, string(o, "group")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the emoji sample: " + e.getMessage(), e);
        }
        return List.copyOf(records);
    }

    /**
     * The full data set's folder: the {@value #DATA_DIR_PROPERTY} system property if set, else the first
     * {@code data/emoji} holding emoji.json in the working directory or one of its parents.
     */
    public static Optional<Path> findDataDir() {
        String configured = System.getProperty(DATA_DIR_PROPERTY);
        if (configured != null) {
            return Optional.of(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data").resolve("emoji");
            if (Files.isRegularFile(candidate.resolve("emoji.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@link #findDataDir()}, or an exception that says how to get the data. */
    public static Path requireDataDir() {
        return findDataDir().orElseThrow(() -> new IllegalStateException("No data/emoji folder with emoji.json"
                + " in " + Path.of("").toAbsolutePath() + " or its parents: " + FETCH_HINT + " or set -D"
                + DATA_DIR_PROPERTY + "=<folder>"));
    }

    /** The lower-cased {@code name}, or the {@code short_name} with '_' as spaces when the name is empty. */
    private static String nameOf(JsonObject entry) {
        JsonElement name = entry.get("name");
        String text = name == null || name.isJsonNull() ? "" : name.getAsString().strip();
        if (text.isEmpty()) {
            text = string(entry, "short_name").replace('_', ' ');
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("Emoji entry has no '" + field + "': " + o);
        }
        return e.getAsString();
    }

    private static InputStream resource(String name) {
        InputStream in = EmojiDataset.class.getResourceAsStream(SAMPLE_RESOURCE + name);
        if (in == null) {
            throw new IllegalStateException("Resource " + SAMPLE_RESOURCE + name + " is not on the class path:"
                    + " the emoji sample is made by dev.fusion4j.examples.emoji.MakeSample");
        }
        return in;
    }
}
