package dev.fusion4j.spark.example;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.spark.FusionEmbedderTransformer;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Embeds records of text + image (+ label) with fusion4j on Spark, writes them as Parquet, and clusters them with
 * Spark ML's KMeans:
 *
 * <pre>
 * spark-submit --class dev.fusion4j.spark.example.EmojiClusterJob ... fusion-spark.jar INPUT OUTPUT [K] [STRATEGY]
 * </pre>
 *
 * <p>INPUT is a CSV file with the header {@code text,image,label} (image = a path or URI; a relative path is taken
 * relative to the CSV's directory), the emoji sample's {@code sample.jsonl} (name, image, subcategory), or a Parquet
 * directory with {@code text} (string), {@code image} (binary bytes or string paths) and {@code label} (other
 * columns are ignored, so this job's own output is a valid input). OUTPUT
 * receives {@code embeddings/} (Parquet: the input columns but the image bytes, the embedding, its error, the
 * cluster) and the job prints the rows, the bad rows, and the clusters' purity against the labels. K defaults
 * to 20 and STRATEGY (a {@code StrategySpecs} string) to {@code concat}.
 */
public final class EmojiClusterJob {
    private EmojiClusterJob() {
    }

    /** What one run found. */
    public record Summary(long rows, long badRows, int clusters, double purity) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d rows embedded, %d bad, %d clusters, purity %.3f against the labels",
                    rows - badRows, badRows, clusters, purity);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: EmojiClusterJob INPUT(.csv|.jsonl|parquet dir) OUTPUT [K=20] [STRATEGY=concat]");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("fusion4j emoji clusters").getOrCreate();
        try {
            Summary s = run(spark, args[0], args[1], args.length > 2 ? Integer.parseInt(args[2]) : 20,
                    args.length > 3 ? args[3] : "concat");
            System.out.println(s);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job on {@code spark} (which it leaves running). */
    public static Summary run(SparkSession spark, String input, String output, int k, String strategy) {
        Dataset<Row> records = read(spark, input);
        FusionEmbedderTransformer embed = new FusionEmbedderTransformer().setTextCol("text").setImageCol("image")
                .setStrategy(strategy).setVectorCol("features");
        Dataset<Row> embedded = embed.transform(records).cache();
        try {
            Dataset<Row> good = embedded.where(col("embedding_error").isNull());
            KMeansModel kmeans = new KMeans().setK(k).setSeed(7).setFeaturesCol("features")
                    .setPredictionCol("cluster").fit(good);
            Dataset<Row> clustered = kmeans.transform(good)
                    .unionByName(embedded.where(col("embedding_error").isNotNull())
                            .withColumn("cluster", lit(null).cast("int")));
            List<String> kept = java.util.Arrays.stream(clustered.columns())
                    .filter(c -> !c.equals("features") && !(c.equals("image")
                            && clustered.schema().apply("image").dataType().typeName().equals("binary")))
                    .toList();
            clustered.select(kept.stream().map(functionsCol()).toArray(Column[]::new))
                    .write().mode("overwrite").parquet(output + "/embeddings");
            long rows = embedded.count();
            long bad = rows - good.count();
            return new Summary(rows, bad, k, purity(kmeans.transform(good)));
        } finally {
            embedded.unpersist();
        }
    }

    private static java.util.function.Function<String, Column> functionsCol() {
        return org.apache.spark.sql.functions::col;
    }

    /** The records of {@code input} as {@code text, image, label}. */
    static Dataset<Row> read(SparkSession spark, String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            String base = parent(input);
            Dataset<Row> csv = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
                    .csv(input);
            Column image = col("image");
            Column absolute = image.startsWith("/").or(image.rlike("^[a-zA-Z][a-zA-Z0-9+.-]*:"));
            return csv.withColumn("image", when(image.isNull(), lit(null).cast("string"))
                    .when(absolute, image).otherwise(concat(lit(base + "/"), image)));
        }
        if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
            String base = parent(input);
            return spark.read().json(input).select(col("name").as("text"),
                    concat(lit(base + "/"), col("image")).as("image"), col("subcategory").as("label"));
        }
        Dataset<Row> parquet = spark.read().parquet(input);
        for (String c : new String[] {"text", "image", "label"}) {
            if (!List.of(parquet.columns()).contains(c)) {
                throw new InvalidInputException("The Parquet input " + input + " has no '" + c + "' column: it needs"
                        + " text (string), image (binary or string paths) and label");
            }
        }
        // only the record: a Parquet file this job wrote also holds last run's embedding and cluster
        return parquet.select("text", "image", "label");
    }

    private static String parent(String file) {
        Path p = Path.of(file.startsWith("file:") ? java.net.URI.create(file).getPath() : file).toAbsolutePath();
        return p.getParent().toString();
    }

    /** The share of rows whose cluster's most common label is their own. */
    static double purity(Dataset<Row> clustered) {
        Dataset<Row> counts = clustered.groupBy("cluster", "label").agg(count(lit(1)).as("n"));
        Row r = counts.groupBy("cluster").agg(max("n").as("top"), sum("n").as("all"))
                .agg(sum("top"), sum("all")).first();
        return r.getLong(1) == 0 ? 0 : (double) r.getLong(0) / r.getLong(1);
    }
}
