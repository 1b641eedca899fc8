package dev.fusion4j.spark;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.models.BundledModels;
import dev.fusion4j.spark.EmojiRows.Emoji;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Training on the driver from a DataFrame, and both ways of shipping the model to the executors. */
class FusionTrainingTest {
    @Test
    void aModelTrainedFromADataFrameEmbedsOnExecutorsAsInOneJvmByFileAndByBroadcast(@TempDir Path dir) {
        SparkSession spark = TestSpark.session();
        List<Emoji> records = EmojiRows.sample(30);
        Dataset<Row> frame = EmojiRows.frame(spark, records, 3);
        FusionModel model = FusionTraining.fit(frame, "text", "image", "label", 1000,
                FusionTrainer.builder().strategy(Fusions.concat()).hiddenLayers(32).epochs(3).seed(7));
        try (model) {
            assertThat(model.labels()).containsAll(records.stream().map(Emoji::label).distinct().toList());
            String uri = ModelShipping.upload(model, spark, dir.resolve("shipped.f4m").toUri().toString());
            assertThat(dir.resolve("shipped.f4m")).isRegularFile();

            List<Embedding> expected;
            try (TextEncoder text = BundledModels.miniLmText();
                 ImageEncoder image = BundledModels.mobileNetV2Image();
                 FusionModel loaded = FusionModel.load(dir.resolve("shipped.f4m"));
                 MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(loaded).build()) {
                expected = embedder.embedAll(EmojiRows.inputs(records));
            }

            // A trained model's network runs on PyTorch, whose matrix products round by the batch's shape: one
            // partition in one batch, in the same order, is the single-JVM call exactly; three partitions agree to float rounding.
            Dataset<Row> inOrder = spark.createDataFrame(records.stream().map(Emoji::row).toList(), EmojiRows.SCHEMA)
                    .coalesce(1);
            FusionEmbedderTransformer byFile = new FusionEmbedderTransformer().setTextCol("text").setImageCol("image")
                    .setFusionModel(uri);
            assertSameBits(FusionEmbedderTransformerTest.byId(byFile.transform(inOrder), "embedding"),
                    records, expected);
            assertClose(FusionEmbedderTransformerTest.byId(byFile.transform(frame), "embedding"), records, expected);

            Broadcast<byte[]> bytes = ModelShipping.broadcast(model, spark);
            FusionEmbedderTransformer byBroadcast = new FusionEmbedderTransformer().setTextCol("text")
                    .setImageCol("image").setFusionModelBroadcast(bytes);
            assertSameBits(FusionEmbedderTransformerTest.byId(byBroadcast.transform(inOrder), "embedding"),
                    records, expected);
            assertThatThrownBy(() -> byBroadcast.save(dir.resolve("stage").toString()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("ModelShipping.upload");
            assertThat(Files.exists(dir.resolve("stage"))).isFalse();
        }
    }

    private static void assertSameBits(Map<Integer, float[]> got, List<Emoji> records, List<Embedding> expected) {
        for (Emoji e : records) {
            assertThat(got.get(e.id())).as("record %d", e.id()).isEqualTo(expected.get(e.id()).toArray());
        }
    }

    private static void assertClose(Map<Integer, float[]> got, List<Emoji> records, List<Embedding> expected) {
        for (Emoji e : records) {
            assertThat(got.get(e.id())).as("record %d", e.id())
                    .containsExactly(expected.get(e.id()).toArray(), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void collectRefusesRowsWithHolesAndTooManyRows() {
        SparkSession spark = TestSpark.session();
        List<Row> rows = new ArrayList<>();
        EmojiRows.sample(6).forEach(e -> rows.add(e.row()));
        Dataset<Row> good = spark.createDataFrame(rows, EmojiRows.SCHEMA);
        List<TrainingExample> examples = FusionTraining.collect(good, "text", "path", "label", 10);
        assertThat(examples).hasSize(6);
        assertThat(examples.get(0).label()).isEqualTo(EmojiRows.sample(1).get(0).label());

        assertThatThrownBy(() -> FusionTraining.collect(good, "text", "image", "label", 5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than 5 rows");
        rows.add(RowFactory.create(100, "no label", null, null, null));
        rows.add(RowFactory.create(101, null, null, null, "empty"));
        Dataset<Row> holes = spark.createDataFrame(rows, EmojiRows.SCHEMA);
        assertThatThrownBy(() -> FusionTraining.collect(holes, "text", "image", "label", 10))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1 have no label, 1 neither a text nor an image");
    }
}
