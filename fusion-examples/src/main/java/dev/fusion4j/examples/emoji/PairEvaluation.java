package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.cluster.KMeans;
import dev.fusion4j.core.search.ExactIndex;
import dev.fusion4j.core.search.SearchHit;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.PairModel;
import dev.fusion4j.core.train.PairObjective;
import dev.fusion4j.core.train.PairTrainer;
import dev.fusion4j.core.train.PairListener;
import dev.fusion4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Issue 16: label-free fusion ({@link PairTrainer}) on the full emoji set — names and pictures, the category used
 * only for scoring — against the unimodal embeddings, raw and L2-normalised concatenation, the untrained strategies
 * and the supervised head, over grouped 70/30 splits of seeds 1, 2, 3. Writes the section "Label-free fusion" of
 * {@code docs/results.md}: everything from that heading on is replaced except a hand-written "### Reading"
 * subsection after it; the rest of the file is kept.
 *
 * <ol type="a">
 *   <li>cross-modal retrieval among the held-out emoji: recall@1/5/10 text→image and image→text;</li>
 *   <li>weighted kNN (k = 20) category accuracy, training records as the gallery; k-means (k = number of
 *       categories) NMI and AMI against the category on the test records;</li>
 *   <li>one modality absent at test time: the kNN accuracy of text-only (image-only) queries against the
 *       both-modality gallery, beside the unimodal embedding's own kNN;</li>
 *   <li>Ngiam's shared-representation probe: a linear probe trained on text-only embeddings of the training records,
 *       tested on image-only embeddings of the test records, and the reverse;</li>
 *   <li>validation (model choice): the three objectives on a grouped 85/15 split of the training records only.</li>
 * </ol>
 *
 * <p>Needs {@code tools/emoji-data/fetch.sh}. Run from the repository root:
 * {@code ./mvnw -q -pl fusion-examples exec:java -Ddemo.main=dev.fusion4j.examples.emoji.PairEvaluation};
 * {@code -Deval.seeds=1 -Deval.out=none} for a quick look.
 */
public final class PairEvaluation {
    private static final double TRAIN_FRACTION = 0.7;
    private static final int KNN = 20;
    private static final double KNN_TEMPERATURE = 0.07;
    private static final int[] RECALL = {1, 5, 10};
    static final String HEADING = "## Label-free fusion (issue 16)";
    private static final String COMMAND = "./mvnw -q -pl fusion-examples exec:java"
            + " -Ddemo.main=dev.fusion4j.examples.emoji.PairEvaluation";
    private static final List<String> UNTRAINED = List.of("concat", "weightedSum", "attention", "compact", "lowRank");
    private static final Map<PairObjective, String> OBJECTIVES = new LinkedHashMap<>();

    static {
        OBJECTIVES.put(PairObjective.BOTH, "pairs BOTH (default)");
        OBJECTIVES.put(PairObjective.CONTRASTIVE, "pairs CONTRASTIVE");
        OBJECTIVES.put(PairObjective.RECONSTRUCTION, "pairs RECONSTRUCTION");
    }

    private final List<EmojiRecord> records;
    private final CachedEmbeddings cached;
    private final long[] seeds;
    private final Map<Modality, Integer> dims;
    /** "table|row|column" -> one value per seed. */
    private final Map<String, double[]> results = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    private PairEvaluation(List<EmojiRecord> records, CachedEmbeddings cached) {
        this.records = records;
        this.cached = cached;
        this.seeds = Arrays.stream(System.getProperty("eval.seeds", "1,2,3").split(","))
                .mapToLong(s -> Long.parseLong(s.trim())).toArray();
        this.dims = new LinkedHashMap<>();
        dims.put(Modality.TEXT, cached.textDimension());
        dims.put(Modality.IMAGE, cached.imageDimension());
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = FusionEvaluation.dataDir(args);
        List<EmojiRecord> records = EmojiDataset.load(dataDir);
        CachedEmbeddings cached = FusionEvaluation.cache(dataDir, records);
        System.out.printf(Locale.ROOT, "%d records, %s%n", records.size(), cached);
        PairEvaluation eval = new PairEvaluation(records, cached);
        long t0 = System.nanoTime();
        eval.run();
        double minutes = (System.nanoTime() - t0) / 60e9;
        String md = eval.markdown(minutes);
        System.out.println();
        System.out.println(md);
        String out = System.getProperty("eval.out", System.getProperty("eval.seeds") == null ? "docs/results.md" : "none");
        if (!out.equals("none")) {
            ResultsFile.replaceSection(Path.of(out), HEADING, md, CrossAttentionEvaluation.HEADING);
            System.out.println("Written " + Path.of(out).toAbsolutePath());
        }
    }

    private void run() {
        for (int s = 0; s < seeds.length; s++) {
            long seed = seeds[s];
            GroupedSplit.Split split = GroupedSplit.split(records, TRAIN_FRACTION, seed);
            System.out.printf(Locale.ROOT, "== seed %d: %d train, %d test%n", seed, split.train().size(),
                    split.test().size());
            validation(s, seed, split.train());
            if (!Boolean.getBoolean("eval.validationOnly")) {
                evaluate(s, seed, split.train(), split.test());
            }
        }
    }

    /** (e): the objectives on a grouped split of the training records alone (the test split is never looked at). */
    private void validation(int s, long seed, List<EmojiRecord> train) {
        GroupedSplit.Split inner = GroupedSplit.split(train, 0.85, seed + 100);
        Function<EmojiRecord, Embedding> l2 = r -> BaselineProbes.concat(cached.text(r).normalized(),
                cached.image(r).normalized());
        put("val|L2-normalised concatenation|kNN acc", s, knn(inner.train().stream().map(l2).toList(), inner.train(),
                inner.test().stream().map(l2).toList(), inner.test()));
        put("val|name (text) embedding|kNN acc", s, knn(inner.train().stream().map(cached::text).toList(),
                inner.train(), inner.test().stream().map(cached::text).toList(), inner.test()));
        put("val|image embedding|kNN acc", s, knn(inner.train().stream().map(cached::image).toList(),
                inner.train(), inner.test().stream().map(cached::image).toList(), inner.test()));
        for (Map.Entry<PairObjective, String> o : OBJECTIVES.entrySet()) {
            if (!System.getProperty("eval.objectives", "BOTH,CONTRASTIVE,RECONSTRUCTION").contains(o.getKey().name())) {
                continue;
            }
            try (PairModel model = pairs(o.getKey(), inner.train(), seed)) {
                Reps r = reps(model, inner.train(), inner.test());
                put("val|" + o.getValue() + "|text→image R@10", s, recall(r.testText, r.testImage, 10));
                put("val|" + o.getValue() + "|kNN acc", s, knn(r.trainBoth, inner.train(), r.testBoth, inner.test()));
                put("val|" + o.getValue() + "|kNN acc, image absent", s, knn(r.trainBoth, inner.train(), r.testText,
                        inner.test()));
                put("val|" + o.getValue() + "|kNN acc, text absent", s, knn(r.trainBoth, inner.train(), r.testImage,
                        inner.test()));
            }
        }
    }

    /** The three views of a representation: both modalities, text only, image only. */
    private record Reps(List<Embedding> trainBoth, List<Embedding> trainText, List<Embedding> trainImage,
            List<Embedding> testBoth, List<Embedding> testText, List<Embedding> testImage) {
    }

    private Reps reps(FusionStrategy f, List<EmojiRecord> train, List<EmojiRecord> test) {
        return new Reps(f.fuseAll(view(train, cached::both)), f.fuseAll(view(train, cached::textOnly)),
                f.fuseAll(view(train, cached::imageOnly)), f.fuseAll(view(test, cached::both)),
                f.fuseAll(view(test, cached::textOnly)), f.fuseAll(view(test, cached::imageOnly)));
    }

    private static List<ModalityEmbeddings> view(List<EmojiRecord> rs, Function<EmojiRecord, ModalityEmbeddings> v) {
        return rs.stream().map(v).toList();
    }

    private PairModel pairs(PairObjective objective, List<EmojiRecord> train, long seed) {
        PairTrainer.Builder b = PairTrainer.builder().objective(objective).seed(seed);
        overrides(b);
        return b
                .encoderIds(Map.of(Modality.TEXT, "cached-text", Modality.IMAGE, "cached-image"))
                .listener(Boolean.getBoolean("eval.verbose") ? PairListener.logging() : PairListener.none())
                .build().fit(view(train, cached::both));
    }

    /** Tuning only (never in docs/results.md): {@code -Deval.pairs=weightDecay=0.1,dimension=128}. */
    private static void overrides(PairTrainer.Builder b) {
        for (Map.Entry<String, String> kv : FusionEvaluation.keyValues("eval.pairs").entrySet()) {
            String v = kv.getValue();
            switch (kv.getKey()) {
                case "dimension" -> b.dimension(Integer.parseInt(v));
                case "hidden" -> b.hiddenLayers(v.isEmpty() || v.equals("none") ? new int[0]
                        : Arrays.stream(v.split("x")).mapToInt(Integer::parseInt).toArray());
                case "epochs" -> b.epochs(Integer.parseInt(v));
                case "batchSize" -> b.batchSize(Integer.parseInt(v));
                case "learningRate" -> b.learningRate(Double.parseDouble(v));
                case "weightDecay" -> b.weightDecay(Double.parseDouble(v));
                case "masking" -> b.modalityMasking(Double.parseDouble(v));
                case "inputDropout" -> b.inputDropout(Double.parseDouble(v));
                case "temperature" -> b.temperature(Double.parseDouble(v));
                case "contrastiveWeight" -> b.contrastiveWeight(Double.parseDouble(v));
                case "validationSplit" -> b.validationSplit(Double.parseDouble(v));
                case "patience" -> b.earlyStopping(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("Unknown pair setting " + kv.getKey());
            }
        }
    }

    private void evaluate(int s, long seed, List<EmojiRecord> train, List<EmojiRecord> test) {
        List<String> testY = test.stream().map(EmojiRecord::category).toList();
        int categories = (int) records.stream().map(EmojiRecord::category).distinct().count();
        put("chance|retrieval|R@1", s, 1.0 / test.size());
        put("chance|retrieval|R@5", s, 5.0 / test.size());
        put("chance|retrieval|R@10", s, 10.0 / test.size());
        put("chance|knn|majority", s, majority(testY));

        // unimodal and concatenations: kNN and clustering, no cross-modal retrieval (no shared space)
        Map<String, Function<EmojiRecord, Embedding>> raw = new LinkedHashMap<>();
        raw.put("name (text) embedding", cached::text);
        raw.put("image embedding", cached::image);
        raw.put("raw concatenation", r -> BaselineProbes.concat(cached.text(r), cached.image(r)));
        raw.put("L2-normalised concatenation", r -> BaselineProbes.concat(cached.text(r).normalized(),
                cached.image(r).normalized()));
        for (var e : raw.entrySet()) {
            List<Embedding> tr = train.stream().map(e.getValue()).toList();
            List<Embedding> te = test.stream().map(e.getValue()).toList();
            put("knn|" + e.getKey() + "|kNN acc", s, knn(tr, train, te, test));
            cluster(s, seed, e.getKey(), te, testY, categories);
        }
        // Ngiam's probe for the raw concatenation: [t, 0] to train on, [0, i] to test on (and the reverse)
        List<Embedding> zerosImage = train.stream().map(r -> BaselineProbes.concat(cached.text(r),
                Embedding.of(new float[cached.imageDimension()]))).toList();
        List<Embedding> zerosText = test.stream().map(r -> BaselineProbes.concat(
                Embedding.of(new float[cached.textDimension()]), cached.image(r))).toList();
        put("transfer|raw concatenation (absent = 0)|text→image", s, probe(seed, zerosImage, train, zerosText, testY));

        // untrained strategies
        for (String name : UNTRAINED) {
            FusionStrategy f = FusionEvaluation.strategy(name).bind(dims);
            try {
                all(s, seed, "untrained " + name + "()", f, train, test, categories, -1);
            } finally {
                closeQuietly(f);
            }
        }
        // supervised head (category labels used in training)
        try (FusionModel head = FusionTrainer.builder().seed(seed)
                .encoderIds(Map.of(Modality.TEXT, "cached-text", Modality.IMAGE, "cached-image"))
                .listener(TrainingListener.none()).build().fit(cached.examples(train, EmojiRecord::category))) {
            all(s, seed, "supervised concat head (uses labels)", head, train, test, categories,
                    head.trainingSummary().seconds());
        }
        // the issue's timing: 1,300 pairs, 50 epochs, no early stopping (no validation split)
        try (PairModel timed = PairTrainer.builder().seed(seed).validationSplit(0).epochs(50)
                .listener(PairListener.none()).build().fit(view(train.subList(0, 1300), cached::both))) {
            put("cost|pairs BOTH, 1,300 pairs × 50 epochs, no early stopping|fit seconds", s,
                    timed.trainingSummary().seconds());
            put("cost|pairs BOTH, 1,300 pairs × 50 epochs, no early stopping|epochs run", s,
                    timed.trainingSummary().epochsRun());
        }
        for (Map.Entry<PairObjective, String> o : OBJECTIVES.entrySet()) {
            try (PairModel model = pairs(o.getKey(), train, seed)) {
                all(s, seed, o.getValue(), model, train, test, categories, model.trainingSummary().seconds());
                put("cost|" + o.getValue() + "|parameters", s, model.parameterCount());
                put("cost|" + o.getValue() + "|epochs run", s, model.trainingSummary().epochsRun());
                put("cost|" + o.getValue() + "|1/τ", s, model.logitScale());
            }
        }
    }

    /** Every metric of one fusion (retrieval, kNN, clustering, absent modality, transfer). */
    private void all(int s, long seed, String row, FusionStrategy f, List<EmojiRecord> train, List<EmojiRecord> test,
            int categories, double seconds) {
        Reps r = reps(f, train, test);
        List<String> testY = test.stream().map(EmojiRecord::category).toList();
        for (int k : RECALL) {
            put("retrieval|" + row + "|text→image R@" + k, s, recall(r.testText, r.testImage, k));
        }
        for (int k : RECALL) {
            put("retrieval|" + row + "|image→text R@" + k, s, recall(r.testImage, r.testText, k));
        }
        put("knn|" + row + "|kNN acc", s, knn(r.trainBoth, train, r.testBoth, test));
        cluster(s, seed, row, r.testBoth, testY, categories);
        put("absent|" + row + "|image absent", s, knn(r.trainBoth, train, r.testText, test));
        put("absent|" + row + "|text absent", s, knn(r.trainBoth, train, r.testImage, test));
        put("transfer|" + row + "|text→image", s, probe(seed, r.trainText, train, r.testImage, testY));
        put("transfer|" + row + "|image→text", s, probe(seed, r.trainImage, train, r.testText, testY));
        if (seconds >= 0) {
            put("cost|" + row + "|fit seconds", s, seconds);
        }
        System.out.printf(Locale.ROOT, "  %-40s t→i R@10 %.3f  kNN %.3f  NMI %.3f  img absent %.3f  text absent %.3f"
                + "  transfer %.3f%n", row, get("retrieval|" + row + "|text→image R@10", s),
                get("knn|" + row + "|kNN acc", s), get("knn|" + row + "|NMI", s), get("absent|" + row + "|image absent", s),
                get("absent|" + row + "|text absent", s), get("transfer|" + row + "|text→image", s));
    }

    private void cluster(int s, long seed, String row, List<Embedding> test, List<String> testY, int k) {
        int[] assignments = KMeans.builder().k(k).seed(seed).build().fit(test).assignments();
        put("knn|" + row + "|NMI", s, ClusterScores.nmi(testY, assignments));
        put("knn|" + row + "|AMI", s, ClusterScores.ami(testY, assignments));
    }

    /** Share of queries whose own record (same index) is among the k most similar of {@code gallery}. */
    private static double recall(List<Embedding> queries, List<Embedding> gallery, int k) {
        List<List<SearchHit<Integer>>> hits = search(gallery, queries, k);
        int found = 0;
        for (int i = 0; i < queries.size(); i++) {
            final int self = i;
            found += hits.get(i).stream().anyMatch(h -> h.id() == self) ? 1 : 0;
        }
        return (double) found / queries.size();
    }

    /**
     * Weighted kNN category accuracy: the {@value #KNN} nearest training records (cosine) vote with weight
     * {@code exp(cos / 0.07)} (the weighted kNN of Wu et al. 2018 / DINO).
     */
    private static double knn(List<Embedding> gallery, List<EmojiRecord> galleryRecords, List<Embedding> queries,
            List<EmojiRecord> queryRecords) {
        List<List<SearchHit<Integer>>> hits = search(gallery, queries, KNN);
        int right = 0;
        for (int i = 0; i < queries.size(); i++) {
            Map<String, Double> votes = new HashMap<>();
            for (SearchHit<Integer> h : hits.get(i)) {
                votes.merge(galleryRecords.get(h.id()).category(), Math.exp(h.score() / KNN_TEMPERATURE), Double::sum);
            }
            String best = votes.entrySet().stream().max(Map.Entry.<String, Double>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
            right += best.equals(queryRecords.get(i).category()) ? 1 : 0;
        }
        return (double) right / queries.size();
    }

    /** The k best of {@code gallery} (ids = positions) for each query: cosine, {@code ExactIndex.searchAll}. */
    private static List<List<SearchHit<Integer>>> search(List<Embedding> gallery, List<Embedding> queries, int k) {
        ExactIndex<Integer> index = ExactIndex.create(gallery.get(0).dimension());
        for (int i = 0; i < gallery.size(); i++) {
            index.add(i, gallery.get(i));
        }
        return index.searchAll(queries, k);
    }

    private static double probe(long seed, List<Embedding> trainX, List<EmojiRecord> train, List<Embedding> testX,
            List<String> testY) {
        List<String> trainY = train.stream().map(EmojiRecord::category).toList();
        return Metrics.accuracy(testY, LinearProbe.builder().seed(seed).build().fit(trainX, trainY).predictAll(testX));
    }

    private static double majority(List<String> labels) {
        Map<String, Integer> counts = new HashMap<>();
        labels.forEach(l -> counts.merge(l, 1, Integer::sum));
        return (double) counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / labels.size();
    }

    private static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void put(String key, int seedIndex, double value) {
        results.computeIfAbsent(key, k -> {
            double[] v = new double[seeds.length];
            Arrays.fill(v, Double.NaN);
            order.add(k);
            return v;
        })[seedIndex] = value;
    }

    private double get(String key, int seedIndex) {
        double[] v = results.get(key);
        return v == null ? Double.NaN : v[seedIndex];
    }

    private double mean(String key) {
        double[] v = results.get(key);
        return v == null ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    private String cell(String key, String format) {
        return meanSd(results.get(key), format);
    }

    /** {@code "mean ± sample standard deviation"} of per-seed values in {@code format}; "—" for none. */
    static String meanSd(double[] v, String format) {
        if (v == null) {
            return "—";
        }
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = 0;
        for (double x : v) {
            sd += (x - m) * (x - m);
        }
        sd = v.length > 1 ? Math.sqrt(sd / (v.length - 1)) : 0;
        return String.format(Locale.ROOT, format + " ± " + format, m, sd);
    }

    /** A markdown table of every row of {@code table} with the given columns. */
    private void table(StringBuilder md, String table, List<String> columns, String format) {
        List<String> rows = new ArrayList<>();
        for (String k : order) {
            String[] p = k.split("\\|");
            if (p[0].equals(table) && !rows.contains(p[1])) {
                rows.add(p[1]);
            }
        }
        md.append("| representation | ").append(String.join(" | ", columns)).append(" |\n|---|");
        md.append("---|".repeat(columns.size())).append("\n");
        for (String row : rows) {
            md.append("| ").append(row);
            for (String c : columns) {
                md.append(" | ").append(cell(table + "|" + row + "|" + c, format));
            }
            md.append(" |\n");
        }
        md.append("\n");
    }

    /** The issue's acceptance criteria, each with its figures (means over the seeds, four decimals). */
    private void acceptance(StringBuilder md) {
        String both = OBJECTIVES.get(PairObjective.BOTH);
        double recall = mean("retrieval|" + both + "|text→image R@10");
        double chance = mean("chance|retrieval|R@10");
        double untrained = UNTRAINED.stream().mapToDouble(n -> mean("retrieval|untrained " + n + "()|text→image R@10"))
                .max().orElse(Double.NaN);
        double knn = mean("knn|" + both + "|kNN acc");
        double concat = mean("knn|L2-normalised concatenation|kNN acc");
        double text = mean("knn|name (text) embedding|kNN acc");
        double image = mean("knn|image embedding|kNN acc");
        double imageAbsent = mean("absent|" + both + "|image absent");
        double textAbsent = mean("absent|" + both + "|text absent");
        double seconds = mean("cost|pairs BOTH, 1,300 pairs × 50 epochs, no early stopping|fit seconds");
        double slowest = Arrays.stream(results.getOrDefault(
                "cost|pairs BOTH, 1,300 pairs × 50 epochs, no early stopping|fit seconds", new double[] {Double.NaN}))
                .max().orElse(Double.NaN);
        md.append("### Acceptance (the default objective, BOTH; means over the seeds)\n\n| criterion | figures | |\n|---|---|---|\n");
        row(md, "text→image recall@10 ≥ 5 × chance and above every untrained strategy", String.format(Locale.ROOT,
                "%.4f; chance %.4f (5 × = %.4f); best untrained %.4f", recall, chance, 5 * chance, untrained),
                recall >= 5 * chance && recall > untrained);
        row(md, "kNN (k = 20) accuracy ≥ L2-normalised concatenation + 2 points", String.format(Locale.ROOT,
                "%.4f vs %.4f + 0.02 = %.4f (%+.1f points)", knn, concat, concat + 0.02, 100 * (knn - concat)),
                knn >= concat + 0.02);
        row(md, "kNN accuracy ≥ the best unimodal embedding", String.format(Locale.ROOT,
                "%.4f vs name %.4f, image %.4f", knn, text, image), knn >= Math.max(text, image));
        row(md, "image absent: joint kNN ≥ the name embedding's kNN", String.format(Locale.ROOT,
                "%.4f vs %.4f (per seed %s vs %s)", imageAbsent, text, perSeed("absent|" + both + "|image absent"),
                perSeed("knn|name (text) embedding|kNN acc")), imageAbsent >= text);
        row(md, "text absent: joint kNN ≥ the image embedding's kNN", String.format(Locale.ROOT,
                "%.4f vs %.4f", textAbsent, image), textAbsent >= image);
        row(md, "1,300 pairs × 50 epochs in under a minute", String.format(Locale.ROOT,
                "%.1f s mean, %.1f s slowest seed (no early stopping)", seconds, slowest), slowest < 60);
        md.append("\n");
    }

    private static void row(StringBuilder md, String criterion, String figures, boolean met) {
        md.append("| ").append(criterion).append(" | ").append(figures).append(" | ").append(met ? "met" : "**not met**")
                .append(" |\n");
    }

    private String perSeed(String key) {
        double[] v = results.get(key);
        return v == null ? "—" : Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x)).toList()
                .toString();
    }

    private String markdown(double minutes) {
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append("Generated by `dev.fusion4j.examples.emoji.PairEvaluation`. Mean ± sample standard deviation over the"
                + " grouped 70/30 splits of seeds " + Arrays.toString(seeds) + " (the split of the sections above)."
                + " The label-free models see only the (name, picture) pairs of the training split; the category is"
                + " used for scoring alone (and to train the supervised head, a reference that does use labels)."
                + " `PairTrainer` defaults (D = 256, one hidden layer of 512, 50 epochs, batch 128, masking 1/3,"
                + " τ₀ = 0.07, input dropout 0.5, early stopping on a 10% validation part of the training split), the trainer's seed = the"
                + " split seed.\n\n");
        md.append("- Date: ").append(LocalDate.now()).append("; machine: ").append(FusionEvaluation.machine())
                .append("\n- Reproduce: `tools/emoji-data/fetch.sh && ").append(COMMAND).append("` (")
                .append(String.format(Locale.ROOT, "%.0f", minutes)).append(" minutes on this machine).\n\n");
        acceptance(md);
        md.append("### (a) Cross-modal retrieval among the held-out emoji\n\nThe query is the text-only (image-only)"
                + " embedding of a test emoji, the gallery the image-only (text-only) embeddings of all test emoji;"
                + " a hit when the emoji's own picture (name) is among the k best (cosine, `ExactIndex`). Chance is"
                + " k / number of test emoji. The unimodal embeddings and the raw concatenation have no shared space"
                + " (a text-only concatenation is orthogonal to an image-only one), so they have no row here;"
                + " `untrained concat()` is that case.\n\n");
        List<String> retrieval = new ArrayList<>();
        for (String dir : List.of("text→image", "image→text")) {
            for (int k : RECALL) {
                retrieval.add(dir + " R@" + k);
            }
        }
        md.append("| chance | ").append(cell("chance|retrieval|R@1", "%.4f")).append(" (R@1), ")
                .append(cell("chance|retrieval|R@5", "%.4f")).append(" (R@5), ")
                .append(cell("chance|retrieval|R@10", "%.4f")).append(" (R@10) |\n|---|---|\n\n");
        table(md, "retrieval", retrieval, "%.3f");
        md.append("### (b) Category structure: weighted kNN (k = 20) and k-means\n\nkNN: each test record (both"
                + " modalities) among the training records, votes weighted by exp(cos / 0.07). k-means: cosine, k = "
                + "the number of categories, on the test records; NMI and AMI (arithmetic normalisation, as"
                + " scikit-learn) against the category. Majority-class accuracy: ")
                .append(cell("chance|knn|majority", "%.3f")).append(".\n\n");
        table(md, "knn", List.of("kNN acc", "NMI", "AMI"), "%.3f");
        md.append("### (c) One modality absent at test time\n\nkNN (k = 20) accuracy of test records that lost their"
                + " image (text-only query) or their name (image-only query), against the training records with both"
                + " modalities; compare with the unimodal embeddings' own kNN in (b) (name "
                + cell("knn|name (text) embedding|kNN acc", "%.3f") + ", image "
                + cell("knn|image embedding|kNN acc", "%.3f") + ").\n\n");
        table(md, "absent", List.of("image absent", "text absent"), "%.3f");
        md.append("### (d) Train on one modality, test on the other (Ngiam et al.'s shared-representation setting)"
                + "\n\nA linear probe (`LinearProbe` defaults) fitted on the text-only embeddings of the training"
                + " records, tested on the image-only embeddings of the test records (text→image), and the"
                + " reverse. Majority class: " + cell("chance|knn|majority", "%.3f") + ".\n\n");
        table(md, "transfer", List.of("text→image", "image→text"), "%.3f");
        md.append("### (e) Validation: the objectives on the training split alone\n\nA grouped 85/15 split of each"
                + " seed's training records (seed + 100); the label-free model trained on the 85%, scored on the 15%"
                + " (retrieval among them; kNN against the 85%). This is what the default (BOTH) was chosen on; the"
                + " test split was not used for any choice.\n\n");
        table(md, "val", List.of("text→image R@10", "kNN acc", "kNN acc, image absent", "kNN acc, text absent"),
                "%.3f");
        md.append("### (f) Cost\n\nWhole `fit` on the cached embeddings (split, statistics, every epoch, early"
                + " stopping), one PyTorch thread; parameters used at inference (the two towers; the training-only"
                + " decoders of the reconstruction objective are not counted and not saved).\n\n");
        table(md, "cost", List.of("fit seconds", "epochs run", "parameters", "1/τ"), "%.1f");
        return md.toString();
    }
}
