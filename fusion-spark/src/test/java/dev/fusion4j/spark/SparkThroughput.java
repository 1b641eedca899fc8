package dev.fusion4j.spark;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.models.BundledModels;
import dev.fusion4j.spark.EmojiRows.Emoji;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The throughput figures of docs/spark.md: the same N records (the committed emoji sample, cycled) embedded by
 * fusion4j's {@code embedAll} in one JVM and by {@link FusionEmbedderTransformer} at {@code local[1]} and
 * {@code local[2]} (and {@code local[2]} with {@code spark.task.cpus=2}), in R interleaved rounds after a warm-up; prints the medians and the ratios of the
 * acceptance criteria. Not a test (timing belongs in no test):
 *
 * <pre>
 * ./mvnw -B -q -o -pl fusion-spark exec:exec -Pspark-bench -Dbench.args="2000 5"
 * </pre>
 *
 * <p>Arguments: records (default 2000), runs per configuration (default 5), strategy spec (default concat),
 * partitions (default 8).
 */
public final class SparkThroughput {
    private SparkThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String strategy = args.length > 2 ? args[2] : "concat";
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        List<Emoji> sample = EmojiRows.sample(Integer.MAX_VALUE);
        List<Emoji> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Emoji e = sample.get(i % sample.size());
            records.add(new Emoji(i, e.text(), e.image(), e.path(), e.label()));
        }
        List<MultimodalInput> inputs = EmojiRows.inputs(records);
        System.out.printf(Locale.ROOT, "%s: %d records (the %d-record emoji sample cycled), strategy %s, %d runs,"
                + " %d cores, load average %s%n", Instant.now(), n, sample.size(), strategy, runs,
                Runtime.getRuntime().availableProcessors(), loadAverage());

        // Every round runs each configuration once, so that a change of load on a shared machine hits them alike:
        // fusion4j alone at its default threads, on one thread (what a one-core Spark task runs: the encoders one
        // after the other, one ONNX Runtime thread, images decoded on that thread) and at two threads per encoder,
        // then local[1] (one one-core task), local[2] (two one-core tasks) and local[2] with spark.task.cpus=2 (one
        // task of two threads: the encoders at the same time). The models of each configuration load once, before
        // the rounds (the cache outlives a SparkSession: it belongs to the JVM).
        String[] labels = {"embedAll, default threads", "embedAll, one thread (as a 1-core task)",
            "embedAll, intraOpThreads=2 per encoder", "Spark local[1], " + partitions + " partitions",
            "Spark local[2], " + partitions + " partitions", "Spark local[2], task.cpus=2, " + partitions
                + " partitions"};
        String[][] sessions = {{"local[1]", "1"}, {"local[2]", "1"}, {"local[2]", "2"}};
        double[][] rates = new double[labels.length][runs];
        double[][] cores = new double[labels.length][runs];
        try (TextEncoder t0 = BundledModels.miniLmText(); ImageEncoder i0 = BundledModels.mobileNetV2Image();
             TextEncoder t1 = BundledModels.miniLmTextBuilder().intraOpThreads(1).build();
             ImageEncoder i1 = BundledModels.mobileNetV2ImageBuilder().intraOpThreads(1).preparationThreads(0).build();
             TextEncoder t2 = BundledModels.miniLmTextBuilder().intraOpThreads(2).build();
             ImageEncoder i2 = BundledModels.mobileNetV2ImageBuilder().intraOpThreads(2).build();
             MultimodalEmbedder e0 = embedder(t0, i0, strategy, true);
             MultimodalEmbedder e1 = embedder(t1, i1, strategy, false);
             MultimodalEmbedder e2 = embedder(t2, i2, strategy, true)) {
            MultimodalEmbedder[] alone = {e0, e1, e2};
            for (MultimodalEmbedder e : alone) {
                e.embedAll(inputs.subList(0, Math.min(128, inputs.size())));
            }
            for (String[] session : sessions) {
                loadCost(session[0], session[1], strategy, records, partitions);
            }
            for (int r = 0; r < runs; r++) {
                for (int c = 0; c < alone.length; c++) {
                    MultimodalEmbedder e = alone[c];
                    long cpu = cpuNanos();
                    long wall = time(() -> e.embedAll(inputs));
                    rates[c][r] = inputs.size() / (wall / 1e9);
                    cores[c][r] = (cpuNanos() - cpu) / (double) wall;
                }
                for (int m = 0; m < sessions.length; m++) {
                    double[] rateAndCores = sparkRun(sessions[m][0], sessions[m][1], strategy, records, partitions);
                    rates[alone.length + m][r] = rateAndCores[0];
                    cores[alone.length + m][r] = rateAndCores[1];
                }
                System.out.printf(Locale.ROOT, "round %d done; load average %s%n", r + 1, loadAverage());
            }
        }
        for (int c = 0; c < labels.length; c++) {
            report(labels[c], rates[c], cores[c]);
        }
        double l1 = median(rates[3]);
        System.out.printf(Locale.ROOT, "local[2] / local[1] = %.2f; local[1] / embedAll on one thread = %.2f;"
                + " local[1] / embedAll at default threads = %.2f; local[2] task.cpus=2 / embedAll at default threads"
                + " = %.2f%n", median(rates[4]) / l1, l1 / median(rates[1]), l1 / median(rates[0]),
                median(rates[5]) / median(rates[0]));
        System.out.printf(Locale.ROOT, "load average at the end %s; RSS %d MB; loads %s%n", loadAverage(), rssMb(),
                ExecutorEmbedders.loads());
    }

    private static MultimodalEmbedder embedder(TextEncoder text, ImageEncoder image, String strategy,
            boolean concurrent) {
        return Fusion.builder().text(text).image(image).strategy(StrategySpecs.parse(strategy))
                .concurrentEncoding(concurrent).build();
    }

    private static SparkSession session(String master, String taskCpus) {
        return SparkSession.builder().master(master).appName("fusion-spark-throughput")
                .config("spark.task.cpus", taskCpus)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    private static Dataset<Row> cachedFrame(SparkSession spark, List<Emoji> records, int partitions) {
        Dataset<Row> frame = EmojiRows.frame(spark, records, partitions).cache();
        frame.count();
        return frame;
    }

    private static FusionEmbedderTransformer stage(String strategy) {
        return new FusionEmbedderTransformer().setTextCol("text").setImageCol("image").setStrategy(strategy);
    }

    /** Prints the model load cost of a master: a 1-row job with an empty cache, less the same job warm. */
    private static void loadCost(String master, String taskCpus, String strategy, List<Emoji> records,
            int partitions) {
        SparkSession spark = session(master, taskCpus);
        try {
            Dataset<Row> one = cachedFrame(spark, records.subList(0, 1), 1);
            FusionEmbedderTransformer stage = stage(strategy);
            long cold = time(() -> stage.transform(one).write().format("noop").mode("overwrite").save());
            long warm = time(() -> stage.transform(one).write().format("noop").mode("overwrite").save());
            System.out.printf(Locale.ROOT, "%s, task.cpus=%s: model load %.2f s (a 1-row job: %.2f s with the models"
                    + " to load, %.2f s loaded); loads %s%n", master, taskCpus, (cold - warm) / 1e9, cold / 1e9, warm / 1e9,
                    ExecutorEmbedders.loads());
            // warm the whole path once (JIT, Spark's code generation)
            stage.transform(cachedFrame(spark, records, partitions)).write().format("noop").mode("overwrite").save();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "%s, task.cpus=%s: after a full run, RSS %d MB, Java heap used %d MB%n",
                    master, taskCpus, rssMb(),
                    (rt.totalMemory() - rt.freeMemory()) / (1 << 20));
        } finally {
            spark.stop();
        }
    }

    /**
     * Records/s of one run of the stage over the cached records at {@code master}, and the cores the process used
     * meanwhile (CPU time over wall time).
     */
    private static double[] sparkRun(String master, String taskCpus, String strategy, List<Emoji> records,
            int partitions) {
        SparkSession spark = session(master, taskCpus);
        try {
            Dataset<Row> frame = cachedFrame(spark, records, partitions);
            FusionEmbedderTransformer stage = stage(strategy);
            long cpu = cpuNanos();
            long t = time(() -> stage.transform(frame).write().format("noop").mode("overwrite").save());
            double used = (cpuNanos() - cpu) / (double) t;
            frame.unpersist();
            return new double[] {records.size() / (t / 1e9), used};
        } finally {
            spark.stop();
        }
    }

    private static long time(Runnable job) {
        long start = System.nanoTime();
        job.run();
        return System.nanoTime() - start;
    }

    private static double median(double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** CPU time of the whole process so far (every thread, the natives' included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void report(String label, double[] rates, double[] cores) {
        double median = median(rates);
        StringBuilder all = new StringBuilder();
        for (double r : rates) {
            all.append(String.format(Locale.ROOT, " %.1f", r));
        }
        System.out.printf(Locale.ROOT, "%-44s median %.1f records/s (runs:%s); cores used, median %.2f%n",
                label + ":", median, all, median(cores));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
