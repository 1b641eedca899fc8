package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.classify.KnnClassifier;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.models.BundledModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Unfused baselines on the full emoji set: linear probes and kNN@1 on the name embedding alone, the image
 * embedding alone, their raw concatenation and the concatenation of the L2-normalised parts, predicting category and subcategory, over grouped 70/30 splits
 * with seeds 1, 2 and 3. Needs {@code tools/emoji-data/fetch.sh} first; the first run embeds everything and caches
 * it. Run: {@code ./mvnw -q -pl fusion-examples exec:java -Ddemo.main=dev.fusion4j.examples.emoji.BaselineProbes}
 * (an optional argument names the data folder).
 */
public final class BaselineProbes {
    private static final long[] SEEDS = {1, 2, 3};
    private static final double TRAIN_FRACTION = 0.7;

    private BaselineProbes() {
    }

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path dataDir = args.length > 0 ? Path.of(args[0]) : EmojiDataset.requireDataDir();
        List<EmojiRecord> records = EmojiDataset.load(dataDir);
        System.out.printf(Locale.ROOT, "%d records in %d groups from %s%n", records.size(),
                records.stream().map(EmojiRecord::group).distinct().count(), dataDir);
        records.stream().collect(Collectors.groupingBy(EmojiRecord::category, TreeMap::new, Collectors.counting()))
                .forEach((category, n) -> System.out.printf(Locale.ROOT, "  %-18s %4d%n", category, n));
        CachedEmbeddings cached;
        long t0 = System.nanoTime();
        try (TextEncoder text = BundledModels.miniLmText(); ImageEncoder image = BundledModels.mobileNetV2Image()) {
            cached = EmbeddingCache.load(dataDir, records, text, image);
        }
        System.out.printf(Locale.ROOT, "Embeddings ready in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, cached);

        Map<String, Function<EmojiRecord, Embedding>> views = new LinkedHashMap<>();
        views.put("text", cached::text);
        views.put("image", cached::image);
        views.put("concat", r -> concat(cached.text(r), cached.image(r)));
        views.put("concat-l2", r -> concat(cached.text(r).normalized(), cached.image(r).normalized()));
        Map<String, Function<EmojiRecord, String>> tasks = new LinkedHashMap<>();
        tasks.put("category", EmojiRecord::category);
        tasks.put("subcategory", EmojiRecord::subcategory);

        Map<String, double[]> results = new LinkedHashMap<>();  // "task view method" -> accuracy per seed
        for (int s = 0; s < SEEDS.length; s++) {
            GroupedSplit.Split split = GroupedSplit.split(records, TRAIN_FRACTION, SEEDS[s]);
            System.out.printf(Locale.ROOT, "seed %d: %d train, %d test%n", SEEDS[s], split.train().size(),
                    split.test().size());
            for (Map.Entry<String, Function<EmojiRecord, String>> task : tasks.entrySet()) {
                List<String> trainY = split.train().stream().map(task.getValue()).toList();
                List<String> testY = split.test().stream().map(task.getValue()).toList();
                for (Map.Entry<String, Function<EmojiRecord, Embedding>> view : views.entrySet()) {
                    List<Embedding> trainX = split.train().stream().map(view.getValue()).toList();
                    List<Embedding> testX = split.test().stream().map(view.getValue()).toList();
                    String key = task.getKey() + " " + view.getKey();
                    double probe = Metrics.accuracy(testY, LinearProbe.builder().seed(SEEDS[s]).build()
                            .fit(trainX, trainY).predictAll(testX));
                    double knn = Metrics.accuracy(testY, KnnClassifier.fit(trainX, trainY).predictAll(testX));
                    results.computeIfAbsent(key + " linear probe", k -> new double[SEEDS.length])[s] = probe;
                    results.computeIfAbsent(key + " kNN@1", k -> new double[SEEDS.length])[s] = knn;
                    System.out.printf(Locale.ROOT, "  %-26s probe %.3f  kNN@1 %.3f%n", key, probe, knn);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nAccuracy on the test side, mean ± sd over seeds 1, 2, 3%n");
        results.forEach((key, acc) -> System.out.printf(Locale.ROOT, "  %-38s %.3f ± %.3f%n", key, mean(acc),
                sd(acc)));
    }

    /** The two vectors side by side, unnormalised. */
    static Embedding concat(Embedding a, Embedding b) {
        float[] joined = new float[a.dimension() + b.dimension()];
        a.copyTo(joined, 0);
        b.copyTo(joined, a.dimension());
        return Embedding.of(joined);
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private static double sd(double[] xs) {
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.length - 1));
    }
}
