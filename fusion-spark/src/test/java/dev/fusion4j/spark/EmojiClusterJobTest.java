package dev.fusion4j.spark;

import dev.fusion4j.spark.EmojiRows.Emoji;
import dev.fusion4j.spark.example.EmojiClusterJob;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The example job on the bundled emoji sample: CSV in, Parquet out, KMeans clusters; then Parquet in. */
class EmojiClusterJobTest {
    @Test
    void theJobEmbedsTheSampleWritesParquetAndClustersIt(@TempDir Path dir) throws IOException {
        SparkSession spark = TestSpark.session();
        List<Emoji> records = EmojiRows.sample(48);
        List<String> csv = new ArrayList<>();
        csv.add("text,image,label");
        Path sample = EmojiRows.directory();
        for (Emoji e : records) {
            // image paths relative to the CSV, as the job's usage says; one record without an image, one broken
            String image = e.id() == 5 ? "" : sample.relativize(Path.of(e.path())).toString();
            csv.add("\"" + e.text() + "\"," + (e.id() == 6 ? "missing.png" : image) + "," + e.label());
        }
        Path input = sample.resolve("job-test-" + System.nanoTime() + ".csv");
        Files.write(input, csv);
        try {
            EmojiClusterJob.Summary s = EmojiClusterJob.run(spark, input.toString(), dir.resolve("out").toString(),
                    4, "concat");
            assertThat(s.rows()).isEqualTo(48);
            assertThat(s.badRows()).isEqualTo(1);
            assertThat(s.purity()).isBetween(0.0, 1.0);
        } finally {
            Files.delete(input);
        }
        Dataset<Row> out = spark.read().parquet(dir.resolve("out/embeddings").toString());
        assertThat(out.count()).isEqualTo(48);
        assertThat(out.columns()).contains("text", "image", "label", "embedding", "embedding_error", "cluster");
        Row broken = out.where("embedding_error IS NOT NULL").first();
        assertThat(broken.getString(broken.fieldIndex("image"))).endsWith("missing.png");
        assertThat(out.where("cluster IS NOT NULL").select("cluster").distinct().count()).isEqualTo(4);

        // the job's Parquet output (text, image paths, label) is itself a valid input
        EmojiClusterJob.Summary again = EmojiClusterJob.run(spark, dir.resolve("out/embeddings").toString(),
                dir.resolve("again").toString(), 4, "concat");
        assertThat(again.rows()).isEqualTo(48);
        assertThat(again.badRows()).isEqualTo(1);
    }
}
