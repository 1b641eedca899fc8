package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.Prediction;
import dev.fusion4j.core.train.TrainingListener;
import dev.fusion4j.encoders.image.ImageAugmentation;
import dev.fusion4j.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Issue #14's evaluation: fusion heads trained on Google-style emoji, tested on held-out emoji drawn by Google
 * and by Apple (same names and labels, other artwork), with both modalities, half the names absent and half the
 * images absent; every strategy with {@link FusionTrainer.Builder#trustWeights trust weights} on (the default) and
 * off, beside the text, image and L2-concatenation probes. Means ± standard deviations over seeds 1, 2, 3 of the
 * grouped 70/30 split; the heads' validation set is a grouped 10% of the training side ({@code fit(train,
 * validation)}), the same for every row. Nothing is chosen on either test set.
 *
 * <p>Writes the section {@value #HEADING} of {@code docs/results.md}. Reproduce:
 * {@code tools/emoji-data/fetch.sh && tools/emoji-data/fetch.sh apple && ./mvnw -q -pl fusion-examples exec:java
 * -Ddemo.main=dev.fusion4j.examples.emoji.StyleShiftEvaluation}. Options: {@code -Deval.seeds=1},
 * {@code -Deval.tasks=category}, {@code -Deval.strategies=concat}, {@code -Deval.out=none}.
 */
public final class StyleShiftEvaluation {
    static final String HEADING = "## Style shift and trust weights (issue 14)";
    static final String[] STYLES = {"Google", "Apple"};
    static final String[] CONDITIONS = {"both", "names absent 50%", "images absent 50%"};
    private static final double TRAIN_FRACTION = 0.7;
    private static final double VALIDATION_FRACTION = 0.1;
    /** Perturbed copies of each validation image in the "perturbed validation" row ({@link ImageAugmentation}). */
    static final int VIEWS = 2;
    /** The strategy that also gets the perturbed-validation row: the trainer's default. */
    static final String DEFAULT_STRATEGY = "concat";

    private final List<EmojiRecord> google;
    private final CachedEmbeddings googleCache;
    private final Map<String, Embedding> appleImages = new LinkedHashMap<>();
    private final long[] seeds;
    private final List<String> tasks;
    private final List<String> strategies;
    /** "task|row|style|condition" (and "task|row|time", "task|row|style|weight") -> one value per seed. */
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private final List<String> rows = new ArrayList<>();
    /** The bundled image model's embeddings of {@link #VIEWS} perturbed copies of each validation image. */
    private final Map<String, List<Embedding>> perturbed = new LinkedHashMap<>();

    private StyleShiftEvaluation(List<EmojiRecord> google, CachedEmbeddings googleCache, List<EmojiRecord> apple,
            CachedEmbeddings appleCache) {
        this.google = google;
        this.googleCache = googleCache;
        for (EmojiRecord r : apple) {
            appleImages.put(r.unified(), appleCache.image(r));
        }
        this.seeds = Arrays.stream(System.getProperty("eval.seeds", "1,2,3").split(",")).mapToLong(Long::parseLong)
                .toArray();
        this.tasks = List.of(System.getProperty("eval.tasks", "category,subcategory").split(","));
        this.strategies = List.of(System.getProperty("eval.strategies", "concat,weightedSum,attention,compact,lowRank")
                .split(","));
    }

    public static void main(String[] args) throws IOException {
        Path googleDir = FusionEvaluation.dataDir(args);
        Path appleDir = args.length > 1 ? Path.of(args[1]) : googleDir.resolveSibling("emoji-apple");
        if (!Files.isDirectory(appleDir)) {
            System.err.println("No Apple-style emoji in " + appleDir + ": run tools/emoji-data/fetch.sh apple");
            System.exit(2);
        }
        List<EmojiRecord> google = EmojiDataset.load(googleDir, "google");
        List<EmojiRecord> apple = EmojiDataset.load(appleDir, "apple");
        StyleShiftEvaluation eval = new StyleShiftEvaluation(google, FusionEvaluation.cache(googleDir, google), apple,
                FusionEvaluation.cache(appleDir, apple));
        long t0 = System.nanoTime();
        eval.run();
        String md = eval.markdown((System.nanoTime() - t0) / 60e9);
        System.out.println(md);
        String out = System.getProperty("eval.out", System.getProperty("eval.seeds") == null
                && System.getProperty("eval.tasks") == null && System.getProperty("eval.strategies") == null
                ? "docs/results.md" : "none");
        if (!out.equals("none")) {
            ResultsFile.replaceSection(Path.of(out), HEADING, md, PairEvaluation.HEADING);
            System.out.println("Written " + Path.of(out).toAbsolutePath());
        }
    }

    private static Function<EmojiRecord, String> label(String task) {
        return task.equals("category") ? EmojiRecord::category : EmojiRecord::subcategory;
    }

    /** Encodes {@link #VIEWS} perturbed copies of every record's image that some seed validates on. */
    private void perturbValidationImages() {
        List<EmojiRecord> needed = new ArrayList<>();
        for (long seed : seeds) {
            for (EmojiRecord r : validationSide(seed).test()) {
                if (!perturbed.containsKey(r.unified()) && !needed.contains(r)) {
                    needed.add(r);
                }
            }
        }
        long t0 = System.nanoTime();
        try (ImageEncoder encoder = BundledModels.mobileNetV2Image()) {
            List<ImageInput> inputs = new ArrayList<>();
            for (EmojiRecord r : needed) {
                inputs.addAll(ImageAugmentation.views(r.image(), VIEWS, r.unified().hashCode()));
            }
            List<Embedding> embedded = encoder.encodeAll(inputs);
            for (int i = 0; i < needed.size(); i++) {
                perturbed.put(needed.get(i).unified(), embedded.subList(i * VIEWS, (i + 1) * VIEWS));
            }
        }
        System.out.printf(Locale.ROOT, "Encoded %d perturbed copies of %d validation images in %.1f s%n",
                needed.size() * VIEWS, needed.size(), (System.nanoTime() - t0) / 1e9);
    }

    private GroupedSplit.Split validationSide(long seed) {
        return GroupedSplit.split(GroupedSplit.split(google, TRAIN_FRACTION, seed).train(), 1 - VALIDATION_FRACTION,
                seed + 100);
    }

    /** The validation examples and, after them, each one again with every perturbed copy of its image. */
    private List<TrainingExample> perturbedValidation(List<EmojiRecord> validation, Function<EmojiRecord, String> label) {
        List<TrainingExample> out = new ArrayList<>(googleCache.examples(validation, label));
        for (EmojiRecord r : validation) {
            for (Embedding image : perturbed.get(r.unified())) {
                out.add(TrainingExample.of(ModalityEmbeddings.builder().put(Modality.TEXT, googleCache.text(r))
                        .put(Modality.IMAGE, image).build(), label.apply(r)));
            }
        }
        return out;
    }

    private void run() {
        if (strategies.contains(DEFAULT_STRATEGY)) {
            perturbValidationImages();
        }
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            GroupedSplit.Split split = GroupedSplit.split(google, TRAIN_FRACTION, seed);
            GroupedSplit.Split inner = validationSide(seed);
            List<EmojiRecord> test = split.test().stream().filter(r -> appleImages.containsKey(r.unified())).toList();
            for (String task : tasks) {
                runTask(s, seed, task, split.train(), inner, test);
            }
        }
    }

    /** The test records of one style and condition; a seeded half loses its name or its image. */
    private List<ModalityEmbeddings> view(List<EmojiRecord> test, String style, int condition, long seed) {
        boolean[] hidden = condition == 0 ? new boolean[test.size()]
                : FusionEvaluation.chosen(test.size(), 0.5, seed * 31 + condition);
        List<ModalityEmbeddings> out = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            EmojiRecord r = test.get(i);
            Embedding image = style.equals("Google") ? googleCache.image(r) : appleImages.get(r.unified());
            ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
            if (!(hidden[i] && condition == 1)) {
                b.put(Modality.TEXT, googleCache.text(r));
            }
            if (!(hidden[i] && condition == 2)) {
                b.put(Modality.IMAGE, image);
            }
            out.add(b.build());
        }
        return out;
    }

    private void runTask(int s, long seed, String task, List<EmojiRecord> train, GroupedSplit.Split inner,
            List<EmojiRecord> test) {
        Function<EmojiRecord, String> label = label(task);
        List<String> trainY = train.stream().map(label).toList();
        List<String> testY = test.stream().map(label).toList();
        LinearProbeModel text = LinearProbe.builder().seed(seed).build().fit(
                train.stream().map(googleCache::text).toList(), trainY);
        LinearProbeModel image = LinearProbe.builder().seed(seed).build().fit(
                train.stream().map(googleCache::image).toList(), trainY);
        LinearProbeModel concat = LinearProbe.builder().seed(seed).build().fit(
                train.stream().map(r -> l2Concat(googleCache.both(r))).toList(), trainY);
        for (String style : STYLES) {
            for (int c = 0; c < CONDITIONS.length; c++) {
                List<ModalityEmbeddings> records = view(test, style, c, seed);
                put(task, "text probe", style, c, s, accuracy(testY, records, e -> e.get(Modality.TEXT).map(
                        text::predict).orElse(null)));
                put(task, "image probe", style, c, s, accuracy(testY, records, e -> e.get(Modality.IMAGE).map(
                        image::predict).orElse(null)));
                put(task, "L2-concat probe", style, c, s, accuracy(testY, records,
                        e -> e.size() == 2 ? concat.predict(l2Concat(e)) : null));
                put(task, "fallback probes", style, c, s, accuracy(testY, records,
                        e -> e.size() == 2 ? concat.predict(l2Concat(e))
                                : e.get(Modality.TEXT).map(text::predict)
                                        .orElseGet(() -> image.predict(e.get(Modality.IMAGE).orElseThrow()))));
            }
        }
        for (String name : strategies) {
            for (int variant = 0; variant < (name.equals(DEFAULT_STRATEGY) ? 3 : 2); variant++) {
                boolean trust = variant > 0;
                String row = name + (variant == 1 ? " + trust" : variant == 2 ? " + trust, perturbed validation" : "");
                List<TrainingExample> validation = variant == 2 ? perturbedValidation(inner.test(), label)
                        : googleCache.examples(inner.test(), label);
                long t0 = System.nanoTime();
                try (FusionModel model = FusionTrainer.builder().strategy(FusionEvaluation.strategy(name))
                        .trustWeights(trust).seed(seed)
                        .encoderIds(Map.of(Modality.TEXT, "cached-text", Modality.IMAGE, "cached-image"))
                        .listener(TrainingListener.none()).build()
                        .fit(googleCache.examples(inner.train(), label), validation)) {
                    put(task + "|" + row + "|time", s, (System.nanoTime() - t0) / 1e9);
                    for (String style : STYLES) {
                        for (int c = 0; c < CONDITIONS.length; c++) {
                            List<Prediction> p = model.predictAll(view(test, style, c, seed));
                            put(task, row, style, c, s, Metrics.accuracy(testY,
                                    p.stream().map(Prediction::label).toList()));
                            if (c == 0 && trust) {
                                put(task + "|" + row + "|" + style + "|weight", s, p.stream()
                                        .mapToDouble(q -> q.weight(Prediction.FUSED) + q.weight("image"))
                                        .average().orElse(Double.NaN));
                            }
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "seed %d %-11s %-22s Google %.3f Apple %.3f%n", seed, task, row,
                        results.get(task + "|" + row + "|Google|0")[s], results.get(task + "|" + row + "|Apple|0")[s]);
            }
        }
    }

    private static Embedding l2Concat(ModalityEmbeddings e) {
        return BaselineProbes.concat(e.get(Modality.TEXT).orElseThrow().normalized(),
                e.get(Modality.IMAGE).orElseThrow().normalized());
    }

    /** Accuracy of {@code answer} over every record; a record it cannot answer (null) counts as NaN for the row. */
    private static double accuracy(List<String> truth, List<ModalityEmbeddings> records,
            Function<ModalityEmbeddings, String> answer) {
        List<String> predicted = new ArrayList<>(records.size());
        for (ModalityEmbeddings r : records) {
            String a = answer.apply(r);
            if (a == null) {
                return Double.NaN;
            }
            predicted.add(a);
        }
        return Metrics.accuracy(truth, predicted);
    }

    private void put(String task, String row, String style, int condition, int s, double value) {
        if (!rows.contains(row)) {
            rows.add(row);
        }
        put(task + "|" + row + "|" + style + "|" + condition, s, value);
    }

    private void put(String key, int s, double value) {
        results.computeIfAbsent(key, k -> {
            double[] v = new double[seeds.length];
            Arrays.fill(v, Double.NaN);
            return v;
        })[s] = value;
    }

    private double mean(String key) {
        double[] v = results.get(key);
        return v == null ? Double.NaN : Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    private String cell(String key) {
        return FusionEvaluation.meanSd(results.get(key));
    }

    private String markdown(double minutes) {
        StringBuilder md = new StringBuilder(HEADING).append("\n\n");
        md.append("Generated by `dev.fusion4j.examples.emoji.StyleShiftEvaluation`. Train on Google-style emoji"
                + " (grouped 70/30 split of npm `emoji-datasource-google@16.0.0`), test on the held-out emoji drawn by"
                + " Google and by Apple (`emoji-datasource-apple@16.0.0`, `tools/emoji-data/fetch.sh apple`: the"
                + " same names and labels, other artwork; the test records are those Apple also draws). Accuracy,"
                + " mean ± sd over seeds ").append(Arrays.toString(seeds)).append(". Heads: `FusionTrainer.builder()"
                + ".strategy(spec).seed(seed)` with nothing else set but `.trustWeights(false)` for the plain rows,"
                + " fitted with `fit(train, validation)` on a grouped 10% validation part of the training side (one"
                + " configuration for every row; nothing chosen on a test set). Probes: `LinearProbe` defaults on the"
                + " whole training side. `fallback probes`: the L2-concat probe where both modalities are present,"
                + " the probe of the one present modality elsewhere (the no-regret reference). Absent: a seeded half of"
                + " the test records loses its name or its image.\n\n");
        md.append("- Date: ").append(LocalDate.now()).append("\n- Machine: ").append(FusionEvaluation.machine())
                .append("\n- Run time: ").append(String.format(Locale.ROOT, "%.1f", minutes)).append(" minutes\n\n");
        for (String task : tasks) {
            md.append("**").append(task).append("**\n\n| head |");
            for (String style : STYLES) {
                for (String c : CONDITIONS) {
                    md.append(" ").append(style).append(", ").append(c).append(" |");
                }
            }
            md.append("\n|---|");
            md.append("---|".repeat(STYLES.length * CONDITIONS.length)).append("\n");
            for (String row : rows) {
                md.append("| ").append(row).append(" |");
                for (String style : STYLES) {
                    for (int c = 0; c < CONDITIONS.length; c++) {
                        md.append(" ").append(cell(task + "|" + row + "|" + style + "|" + c)).append(" |");
                    }
                }
                md.append("\n");
            }
            md.append("\n");
        }
        md.append("**Against the acceptance references** (points, means over seeds): Δtext is a head minus the text"
                + " probe with both modalities present (Google: ≥ +3 category, ≥ +1 subcategory; Apple: ≥ 0); Δfallback"
                + " is a head minus the fallback probes with half the names or images absent (≥ 0). `belief in image`"
                + " is the mean weight of the experts that read the image (network + image head) with both present."
                + " `fit s` is the whole fit in seconds.\n\n");
        md.append("| task | head | Google Δtext | Apple Δtext | Google Δfallback names/images | Apple Δfallback"
                + " names/images | belief in image Google / Apple | fit s |\n|---|---|---|---|---|---|---|---|\n");
        for (String task : tasks) {
            for (String row : rows) {
                if (row.endsWith("probe") || row.endsWith("probes")) {
                    continue;
                }
                md.append("| ").append(task).append(" | ").append(row).append(" |");
                for (String style : STYLES) {
                    md.append(String.format(Locale.ROOT, " %+.1f |", 100 * (mean(task + "|" + row + "|" + style
                            + "|0") - mean(task + "|text probe|" + style + "|0"))));
                }
                for (String style : STYLES) {
                    md.append(String.format(Locale.ROOT, " %+.1f / %+.1f |",
                            100 * (mean(task + "|" + row + "|" + style + "|1")
                                    - mean(task + "|fallback probes|" + style + "|1")),
                            100 * (mean(task + "|" + row + "|" + style + "|2")
                                    - mean(task + "|fallback probes|" + style + "|2"))));
                }
                String w = task + "|" + row + "|";
                md.append(results.containsKey(w + "Google|weight") ? String.format(Locale.ROOT, " %.2f / %.2f |",
                        mean(w + "Google|weight"), mean(w + "Apple|weight")) : " – |");
                md.append(String.format(Locale.ROOT, " %.1f |\n", mean(w + "time")));
            }
        }
        md.append("\n");
        return md.toString();
    }
}
