package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.attention.CrossAttentionSpec;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.LinearProbeModel;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.Prediction;
import dev.fusion4j.core.train.TrainingListener;
import dev.fusion4j.models.BundledModels;
import java.io.IOException;
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
 * Issue #17: the cross-attention head ({@code Fusions.crossAttention()}, trainer defaults otherwise) on the full emoji
 * set with the grouped 70/30 splits and seeds 1, 2, 3 of {@link FusionEvaluation}, category and subcategory, with both
 * modalities and with each one absent from every test record; the unimodal probes of the same splits as the
 * no-regret reference. With {@code -Deval.validation=true} the same on a grouped 85/15 split of each training split
 * (seed + 100) instead: what variants are compared on, so the test split is never used for a choice. Also times the
 * encoders' extra cost of returning sequences and draws {@code docs/cross-attention-words.png}
 * ({@link AttentionPicture}; {@code -Deval.picture=none} draws nothing).
 *
 * <p>Variants ({@code -Deval.variants}): the cross-attention heads of {@link #trainer}, and the pooled strategies of
 * {@link FusionEvaluation#STRATEGIES} by the same names ({@code concat}, {@code compact} for
 * {@code bilinear().compact()}, ...; {@code pooled} stands for all of them but {@code full}, which the trainer
 * refuses), trained on the same records, splits and seeds. A {@code -notrust} suffix fits any of them with
 * {@code .trustWeights(false)}, as every head was trained before trust weights existed.
 *
 * <p>Run from the repository root after {@code tools/emoji-data/fetch.sh}: {@code ./mvnw -q -pl fusion-examples
 * exec:java -Ddemo.main=dev.fusion4j.examples.emoji.CrossAttentionEvaluation} ({@code -Deval.out=docs/results.md}
 * replaces the section "Cross-attention fusion (issue 17)", keeping its hand-written "### Reading"; {@code -Deval.variants=default,
 * dropout0.3} names the heads; {@code -Deval.seeds}, {@code -Deval.tasks} as FusionEvaluation).
 */
public final class CrossAttentionEvaluation {
    static final String HEADING = "## Cross-attention fusion (issue 17)";
    private static final double TRAIN_FRACTION = 0.7;
    private static final String NO_TRUST = "-notrust";
    private final long[] seeds;
    private final List<String> tasks;
    private final List<String> variants;
    private final boolean validation;
    private final List<EmojiRecord> records;
    private final Map<String, ModalityEmbeddings> sequences;
    /** "task|row|column" -> value per seed. */
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private FusionModel pictureModel;
    private EmojiRecord pictureRecord;

    private CrossAttentionEvaluation(List<EmojiRecord> records, Map<String, ModalityEmbeddings> sequences) {
        this.records = records;
        this.sequences = sequences;
        this.seeds = Arrays.stream(System.getProperty("eval.seeds", "1,2,3").split(","))
                .mapToLong(s -> Long.parseLong(s.trim())).toArray();
        this.tasks = List.of(System.getProperty("eval.tasks", "category,subcategory").split(","));
        List<String> named = new ArrayList<>();
        for (String v : System.getProperty("eval.variants", "default").split(",")) {
            String base = v.trim().replace(NO_TRUST, "");
            if (base.equals("pooled")) {
                FusionEvaluation.STRATEGIES.stream().filter(n -> !n.equals("full"))
                        .forEach(n -> named.add(n + (v.trim().endsWith(NO_TRUST) ? NO_TRUST : "")));
            } else {
                named.add(v.trim());
            }
        }
        this.variants = List.copyOf(named);
        this.validation = Boolean.getBoolean("eval.validation");
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = FusionEvaluation.dataDir(args);
        List<EmojiRecord> records = EmojiDataset.load(dataDir);
        String cost;
        Map<String, ModalityEmbeddings> sequences;
        try (SequenceTextEncoder text = BundledModels.miniLmText();
             SequenceImageEncoder image = BundledModels.mobileNetV2Image()) {
            sequences = SequenceCache.load(dataDir, records, text, image, 3);
            cost = Boolean.parseBoolean(System.getProperty("eval.cost", "true")) ? encoderCost(records, text, image) : "";
        }
        if (Boolean.getBoolean("eval.onlyCost")) {
            System.out.println(cost);
            return;
        }
        CrossAttentionEvaluation eval = new CrossAttentionEvaluation(records, sequences);
        long t0 = System.nanoTime();
        eval.run();
        double minutes = (System.nanoTime() - t0) / 60e9;
        String md = eval.markdown(minutes, cost);
        System.out.println(md);
        String picture = System.getProperty("eval.picture", "docs/cross-attention-words.png");
        if (eval.pictureModel != null && !picture.equals("none")) {
            Path png = Path.of(picture);
            System.out.println(AttentionPicture.draw(eval.pictureModel, eval.pictureRecord,
                    sequences.get(eval.pictureRecord.unified()), png));
        }
        if (eval.pictureModel != null) {
            eval.pictureModel.close();
        }
        String out = System.getProperty("eval.out", "none");
        if (!out.equals("none")) {
            Path file = Path.of(out);
            ResultsFile.replaceSection(file, HEADING, md, "## none");
            System.out.println("Written " + file.toAbsolutePath());
        }
    }

    /**
     * Wall-clock ms per record of encodeAll against encodeSequenceAll on 256 records, median of 7 alternating runs
     * (after one of each to warm up).
     */
    private static String encoderCost(List<EmojiRecord> records, SequenceTextEncoder text,
            SequenceImageEncoder image) {
        List<EmojiRecord> some = records.subList(0, Math.min(256, records.size()));
        List<String> names = some.stream().map(EmojiRecord::name).toList();
        List<dev.fusion4j.api.ImageInput> images = some.stream().map(EmojiRecord::image).toList();
        List<Runnable> calls = List.of(() -> text.encodeAll(names), () -> text.encodeSequenceAll(names),
                () -> image.encodeAll(images), () -> image.encodeSequenceAll(images));
        calls.forEach(Runnable::run);
        double[][] runs = new double[4][7];
        for (int run = 0; run < 7; run++) {
            for (int c = 0; c < 4; c++) {
                runs[c][run] = time(calls.get(c)) / some.size();
            }
        }
        double[] m = new double[4];
        for (int c = 0; c < 4; c++) {
            Arrays.sort(runs[c]);
            m[c] = runs[c][3];
        }
        return String.format(Locale.ROOT, "| encoder | pooled `encodeAll` ms/record | `encodeSequenceAll` ms/record |"
                + " extra |%n|---|---:|---:|---:|%n| MiniLM-L6 names | %.3f | %.3f | %+.0f%% |%n"
                + "| MobileNetV2 images (3 x 3 regions) | %.3f | %.3f | %+.0f%% |%n", m[0], m[1],
                100 * (m[1] / m[0] - 1), m[2], m[3], 100 * (m[3] / m[2] - 1));
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private void run() {
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            GroupedSplit.Split split = GroupedSplit.split(records, TRAIN_FRACTION, seed);
            List<EmojiRecord> train = split.train();
            List<EmojiRecord> test = split.test();
            if (validation) {
                GroupedSplit.Split inner = GroupedSplit.split(train, 0.85, seed + 100);
                train = inner.train();
                test = inner.test();
            }
            System.out.printf(Locale.ROOT, "== seed %d: %d train, %d %s%n", seed, train.size(), test.size(),
                    validation ? "validation" : "test");
            for (String task : tasks) {
                Function<EmojiRecord, String> label = task.equals("category") ? EmojiRecord::category
                        : EmojiRecord::subcategory;
                List<String> actual = test.stream().map(label).toList();
                probes(task, s, train, test, label, actual, seed);
                for (String variant : variants) {
                    head(task, variant, s, train, test, label, actual, seed);
                }
            }
        }
    }

    private void probes(String task, int s, List<EmojiRecord> train, List<EmojiRecord> test,
            Function<EmojiRecord, String> label, List<String> actual, long seed) {
        List<String> trainY = train.stream().map(label).toList();
        for (Modality m : List.of(Modality.TEXT, Modality.IMAGE)) {
            LinearProbeModel probe = LinearProbe.builder().seed(seed).build().fit(pooled(train, m), trainY);
            List<String> predicted = probe.predictAll(pooled(test, m));
            put(task, "probe " + m.name(), "acc", s, Metrics.accuracy(actual, predicted));
            put(task, "probe " + m.name(), "f1", s, Metrics.macroF1(actual, predicted));
        }
    }

    private List<Embedding> pooled(List<EmojiRecord> rs, Modality m) {
        return rs.stream().map(r -> sequences.get(r.unified()).get(m).orElseThrow()).toList();
    }

    private void head(String task, String variant, int s, List<EmojiRecord> train, List<EmojiRecord> test,
            Function<EmojiRecord, String> label, List<String> actual, long seed) {
        List<TrainingExample> examples = new ArrayList<>();
        for (EmojiRecord r : train) {
            examples.add(TrainingExample.of(sequences.get(r.unified()), label.apply(r)));
        }
        FusionTrainer trainer = trainer(variant, seed);
        long t0 = System.nanoTime();
        FusionModel model = trainer.fit(examples);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String row = variant;
        put(task, row, "seconds", s, seconds);
        put(task, row, "epochs", s, model.trainingSummary().epochsRun());
        for (String pattern : List.of("both", "text absent", "image absent")) {
            List<ModalityEmbeddings> inputs = new ArrayList<>();
            for (EmojiRecord r : test) {
                ModalityEmbeddings e = sequences.get(r.unified());
                inputs.add(switch (pattern) {
                    case "text absent" -> only(e, Modality.IMAGE);
                    case "image absent" -> only(e, Modality.TEXT);
                    default -> e;
                });
            }
            List<String> predicted = model.predictAll(inputs).stream().map(Prediction::label).toList();
            put(task, row, pattern + " acc", s, Metrics.accuracy(actual, predicted));
            put(task, row, pattern + " f1", s, Metrics.macroF1(actual, predicted));
        }
        System.out.printf(Locale.ROOT, "  %s %s: both %.3f, text absent %.3f, image absent %.3f (%.0f s, %d epochs)%n",
                task, variant, results.get(task + "|" + row + "|both acc")[s],
                results.get(task + "|" + row + "|text absent acc")[s],
                results.get(task + "|" + row + "|image absent acc")[s], seconds, model.trainingSummary().epochsRun());
        if (pictureModel == null && task.equals("subcategory") && !pooled(variant)) {
            pictureModel = model;
            pictureRecord = test.stream().filter(r -> r.name().split(" ").length >= 3).findFirst().orElse(test.get(0));
        } else {
            model.close();
        }
    }

    static ModalityEmbeddings only(ModalityEmbeddings e, Modality m) {
        return ModalityEmbeddings.builder().put(m, e.get(m).orElseThrow(), e.sequence(m).orElseThrow()).build();
    }

    /** Whether the variant is one of the pooled strategies (with or without trust weights). */
    static boolean pooled(String variant) {
        return FusionEvaluation.STRATEGIES.contains(variant.replace(NO_TRUST, ""));
    }

    /**
     * The heads compared: the trainer's defaults with the cross-attention strategy, named variations of it, and the
     * pooled strategies' default heads; a {@code -notrust} suffix adds {@code .trustWeights(false)}.
     */
    static FusionTrainer trainer(String variant, long seed) {
        CrossAttentionSpec spec = Fusions.crossAttention();
        FusionTrainer.Builder b = FusionTrainer.builder().seed(seed).listener(TrainingListener.none());
        if (variant.endsWith(NO_TRUST)) {
            b.trustWeights(false);
            variant = variant.substring(0, variant.length() - NO_TRUST.length());
        }
        if (FusionEvaluation.STRATEGIES.contains(variant)) {
            return b.strategy(FusionEvaluation.strategy(variant)).build();
        }
        switch (variant) {
            case "default" -> b.strategy(spec);
            case "dropout0.3" -> b.strategy(spec).modalityDropout(0.3);
            case "layers1" -> b.strategy(spec.layers(1));
            case "d96" -> b.strategy(spec.dimension(96).feedForward(192));
            case "d96+dropout0.3" -> b.strategy(spec.dimension(96).feedForward(192)).modalityDropout(0.3);
            case "d96ff96" -> b.strategy(spec.dimension(96).feedForward(96));
            case "d128" -> b.strategy(spec.dimension(128).feedForward(256));
            case "lr3e-4" -> b.strategy(spec).learningRate(3e-4);
            case "inputDropout0.2" -> b.strategy(spec).inputDropout(0.2);
            case "noskip" -> b.strategy(spec).inputSkip(false);
            default -> throw new IllegalArgumentException("Unknown variant '" + variant + "'");
        }
        return b.build();
    }

    private void put(String task, String row, String column, int s, double v) {
        results.computeIfAbsent(task + "|" + row + "|" + column, k -> {
            double[] a = new double[seeds.length];
            Arrays.fill(a, Double.NaN);
            return a;
        })[s] = v;
    }

    private String cell(String task, String row, String column) {
        return PairEvaluation.meanSd(results.get(task + "|" + row + "|" + column), "%.3f");
    }

    double mean(String task, String row, String column) {
        double[] v = results.get(task + "|" + row + "|" + column);
        return v == null ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    private String markdown(double minutes, String cost) {
        StringBuilder md = new StringBuilder(HEADING).append("\n\n");
        md.append(String.format(Locale.ROOT, "Generated by `dev.fusion4j.examples.emoji.CrossAttentionEvaluation`%s."
                + " Mean ± sample standard deviation over seeds %s, %s. Records carry the name's MiniLM token states and"
                + " the picture's 3 × 3 MobileNetV2 regions (`SequenceCache`) beside the pooled embeddings; the head is"
                + " `FusionTrainer.builder().strategy(Fusions.crossAttention()).seed(seed)` (defaults otherwise, trust"
                + " weights included; variants named below), the pooled rows `.strategy(spec)` likewise, on the same"
                + " records; \"trust weights off\": `.trustWeights(false)`. \"absent\": the modality removed from"
                + " every %s record.%n%n",
                validation ? " with -Deval.validation=true" : "", Arrays.toString(seeds),
                validation ? "on a grouped 85/15 split of each training split (seed + 100): validation, not test"
                        : "the grouped 70/30 test splits of the sections above", validation ? "validation" : "test"));
        md.append(String.format(Locale.ROOT, "- Date: %s; %s; %.0f minutes for the run%n%n", LocalDate.now(),
                machine(), minutes));
        for (String task : tasks) {
            md.append("**").append(task).append("**\n\n");
            md.append("| head | both acc | both macro-F1 | text absent acc | image absent acc | fit seconds | epochs |\n");
            md.append("|---|---|---|---|---|---|---|\n");
            md.append("| probe: name (text) only | ").append(cell(task, "probe text", "acc")).append(" | ")
                    .append(cell(task, "probe text", "f1")).append(" | — | ").append(cell(task, "probe text", "acc"))
                    .append(" | | |\n");
            md.append("| probe: image only | ").append(cell(task, "probe image", "acc")).append(" | ")
                    .append(cell(task, "probe image", "f1")).append(" | ").append(cell(task, "probe image", "acc"))
                    .append(" | — | | |\n");
            for (String v : variants) {
                String row = v;
                md.append("| ").append(label(v)).append(" | ").append(cell(task, row, "both acc"))
                        .append(" | ").append(cell(task, row, "both f1")).append(" | ")
                        .append(cell(task, row, "text absent acc")).append(" | ")
                        .append(cell(task, row, "image absent acc")).append(" | ").append(cell(task, row, "seconds"))
                        .append(" | ").append(cell(task, row, "epochs")).append(" |\n");
            }
            md.append('\n');
            for (String v : variants) {
                String row = v;
                md.append(String.format(Locale.ROOT, "- %s, `%s`: no regret (points against the other modality's"
                        + " probe) text absent %+.1f, image absent %+.1f; both present against the name probe %+.1f%n",
                        task, v, 100 * (mean(task, row, "text absent acc") - mean(task, "probe image", "acc")),
                        100 * (mean(task, row, "image absent acc") - mean(task, "probe text", "acc")),
                        100 * (mean(task, row, "both acc") - mean(task, "probe text", "acc"))));
            }
            for (String v : variants) {
                String best = bestPooled(task, v.endsWith(NO_TRUST));
                if (!pooled(v) && best != null) {
                    md.append(String.format(Locale.ROOT, "- %s, `%s` against the best pooled head of this run with"
                            + " trust weights %s (%s, %.3f): %+.1f points%n", task, v, v.endsWith(NO_TRUST) ? "off"
                            : "on", label(best), mean(task, best, "both acc"),
                            100 * (mean(task, v, "both acc") - mean(task, best, "both acc"))));
                }
            }
            md.append('\n');
        }
        if (!cost.isEmpty()) {
            md.append("**Encoders' extra cost of returning sequences** (wall clock, 256 emoji, median of 7 alternating"
                    + " runs, shared machine)\n\n").append(cost).append('\n');
        }
        return md.toString();
    }

    /** The pooled variant of this run with the best mean accuracy (both present), trust weights off or on. */
    private String bestPooled(String task, boolean noTrust) {
        String best = null;
        for (String v : variants) {
            if (pooled(v) && v.endsWith(NO_TRUST) == noTrust && !Double.isNaN(mean(task, v, "both acc"))
                    && (best == null || mean(task, v, "both acc") > mean(task, best, "both acc"))) {
                best = v;
            }
        }
        return best;
    }

    private static String label(String variant) {
        String base = variant.replace(NO_TRUST, "");
        String trust = variant.endsWith(NO_TRUST) ? ", trust weights off" : "";
        return pooled(variant) ? "`" + FusionEvaluation.strategyCode(base) + "`" + trust
                : "`crossAttention()` " + base + trust;
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%d vCPU, %s %s, Java %s, load average at the end %.2f",
                rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.version"), load);
    }
}
