package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.classify.KnnClassifier;
import dev.fusion4j.core.classify.LinearProbe;
import dev.fusion4j.core.classify.Metrics;
import dev.fusion4j.core.cluster.Distance;
import dev.fusion4j.core.cluster.Silhouette;
import dev.fusion4j.core.search.ExactIndex;
import dev.fusion4j.core.search.SearchHit;
import dev.fusion4j.core.train.EpochMetrics;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.Prediction;
import dev.fusion4j.core.train.TrainingListener;
import dev.fusion4j.examples.emoji.EmojiDataset;
import dev.fusion4j.examples.emoji.EmojiRecord;
import dev.fusion4j.examples.emoji.GroupedSplit;
import dev.fusion4j.encoders.image.ImageAugmentation;
import dev.fusion4j.models.BundledModels;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The main job (README command one): real emoji (name + 64px image) from the bundled sample, embedded
 * with the bundled offline models, fused by three strategies and a trained fusion head, compared on
 * classification, nearest-neighbour retrieval and cluster quality; three example searches; pictures in
 * {@code target/fusion-demo/}. Given any argument ({@code --input FILE ...}, {@code --help}) it runs
 * {@link BatchEmbedJob} on the user's own CSV/JSONL instead and exits with that job's exit code.
 */
public final class FusionDemo {
    static final Path OUT = Path.of("target", "fusion-demo");
    private static final long SEED = 7;

    private FusionDemo() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (args.length > 0) {   // any argument means the batch job: a mistyped option is refused, not ignored
            System.exit(BatchEmbedJob.run(args));
        }
        long start = System.nanoTime();
        PrintStream out = System.out;
        out.println("fusion4j demo: emoji names + images -> one embedding (all offline)");
        List<EmojiRecord> records = EmojiDataset.loadSample();
        GroupedSplit.Split split = GroupedSplit.split(records, 0.7, SEED);
        out.printf(Locale.ROOT, "%d emoji records (bundled sample), grouped split: %d train / %d test%n",
                records.size(), split.train().size(), split.test().size());

        ProgressBar loading = new ProgressBar(out, "loading the bundled models", 2);
        try (TextEncoder text = BundledModels.miniLmText()) {
            loading.update(1);
            try (ImageEncoder image = BundledModels.mobileNetV2Image()) {
                loading.done();
                run(out, records, split, text, image);
            }
        }
        out.printf(Locale.ROOT, "%nDone in %.1f s. Pictures: %s%n", (System.nanoTime() - start) / 1e9,
                OUT.toAbsolutePath());
    }

    private static void run(PrintStream out, List<EmojiRecord> records, GroupedSplit.Split split, TextEncoder text,
                            ImageEncoder image) throws Exception {
        Map<EmojiRecord, Embedding> textVec = encode(out, "embedding names", records, text::encodeAll,
                EmojiRecord::name);
        Map<EmojiRecord, Embedding> imageVec = encode(out, "embedding images", records, image::encodeAll,
                EmojiRecord::image);
        Function<EmojiRecord, ModalityEmbeddings> both = r -> ModalityEmbeddings.builder()
                .put(Modality.TEXT, textVec.get(r)).put(Modality.IMAGE, imageVec.get(r)).build();
        Map<Modality, Integer> dims = new LinkedHashMap<>();
        dims.put(Modality.TEXT, text.dimension());
        dims.put(Modality.IMAGE, image.dimension());

        // Views: unimodal, three untrained strategies, and a trained fusion head.
        Map<String, Function<EmojiRecord, Embedding>> views = new LinkedHashMap<>();
        views.put("text only", textVec::get);
        views.put("image only", r -> imageVec.get(r).normalized());
        Map<String, FusionSpec> specs = new LinkedHashMap<>();
        specs.put("concat", Fusions.concat());
        specs.put("attention", Fusions.attention().dimension(256).heads(4));
        specs.put("low-rank bilinear", Fusions.bilinear().lowRank(1024));
        List<AutoCloseable> toClose = new ArrayList<>();
        ProgressBar fusing = new ProgressBar(out, "fusing with 3 strategies", specs.size());
        int f = 0;
        for (Map.Entry<String, FusionSpec> e : specs.entrySet()) {
            FusionStrategy strategy = e.getValue().bind(dims);
            if (strategy instanceof AutoCloseable c) {
                toClose.add(c);
            }
            List<Embedding> fused = strategy.fuseAll(records.stream().map(both).toList());
            Map<EmojiRecord, Embedding> byRecord = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                byRecord.put(records.get(i), fused.get(i));
            }
            views.put(e.getKey(), byRecord::get);
            fusing.update(++f);
        }
        fusing.done();

        List<EpochMetrics> curve = new ArrayList<>();
        ProgressBar training = new ProgressBar(out, "training a fusion head (concat -> MLP)", 60);
        // validation: a grouped part of the training side (variants of one emoji stay on one side), plus two
        // perturbed copies of each of its images, so the trust weights see what a shifted image does
        GroupedSplit.Split fitting = GroupedSplit.split(split.train(), 0.85, SEED);
        List<TrainingExample> examples = new ArrayList<>();
        for (EmojiRecord r : fitting.train()) {
            examples.add(TrainingExample.of(both.apply(r), r.category()));
        }
        List<TrainingExample> validation = new ArrayList<>();
        List<ImageInput> perturbed = new ArrayList<>();
        for (EmojiRecord r : fitting.test()) {
            validation.add(TrainingExample.of(both.apply(r), r.category()));
            perturbed.addAll(ImageAugmentation.views(r.image(), 2, r.unified().hashCode()));
        }
        List<Embedding> perturbedVectors = image.encodeAll(perturbed);
        for (int i = 0; i < perturbedVectors.size(); i++) {
            EmojiRecord r = fitting.test().get(i / 2);
            validation.add(TrainingExample.of(ModalityEmbeddings.builder().put(Modality.TEXT, textVec.get(r))
                    .put(Modality.IMAGE, perturbedVectors.get(i)).build(), r.category()));
        }
        FusionModel model = FusionTrainer.builder().strategy(Fusions.concat()).modalityDropout(0.3).seed(SEED)
                .epochs(60).listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics metrics) {
                        curve.add(metrics);
                        training.update(metrics.epoch());
                    }
                }).build().fit(examples, validation);
        toClose.add(model);
        training.done();
        List<Embedding> trained = model.fuseAll(records.stream().map(both).toList());
        Map<EmojiRecord, Embedding> trainedByRecord = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            trainedByRecord.put(records.get(i), trained.get(i));
        }
        views.put("trained head", trainedByRecord::get);

        printTable(out, views, split, model, both);
        searches(out, records, text, image, model, trainedByRecord::get);

        Map<String, List<Embedding>> pictures = new LinkedHashMap<>();
        for (String v : List.of("text only", "image only", "trained head")) {
            pictures.put(v, records.stream().map(views.get(v)).toList());
        }
        Plots.pcaPanels(pictures, records.stream().map(EmojiRecord::category).toList(), OUT.resolve("pca.png"));
        Plots.trainingCurve(curve, "Training the fusion head (emoji category)", OUT.resolve("training.png"));
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static <T> Map<EmojiRecord, Embedding> encode(PrintStream out, String label, List<EmojiRecord> records,
            Function<List<T>, List<Embedding>> encoder, Function<EmojiRecord, T> value) {
        ProgressBar bar = new ProgressBar(out, label, records.size());
        Map<EmojiRecord, Embedding> result = new HashMap<>();
        for (int startAt = 0; startAt < records.size(); startAt += 32) {
            List<EmojiRecord> chunk = records.subList(startAt, Math.min(records.size(), startAt + 32));
            List<Embedding> vectors = encoder.apply(chunk.stream().map(value).toList());
            for (int i = 0; i < chunk.size(); i++) {
                result.put(chunk.get(i), vectors.get(i));
            }
            bar.update(startAt + chunk.size());
        }
        bar.done();
        return result;
    }

    private static void printTable(PrintStream out, Map<String, Function<EmojiRecord, Embedding>> views,
            GroupedSplit.Split split, FusionModel model, Function<EmojiRecord, ModalityEmbeddings> both) {
        List<String> trainLabels = split.train().stream().map(EmojiRecord::category).toList();
        List<String> testLabels = split.test().stream().map(EmojiRecord::category).toList();
        Map<String, Integer> classIndex = new HashMap<>();
        int[] testClasses = testLabels.stream().mapToInt(l -> classIndex.computeIfAbsent(l, k -> classIndex.size()))
                .toArray();
        out.println();
        out.println("Emoji category on the held-out test split (" + testLabels.size() + " records)");
        out.printf(Locale.ROOT, "%-20s %6s %10s %10s %12s%n", "embedding", "dim", "accuracy", "kNN@1", "silhouette");
        ProgressBar bar = new ProgressBar(out, "evaluating", views.size());
        List<String> rows = new ArrayList<>();
        Map<String, Double> accuracies = new LinkedHashMap<>();
        int done = 0;
        for (Map.Entry<String, Function<EmojiRecord, Embedding>> view : views.entrySet()) {
            List<Embedding> train = split.train().stream().map(view.getValue()).toList();
            List<Embedding> test = split.test().stream().map(view.getValue()).toList();
            List<String> predicted = view.getKey().equals("trained head")
                    ? split.test().stream().map(r -> model.predict(both.apply(r)).label()).toList()
                    : LinearProbe.builder().seed(SEED).build().fit(train, trainLabels).predictAll(test);
            double accuracy = Metrics.accuracy(testLabels, predicted);
            accuracies.put(view.getKey(), accuracy);
            double knn = Metrics.accuracy(testLabels, KnnClassifier.fit(train, trainLabels).predictAll(test));
            double silhouette = Silhouette.score(test, testClasses, Distance.COSINE);
            rows.add(String.format(Locale.ROOT, "%-20s %6d %10.3f %10.3f %12.3f", view.getKey(), test.get(0).dimension(),
                    accuracy, knn, silhouette));
            bar.update(++done);
        }
        bar.done();
        rows.forEach(out::println);
        out.println("(accuracy: linear probe trained on the train split; for the trained head, its own classifier)");
        out.println(verdict(accuracies, testLabels.size()));
        out.println(trust(split.test().stream().map(r -> model.predict(both.apply(r))).toList()));
    }

    /**
     * Whether the trained head beat the best single modality on this split, by how much, and how many test records
     * that difference is (a small sample: a point or two is a few records).
     */
    static String verdict(Map<String, Double> accuracies, int testRecords) {
        String best = accuracies.getOrDefault("text only", 0.0) >= accuracies.getOrDefault("image only", 0.0)
                ? "text only" : "image only";
        double fused = accuracies.get("trained head");
        double alone = accuracies.get(best);
        double points = 100 * (fused - alone);
        long records = Math.round((fused - alone) * testRecords);
        String outcome = points > 0 ? "beat" : points == 0 ? "tied" : "did NOT beat";
        return String.format(Locale.ROOT, "Fusion %s the best single modality (%s): trained head %.3f vs %.3f,"
                + " %+.1f points (%+d of %d test records)", outcome, best, fused, alone, points, records, testRecords);
    }

    /** The trained head's mean weight of each expert over these predictions, as a sentence. */
    static String trust(List<Prediction> predictions) {
        Map<String, Double> mean = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            p.weights().forEach((expert, w) -> mean.merge(expert, w / predictions.size(), Double::sum));
        }
        StringBuilder line = new StringBuilder("Trust weights of the trained head, mean over the test records:");
        mean.forEach((expert, w) -> line.append(String.format(Locale.ROOT, " %s %.2f", expert, w)));
        return line.append(" (network = \"fused\"; Prediction.weights() gives them per record)").toString();
    }

    private static void searches(PrintStream out, List<EmojiRecord> records, TextEncoder text, ImageEncoder image,
            FusionStrategy strategy, Function<EmojiRecord, Embedding> fused) {
        ExactIndex<String> index = ExactIndex.create(strategy.outputDimension());
        for (EmojiRecord r : records) {
            index.add(r.name(), fused.apply(r));
        }
        EmojiRecord cat = named(records, "black cat");
        EmojiRecord milk = named(records, "glass of milk");
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(strategy).build()) {
            Map<String, MultimodalInput> queries = new LinkedHashMap<>();
            queries.put("text only: \"a wild animal\"", MultimodalInput.textOnly("a wild animal"));
            queries.put("image only: the picture of '" + cat.name() + "'", MultimodalInput.imageOnly(cat.image()));
            queries.put("both: \"something to drink\" + the picture of '" + milk.name() + "'",
                    MultimodalInput.of("something to drink", milk.image()));
            out.println();
            out.println("Searches over the " + records.size() + " records (trained-head embeddings, cosine; a query's"
                    + " own record can be among the hits):");
            for (Map.Entry<String, MultimodalInput> q : queries.entrySet()) {
                List<SearchHit<String>> hits = index.search(embedder.embed(q.getValue()), 5);
                StringBuilder line = new StringBuilder();
                for (SearchHit<String> h : hits) {
                    line.append(String.format(Locale.ROOT, "%s (%.2f)  ", h.id(), h.score()));
                }
                out.println("  " + q.getKey());
                out.println("    -> " + line.toString().strip());
            }
        }
    }

    private static EmojiRecord named(List<EmojiRecord> records, String name) {
        return records.stream().filter(r -> r.name().equals(name)).findFirst().orElse(records.get(0));
    }

}
