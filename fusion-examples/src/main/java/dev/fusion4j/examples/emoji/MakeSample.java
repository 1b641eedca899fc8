package dev.fusion4j.examples.emoji;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Makes the committed sample {@code fusion-examples/src/main/resources/emoji-sample/} from the full data set:
 * about {@value #TARGET} records, stratified over subcategories (so every category but Component and nearly every
 * subcategory appears), whole groups preferred, chosen with a fixed seed. Writes the PNGs, {@code sample.jsonl},
 * the package's {@code LICENSE} and {@code README.md}; leaves {@code LICENSE-APACHE-2.0} (the images' licence)
 * alone. Rerunnable: the same data give the same files.
 *
 * <p>Run after {@code tools/emoji-data/fetch.sh}: {@code ./mvnw -q -pl fusion-examples exec:java
 * -Ddemo.main=dev.fusion4j.examples.emoji.MakeSample} (optional arguments: data folder, output folder).
 */
public final class MakeSample {
    static final int TARGET = 300;
    static final long SEED = 20240601L;
    /** Records a subcategory gets at least (or all it has, if fewer). */
    private static final int MIN_PER_SUBCATEGORY = 2;
    private static final String OUTPUT = "fusion-examples/src/main/resources/emoji-sample";

    private MakeSample() {
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : EmojiDataset.requireDataDir();
        Path out = args.length > 1 ? Path.of(args[1]) : outputDir();
        List<EmojiRecord> all = EmojiDataset.load(dataDir);
        List<EmojiRecord> sample = choose(all, TARGET, SEED);
        write(sample, dataDir, out);
        System.out.printf(Locale.ROOT, "Wrote %d of %d records (%d groups, %d subcategories) to %s%n", sample.size(),
                all.size(), sample.stream().map(EmojiRecord::group).distinct().count(),
                sample.stream().map(EmojiRecord::subcategory).distinct().count(), out);
    }

    /**
     * About {@code target} records: each subcategory gets its proportional share (at least {@value
     * #MIN_PER_SUBCATEGORY}), filled with whole groups in a seeded random order, skipping groups too big for
     * what is left; a subcategory no whole group fits takes the start of one. The result keeps the input order.
     */
    static List<EmojiRecord> choose(List<EmojiRecord> all, int target, long seed) {
        Map<String, List<EmojiRecord>> bySubcategory = new TreeMap<>();
        for (EmojiRecord r : all) {
            bySubcategory.computeIfAbsent(r.subcategory(), k -> new ArrayList<>()).add(r);
        }
        Random random = new Random(seed);
        Set<EmojiRecord> chosen = new HashSet<>();
        for (List<EmojiRecord> members : bySubcategory.values()) {
            int quota = Math.max(Math.min(MIN_PER_SUBCATEGORY, members.size()),
                    (int) ((long) target * members.size() / all.size()));
            Map<String, List<EmojiRecord>> groups = members.stream().collect(Collectors.groupingBy(
                    EmojiRecord::group, LinkedHashMap::new, Collectors.toList()));
            List<List<EmojiRecord>> order = new ArrayList<>(groups.values());
            Collections.shuffle(order, random);
            int taken = 0;
            for (List<EmojiRecord> group : order) {
                if (taken + group.size() <= quota) {
                    chosen.addAll(group);
                    taken += group.size();
                }
            }
            if (taken == 0) {
                chosen.addAll(order.get(0).subList(0, quota));
            }
        }
        return all.stream().filter(chosen::contains).toList();
    }

    private static void write(List<EmojiRecord> sample, Path dataDir, Path out) throws IOException {
        Files.createDirectories(out);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(out, "*.png")) {
            for (Path png : old) {
                Files.delete(png);
            }
        }
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        StringBuilder jsonl = new StringBuilder();
        for (EmojiRecord r : sample) {
            Path png = r.image().path().orElseThrow(() -> new IllegalStateException(r + " has no image file"));
            Files.copy(png, out.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            JsonObject o = new JsonObject();
            o.addProperty("unified", r.unified());
            o.addProperty("name", r.name());
            o.addProperty("category", r.category());
            o.addProperty("subcategory", r.subcategory());
            o.addProperty("image", png.getFileName().toString());
            o.addProperty("group", r.group());
            jsonl.append(gson.toJson(o)).append('\n');
        }
        Files.writeString(out.resolve(EmojiDataset.SAMPLE_INDEX), jsonl, StandardCharsets.UTF_8);
        Files.copy(dataDir.resolve("LICENSE"), out.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(out.resolve("README.md"), readme(sample), StandardCharsets.UTF_8);
    }

    private static String readme(List<EmojiRecord> sample) {
        StringBuilder counts = new StringBuilder();
        sample.stream().collect(Collectors.groupingBy(EmojiRecord::category, TreeMap::new, Collectors.counting()))
                .forEach((category, n) -> counts.append("| ").append(category).append(" | ").append(n).append(" |\n"));
        return """
                # Emoji sample

                %d emoji (%d groups, %d subcategories) chosen from the npm package
                `emoji-datasource-google@16.0.0` (https://github.com/iamcal/emoji-data) for tests and the demo:
                64x64 PNGs of Google's Noto emoji and `sample.jsonl`, one JSON object per line with `unified`,
                `name` (lower-cased), `category`, `subcategory`, `image` (file name here) and `group` (the key that
                ties gender and family variants together; see `EmojiGroups`). Load it with
                `EmojiDataset.loadSample()`.

                Licences: the data (emoji.json) is MIT, Copyright (c) 2013 Cal Henderson: see `LICENSE`, copied from
                the package. The images are Google's Noto emoji, which the package's README states are "available
                under the Apache License 2.0" (https://github.com/googlefonts/noto-emoji/blob/main/LICENSE): see
                `LICENSE-APACHE-2.0`.

                Made by `dev.fusion4j.examples.emoji.MakeSample` (seed %d, stratified over subcategories, whole
                groups preferred) from the full set that `tools/emoji-data/fetch.sh` downloads. To remake it:

                ```
                tools/emoji-data/fetch.sh
                ./mvnw -q -pl fusion-examples exec:java -Ddemo.main=dev.fusion4j.examples.emoji.MakeSample
                ```

                | category | records |
                |---|---|
                %s""".formatted(sample.size(), sample.stream().map(EmojiRecord::group).distinct().count(),
                sample.stream().map(EmojiRecord::subcategory).distinct().count(), SEED, counts);
    }

    /** {@value #OUTPUT} under the working directory or its nearest parent that has it. */
    private static Path outputDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(OUTPUT).getParent())) {
                return dir.resolve(OUTPUT);
            }
        }
        throw new UncheckedIOException(new IOException("No " + OUTPUT + " under " + Path.of("").toAbsolutePath()
                + " or its parents: run from the repository or pass the output folder as the second argument"));
    }
}
