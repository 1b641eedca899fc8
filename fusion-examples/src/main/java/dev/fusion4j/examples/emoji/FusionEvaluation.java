package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.classify.KnnClassifier;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.Prediction;
import dev.fusion4j.core.train.TrainingListener;
import dev.fusion4j.core.train.TrainingSummary;
import dev.fusion4j.models.BundledModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Issue #4 item 6: trained fusion heads against unfused baselines on the full emoji set, grouped 70/30 splits,
 * seeds 1, 2, 3, predicting category and subcategory. Writes {@code docs/results.md}.
 *
 * <ol type="a">
 *   <li>linear probes on the name alone, the image alone, their raw and L2-normalised concatenation;</li>
 *   <li>every strategy with a head trained with the trainer's DEFAULT settings (accuracy, macro-F1, time);</li>
 *   <li>kNN@1 on the head's embedding ({@code model.embed}) vs the raw and L2-normalised concatenation;</li>
 *   <li>robustness: name or image absent for 50% / 100% of the test records, for concat heads with and
 *       without unimodal heads and modality dropout and for the default head, with the no-regret summary;</li>
 *   <li>training time.</li>
 * </ol>
 *
 * <p>Needs {@code tools/emoji-data/fetch.sh} first. Run from the repository root:
 * {@code ./mvnw -q -pl fusion-examples exec:java -Ddemo.main=dev.fusion4j.examples.emoji.FusionEvaluation}.
 * For quicker partial runs (nothing is written unless {@code -Deval.out} names a file):
 * {@code -Deval.seeds=1 -Deval.tasks=category -Deval.strategies=concat,attention -Deval.parts=abcd}.
 * Robustness variants: {@code -Deval.robust=off/0,on/0.5,off/0.5/noskip} (auxiliary heads off|on / modality
 * dropout / optionally {@code noskip} for {@code inputSkip(false)}).
 */
public final class FusionEvaluation {
    private static final double TRAIN_FRACTION = 0.7;
    private static final String COMMAND = "./mvnw -q -pl fusion-examples exec:java"
            + " -Ddemo.main=dev.fusion4j.examples.emoji.FusionEvaluation";
    private static final double[] MISSING = {0.5, 1.0};
    /**
     * The strategies of table (b), by the names {@link #strategy} knows: the default of {@code -Deval.strategies}, and
     * the pooled heads {@link CrossAttentionEvaluation} compares against.
     */
    static final List<String> STRATEGIES = List.of("concat", "weightedSum", "attention", "compact", "lowRank", "full");

    private final long[] seeds;
    private final List<String> tasks;
    private final List<String> strategies;
    private final String parts;
    private final List<String> robust;
    private final CachedEmbeddings cached;
    private final List<EmojiRecord> records;
    /** "table|row|column" -> one value per seed (NaN where not measured). */
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    private FusionEvaluation(List<EmojiRecord> records, CachedEmbeddings cached) {
        this.records = records;
        this.cached = cached;
        this.seeds = Arrays.stream(System.getProperty("eval.seeds", "1,2,3").split(","))
                .mapToLong(s -> Long.parseLong(s.trim())).toArray();
        this.tasks = List.of(System.getProperty("eval.tasks", "category,subcategory").split(","));
        this.strategies = List.of(System.getProperty("eval.strategies", String.join(",", STRATEGIES)).split(","));
        this.parts = System.getProperty("eval.parts", "abcde");
        this.robust = List.of(System.getProperty("eval.robust", "off/0,off/0.5,off/0.5/noskip,on/0.5,default")
                .split(","));
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = dataDir(args);
        List<EmojiRecord> records = EmojiDataset.load(dataDir);
        CachedEmbeddings cached = cache(dataDir, records);
        System.out.printf(Locale.ROOT, "%d records, %s, PyTorch threads %s%n", records.size(), cached,
                System.getProperty("ai.djl.pytorch.num_threads"));
        FusionEvaluation eval = new FusionEvaluation(records, cached);
        long t0 = System.nanoTime();
        eval.run();
        double minutes = (System.nanoTime() - t0) / 60e9;
        String out = System.getProperty("eval.out",
                args.length == 0 && System.getProperty("eval.seeds") == null
                        && System.getProperty("eval.tasks") == null && System.getProperty("eval.strategies") == null
                        && System.getProperty("eval.parts") == null ? "docs/results.md" : "none");
        String md = eval.markdown(minutes);
        System.out.println();
        System.out.println(md);
        if (!out.equals("none")) {
            Path file = Path.of(out);
            Files.createDirectories(file.toAbsolutePath().getParent());
            // keep the sections StyleShiftEvaluation and PairEvaluation write after these
            String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            int kept = java.util.stream.IntStream.of(before.indexOf(StyleShiftEvaluation.HEADING),
                    before.indexOf(PairEvaluation.HEADING)).filter(i -> i >= 0).min().orElse(-1);
            Files.writeString(file, md + (kept >= 0 ? "\n" + before.substring(kept) : ""), StandardCharsets.UTF_8);
            System.out.println("Written " + file.toAbsolutePath());
        }
    }

    /**
     * One PyTorch intra-op thread (docs/training.md, "Speed") and offline, set before anything starts PyTorch (unless
     * given); the data directory: the first argument, or the fetched full set.
     */
    static Path dataDir(String[] args) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return args.length > 0 ? Path.of(args[0]) : EmojiDataset.requireDataDir();
    }

    /** The bundled models' embeddings of {@code records}, from the cache in {@code dataDir} (made on first use). */
    static CachedEmbeddings cache(Path dataDir, List<EmojiRecord> records) {
        try (TextEncoder text = BundledModels.miniLmText(); ImageEncoder image = BundledModels.mobileNetV2Image()) {
            return EmbeddingCache.load(dataDir, records, text, image);
        }
    }

    private void run() {
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            GroupedSplit.Split split = GroupedSplit.split(records, TRAIN_FRACTION, seed);
            System.out.printf(Locale.ROOT, "== seed %d: %d train, %d test%n", seed, split.train().size(),
                    split.test().size());
            for (String task : tasks) {
                runTask(s, seed, task, split);
            }
        }
    }

    private static Function<EmojiRecord, String> label(String task) {
        return switch (task) {
            case "category" -> EmojiRecord::category;
            case "subcategory" -> EmojiRecord::subcategory;
            default -> throw new IllegalArgumentException("Unknown task " + task);
        };
    }

    private void runTask(int s, long seed, String task, GroupedSplit.Split split) {
        Function<EmojiRecord, String> label = label(task);
        List<EmojiRecord> train = split.train();
        List<EmojiRecord> test = split.test();
        List<String> trainY = train.stream().map(label).toList();
        List<String> testY = test.stream().map(label).toList();

        // (a) probes, and the per-record predictions the robustness references are made of
        Map<String, Function<EmojiRecord, Embedding>> views = new LinkedHashMap<>();
        views.put("text", cached::text);
        views.put("image", cached::image);
        views.put("concat", r -> BaselineProbes.concat(cached.text(r), cached.image(r)));
        views.put("concat-l2", r -> BaselineProbes.concat(cached.text(r).normalized(), cached.image(r).normalized()));
        Map<String, List<String>> probePredictions = new LinkedHashMap<>();
        if (parts.contains("a") || parts.contains("d")) {
            for (var view : views.entrySet()) {
                List<Embedding> trainX = train.stream().map(view.getValue()).toList();
                List<Embedding> testX = test.stream().map(view.getValue()).toList();
                LinearProbeModel probe = LinearProbe.builder().seed(seed).build().fit(trainX, trainY);
                List<String> predicted = probe.predictAll(testX);
                probePredictions.put(view.getKey(), predicted);
                put("probe|" + task + "|" + view.getKey() + "|accuracy", s, Metrics.accuracy(testY, predicted));
                put("probe|" + task + "|" + view.getKey() + "|macroF1", s, Metrics.macroF1(testY, predicted));
                System.out.printf(Locale.ROOT, "  %-11s probe %-9s acc %.3f%n", task, view.getKey(),
                        Metrics.accuracy(testY, predicted));
            }
        }
        if (parts.contains("c")) {
            for (String view : List.of("concat", "concat-l2")) {
                List<Embedding> trainX = train.stream().map(views.get(view)).toList();
                List<Embedding> testX = test.stream().map(views.get(view)).toList();
                double knn = Metrics.accuracy(testY, KnnClassifier.fit(trainX, trainY).predictAll(testX));
                put("knn|" + task + "|raw " + view + "|accuracy", s, knn);
            }
        }

        List<ModalityEmbeddings> testBoth = test.stream().map(cached::both).toList();
        Map<String, FusionModel> kept = new LinkedHashMap<>();
        try {
            // (b), (c), (e): every strategy with default training settings
            if (parts.contains("b") || parts.contains("c") || parts.contains("e")) {
                for (String name : strategies) {
                    FusionSpec spec = strategy(name);
                    FusionModel model;
                    try {
                        model = fit(FusionTrainer.builder().strategy(spec), train, label, seed, task + " " + name);
                    } catch (InvalidInputException e) {
                        notes.put(name, e.getMessage());
                        System.out.printf(Locale.ROOT, "  %-11s %-12s refused: %s%n", task, name, e.getMessage());
                        continue;
                    }
                    if (name.equals("concat")) {
                        kept.put("default", model);
                    }
                    List<String> predicted = labels(model.predictAll(testBoth));
                    double acc = Metrics.accuracy(testY, predicted);
                    put("head|" + task + "|" + name + "|accuracy", s, acc);
                    put("head|" + task + "|" + name + "|macroF1", s, Metrics.macroF1(testY, predicted));
                    TrainingSummary sum = model.trainingSummary();
                    put("time|" + task + "|" + name + "|seconds", s, sum.seconds());
                    put("time|" + task + "|" + name + "|epochs", s, sum.epochsRun());
                    put("time|" + task + "|" + name + "|records/s", s,
                            (double) sum.trainExamples() * sum.epochsRun() / sum.seconds());
                    double knn = Double.NaN;
                    if (parts.contains("c")) {
                        List<Embedding> trainE = model.embedAll(train.stream().map(cached::both).toList());
                        List<Embedding> testE = model.embedAll(testBoth);
                        knn = Metrics.accuracy(testY, KnnClassifier.fit(trainE, trainY).predictAll(testE));
                        put("knn|" + task + "|" + name + " head embedding|accuracy", s, knn);
                    }
                    System.out.printf(Locale.ROOT, "  %-11s %-12s acc %.3f  F1 %.3f  kNN %.3f  %2d epochs (best %d)"
                            + "  %.1f s%n", task, name, acc, Metrics.macroF1(testY, predicted), knn, sum.epochsRun(),
                            sum.bestEpoch(), sum.seconds());
                    if (!name.equals("concat")) {
                        model.close();
                    }
                }
            }
            // (d) robustness
            if (parts.contains("d")) {
                for (String variant : robust) {
                    FusionModel model = kept.get(variant);
                    if (model == null) {
                        FusionTrainer.Builder b = FusionTrainer.builder();
                        if (!variant.equals("default")) {
                            String[] v = variant.split("/");
                            b.auxiliaryHeads(v[0].equals("on")).modalityDropout(Double.parseDouble(v[1]))
                                    .inputSkip(!(v.length > 2 && v[2].equals("noskip")));
                        }
                        model = fit(b, train, label, seed, task + " robust " + variant);
                        kept.put(variant, model);
                    }
                    robustness(s, seed, task, variant, model, test, testY, probePredictions);
                }
            }
        } finally {
            kept.values().forEach(FusionModel::close);
        }
    }

    /** Accuracy with one modality absent for a seeded fraction of the test records, and the probe reference. */
    private void robustness(int s, long seed, String task, String variant, FusionModel model,
            List<EmojiRecord> test, List<String> testY, Map<String, List<String>> probes) {
        int n = test.size();
        List<String> full = labels(model.predictAll(test.stream().map(cached::both).toList()));
        put("robust|" + task + "|" + variant + "|both", s, Metrics.accuracy(testY, full));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-11s robust %-8s both %.3f", task,
                variant, Metrics.accuracy(testY, full)));
        for (String absent : List.of("text", "image")) {
            Function<EmojiRecord, ModalityEmbeddings> other = absent.equals("text") ? cached::imageOnly
                    : cached::textOnly;
            String probe = absent.equals("text") ? "image" : "text";
            for (double fraction : MISSING) {
                boolean[] hidden = chosen(n, fraction, seed * 31 + absent.hashCode());
                List<ModalityEmbeddings> inputs = new ArrayList<>(n);
                List<String> reference = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    EmojiRecord r = test.get(i);
                    inputs.add(hidden[i] ? other.apply(r) : cached.both(r));
                    if (!probes.isEmpty()) {
                        reference.add(probes.get(hidden[i] ? probe : "concat").get(i));
                    }
                }
                double acc = Metrics.accuracy(testY, labels(model.predictAll(inputs)));
                String column = absent + " absent " + Math.round(fraction * 100) + "%";
                put("robust|" + task + "|" + variant + "|" + column, s, acc);
                if (!reference.isEmpty()) {
                    put("robust|" + task + "|probes|" + column, s, Metrics.accuracy(testY, reference));
                }
                line.append(String.format(Locale.ROOT, "  %s %.3f", column, acc));
            }
        }
        if (!probes.isEmpty()) {
            put("robust|" + task + "|probes|both", s, Metrics.accuracy(testY, probes.get("concat")));
        }
        System.out.println(line);
    }

    /** A seeded choice of round(fraction · n) of n rows. */
    static boolean[] chosen(int n, double fraction, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] hidden = new boolean[n];
        for (int i = 0; i < Math.round(fraction * n); i++) {
            hidden[order[i]] = true;
        }
        return hidden;
    }

    private FusionModel fit(FusionTrainer.Builder builder, List<EmojiRecord> train, Function<EmojiRecord, String> label,
            long seed, String what) {
        overrides(builder);
        return builder.seed(seed)
                .encoderIds(Map.of(Modality.TEXT, "cached-text", Modality.IMAGE, "cached-image"))
                .listener(Boolean.getBoolean("eval.verbose") ? new dev.fusion4j.core.train.Slf4jTrainingListener()
                        : TrainingListener.none())
                .build().fit(cached.examples(train, label));
    }

    /**
     * Tuning only (never in docs/results.md): {@code -Deval.train=dropout=0.5,weightDecay=0.1} overrides trainer
     * settings for every fit of the run.
     */
    private static void overrides(FusionTrainer.Builder b) {
        for (Map.Entry<String, String> kv : keyValues("eval.train").entrySet()) {
            String v = kv.getValue();
            switch (kv.getKey()) {
                case "dropout" -> b.dropout(Double.parseDouble(v));
                case "inputDropout" -> b.inputDropout(Double.parseDouble(v));
                case "labelSmoothing" -> b.labelSmoothing(Double.parseDouble(v));
                case "weightDecay" -> b.weightDecay(Double.parseDouble(v));
                case "learningRate" -> b.learningRate(Double.parseDouble(v));
                case "batchSize" -> b.batchSize(Integer.parseInt(v));
                case "epochs" -> b.epochs(Integer.parseInt(v));
                case "patience" -> b.earlyStopping(Integer.parseInt(v));
                case "validationSplit" -> b.validationSplit(Double.parseDouble(v));
                case "modalityDropout" -> b.modalityDropout(Double.parseDouble(v));
                case "auxiliaryHeads" -> b.auxiliaryHeads(Boolean.parseBoolean(v));
                case "auxiliaryLossWeight" -> b.auxiliaryLossWeight(Double.parseDouble(v));
                case "hidden" -> b.hiddenLayers(Arrays.stream(v.split("x")).mapToInt(Integer::parseInt).toArray());
                case "classWeights" -> b.classWeights(Boolean.parseBoolean(v));
                case "inputSkip" -> b.inputSkip(Boolean.parseBoolean(v));
                default -> throw new IllegalArgumentException("Unknown training override " + kv.getKey());
            }
        }
    }

    /** {@code -Dproperty=key=value,key=value} as an ordered map (empty when unset). */
    static Map<String, String> keyValues(String property) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : System.getProperty(property, "").split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=", 2);
                out.put(p[0].trim(), p.length > 1 ? p[1].trim() : "");
            }
        }
        return out;
    }

    /** The strategy specs as a user writes them; low-rank has no default rank, 512 is the documented example. */
    static FusionSpec strategy(String name) {
        return switch (name) {
            case "concat" -> Fusions.concat();
            case "weightedSum" -> Fusions.weightedSum();
            case "attention" -> Fusions.attention();
            case "compact" -> Fusions.bilinear().compact();
            case "lowRank" -> Fusions.bilinear().lowRank(512);
            case "full" -> Fusions.bilinear().full();
            default -> throw new IllegalArgumentException("Unknown strategy " + name);
        };
    }

    /** How a user writes the strategy {@link #strategy} names. */
    static String strategyCode(String name) {
        return switch (name) {
            case "concat" -> "concat()";
            case "weightedSum" -> "weightedSum()";
            case "attention" -> "attention()";
            case "compact" -> "bilinear().compact()";
            case "lowRank" -> "bilinear().lowRank(512)";
            case "full" -> "bilinear().full()";
            default -> name;
        };
    }

    private static List<String> labels(List<Prediction> predictions) {
        return predictions.stream().map(Prediction::label).toList();
    }

    private void put(String key, int seedIndex, double value) {
        results.computeIfAbsent(key, k -> {
            double[] v = new double[seeds.length];
            Arrays.fill(v, Double.NaN);
            return v;
        })[seedIndex] = value;
    }

    private String cell(String key) {
        return meanSd(results.get(key));
    }

    /** {@code "m ± sd"} of the values that are not NaN ({@code "m"} for one, {@code "–"} for none or null). */
    static String meanSd(double[] v) {
        if (v == null) {
            return "–";
        }
        double[] xs = Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
        if (xs.length == 0) {
            return "–";
        }
        double m = Arrays.stream(xs).average().orElse(Double.NaN);
        if (xs.length == 1) {
            return String.format(Locale.ROOT, "%.3f", m);
        }
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd(xs));
    }

    private double mean(String key) {
        double[] v = results.get(key);
        return v == null ? Double.NaN : Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    private static double sd(double[] xs) {
        double m = Arrays.stream(xs).average().orElse(0);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.length - 1));
    }

    private String markdown(double minutes) {
        StringBuilder md = new StringBuilder();
        md.append("# Fusion evaluation on the emoji data set\n\n");
        md.append("Generated by `dev.fusion4j.examples.emoji.FusionEvaluation` (issue #4 item 6). Numbers are test")
                .append(" accuracy (or macro-F1) as mean ± sample standard deviation over the grouped 70/30 splits")
                .append(" of seeds ").append(Arrays.toString(seeds).replaceAll("[\\[\\]]", "")).append(".\n\n");
        md.append("- Date: ").append(LocalDate.now()).append("\n");
        md.append("- Machine: ").append(machine()).append("\n");
        md.append("- Data: ").append(records.size()).append(" emoji (`tools/emoji-data/fetch.sh`: npm")
                .append(" `emoji-datasource-google@16.0.0`, Google Noto 64×64 PNG + Unicode name), ")
                .append(cached).append(" (bundled MiniLM-L6 name embedding, MobileNetV2 image embedding, frozen and")
                .append(" cached); grouped split (`GroupedSplit`: related emoji never straddle train and test).\n");
        md.append("- Reproduce: `tools/emoji-data/fetch.sh && ").append(COMMAND).append("` (one PyTorch thread,")
                .append(" set by the program; ").append(String.format(Locale.ROOT, "%.0f", minutes))
                .append(" minutes on this machine).\n\n");

        md.append("## (a) Unimodal and concatenation probes\n\n");
        md.append("`LinearProbe` defaults (standardised features, weight decay 1e-4, ~500 Adam steps).\n\n");
        md.append("| input | category acc | category macro-F1 | subcategory acc | subcategory macro-F1 |\n");
        md.append("|---|---|---|---|---|\n");
        for (String view : List.of("text", "image", "concat", "concat-l2")) {
            md.append("| ").append(switch (view) {
                case "text" -> "name (text) only";
                case "image" -> "image only";
                case "concat" -> "raw concatenation";
                default -> "L2-normalised concatenation";
            });
            for (String task : List.of("category", "subcategory")) {
                md.append(" | ").append(cell("probe|" + task + "|" + view + "|accuracy")).append(" | ")
                        .append(cell("probe|" + task + "|" + view + "|macroF1"));
            }
            md.append(" |\n");
        }

        md.append("\n## (b) Trained heads, default training settings\n\n");
        md.append("`FusionTrainer.builder().strategy(spec).seed(seed).build().fit(examples)`: nothing else set")
                .append(" (so: input skip, unimodal heads, training-only auxiliary losses with weight 0.5, no modality")
                .append(" dropout). Δ is the head's mean minus the raw-concatenation probe's mean (points).\n\n");
        md.append("| strategy | category acc | Δ | category macro-F1 | subcategory acc | Δ | subcategory macro-F1 |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (String name : strategies) {
            if (notes.containsKey(name)) {
                continue;
            }
            md.append("| `").append(strategyCode(name)).append("`");
            for (String task : List.of("category", "subcategory")) {
                double delta = 100 * (mean("head|" + task + "|" + name + "|accuracy")
                        - mean("probe|" + task + "|concat|accuracy"));
                md.append(" | ").append(cell("head|" + task + "|" + name + "|accuracy")).append(" | ")
                        .append(Double.isNaN(delta) ? "–" : String.format(Locale.ROOT, "%+.1f", delta)).append(" | ")
                        .append(cell("head|" + task + "|" + name + "|macroF1"));
            }
            md.append(" |\n");
        }
        notes.forEach((name, why) -> md.append("\n`").append(strategyCode(name)).append("` is refused by the trainer: ")
                .append(why).append("\n"));

        md.append("\n## (c) kNN@1 retrieval\n\n");
        md.append("Cosine 1-nearest neighbour of each test record among the training records.\n\n");
        md.append("| representation | category | subcategory |\n|---|---|---|\n");
        List<String> rows = new ArrayList<>(List.of("raw concat", "raw concat-l2"));
        strategies.stream().filter(n -> !notes.containsKey(n)).forEach(n -> rows.add(n + " head embedding"));
        for (String row : rows) {
            md.append("| ").append(row.equals("raw concat") ? "raw concatenation"
                    : row.equals("raw concat-l2") ? "L2-normalised concatenation" : "`" + row.replace(" head embedding",
                            "`") + " head, `model.embed`");
            for (String task : List.of("category", "subcategory")) {
                md.append(" | ").append(cell("knn|" + task + "|" + row + "|accuracy"));
            }
            md.append(" |\n");
        }

        md.append("\n## (d) Missing modalities\n\n");
        md.append("A seeded 50% or 100% of the test records lose their name (text) or image. `probes` is the")
                .append(" no-regret reference: the unimodal probe on the records that lost a modality, the raw-concat")
                .append(" probe on the others. Variants: auxiliary (unimodal) heads off|on / modality dropout p")
                .append(" (`noskip`: `inputSkip(false)`); `default` is the trainer's defaults (heads on, modality")
                .append(" dropout 0). Every variant keeps the default training-only auxiliary losses (weight 0.5):")
                .append(" they shape the network but never answer a record. Without heads or modality dropout (`off/0`) an absent modality enters the")
                .append(" network as its training mean (concat's fill vector starts there and gets no gradient);")
                .append(" with modality dropout the fill is learned.\n\n");
        for (String task : tasks) {
            md.append("**").append(task).append("**\n\n");
            md.append("| head | both | text absent 50% | text absent 100% | image absent 50% | image absent 100% |\n");
            md.append("|---|---|---|---|---|---|\n");
            List<String> variants = new ArrayList<>(List.of("probes"));
            variants.addAll(robust);
            for (String v : variants) {
                if (!results.containsKey("robust|" + task + "|" + v + "|both")) {
                    continue;
                }
                md.append("| ").append(v);
                for (String c : List.of("both", "text absent 50%", "text absent 100%", "image absent 50%",
                        "image absent 100%")) {
                    md.append(" | ").append(cell("robust|" + task + "|" + v + "|" + c));
                }
                md.append(" |\n");
            }
            md.append("\n");
        }
        noRegret(md);

        md.append("## (e) Training time\n\n");
        md.append("Whole `fit` (cached embeddings; split, standardisation statistics, every epoch, early stopping),")
                .append(" one PyTorch thread. records/s = training records × epochs run / seconds.\n\n");
        md.append("| strategy | task | epochs run | seconds | records/s |\n|---|---|---|---|---|\n");
        for (String task : tasks) {
            for (String name : strategies) {
                if (!results.containsKey("time|" + task + "|" + name + "|seconds")) {
                    continue;
                }
                md.append("| `").append(strategyCode(name)).append("` | ").append(task).append(" | ")
                        .append(cell("time|" + task + "|" + name + "|epochs")).append(" | ")
                        .append(cell("time|" + task + "|" + name + "|seconds")).append(" | ")
                        .append(cell("time|" + task + "|" + name + "|records/s")).append(" |\n");
            }
        }
        return md.toString();
    }

    /** The no-regret summary: each variant's mean minus the probes' mean (points) with a modality absent. */
    private void noRegret(StringBuilder md) {
        List<String> columns = List.of("text absent 50%", "text absent 100%", "image absent 50%", "image absent 100%");
        md.append("**No regret** (points against `probes`, means over seeds; at 100% absent the reference is the")
                .append(" other modality's probe alone)\n\n");
        md.append("| task | head | ").append(String.join(" | ", columns)).append(" |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (String task : tasks) {
            for (String v : robust) {
                if (!results.containsKey("robust|" + task + "|" + v + "|both")) {
                    continue;
                }
                md.append("| ").append(task).append(" | ").append(v);
                for (String c : columns) {
                    double delta = 100 * (mean("robust|" + task + "|" + v + "|" + c)
                            - mean("robust|" + task + "|probes|" + c));
                    md.append(" | ").append(Double.isNaN(delta) ? "–" : String.format(Locale.ROOT, "%+.1f", delta));
                }
                md.append(" |\n");
            }
        }
        md.append("\n");
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // keep "unknown CPU"
        }
        String load = "";
        try {
            load = ", load average at the end " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            // no load figure
        }
        return Runtime.getRuntime().availableProcessors() + " vCPU " + cpu + " (shared with other builds" + load
                + "), " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + ", DJL PyTorch CPU";
    }
}
