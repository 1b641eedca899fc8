package dev.fusion4j.spark;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.models.BundledModels;
import dev.fusion4j.spark.EmojiRows.Emoji;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transformer on a real local[2] SparkSession, against fusion4j's single-JVM {@code embedAll}. */
class FusionEmbedderTransformerTest {
    private static final String STRATEGY = "attention(dimension=64,heads=4)";
    private static SparkSession spark;
    private static List<Emoji> records;
    /** {@code embedAll} of {@link #records} in one JVM, with encoders and strategy the test makes itself. */
    private static List<Embedding> expected;

    @BeforeAll
    static void setUp() {
        spark = TestSpark.session();
        records = EmojiRows.withAbsentModalities(EmojiRows.sample(96));
        expected = singleJvm(STRATEGY, records);
    }

    static List<Embedding> singleJvm(String strategy, List<Emoji> records) {
        try (TextEncoder text = BundledModels.miniLmText();
             ImageEncoder image = BundledModels.mobileNetV2Image();
             MultimodalEmbedder embedder = Fusion.builder().text(text).image(image)
                     .strategy(StrategySpecs.parse(strategy)).build()) {
            return embedder.embedAll(EmojiRows.inputs(records));
        }
    }

    static FusionEmbedderTransformer stage() {
        return new FusionEmbedderTransformer().setTextCol("text").setImageCol("image").setStrategy(STRATEGY);
    }

    /** The output's embeddings by id (null for an error row). */
    static Map<Integer, float[]> byId(Dataset<Row> out, String column) {
        Map<Integer, float[]> m = new TreeMap<>();
        for (Row r : out.select("id", column).collectAsList()) {
            m.put(r.getInt(0), r.isNullAt(1) ? null : floats(r.get(1)));
        }
        return m;
    }

    static float[] floats(Object cell) {
        if (cell instanceof float[] f) {
            return f;
        }
        List<Float> list = cell instanceof scala.collection.Seq<?> seq
                ? scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().map(x -> (Float) x).toList()
                : ((List<?>) cell).stream().map(x -> (Float) x).toList();
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    static Map<Integer, String> errors(Dataset<Row> out) {
        Map<Integer, String> m = new TreeMap<>();
        for (Row r : out.select("id", "embedding_error").collectAsList()) {
            if (!r.isNullAt(1)) {
                m.put(r.getInt(0), r.getString(1));
            }
        }
        return m;
    }

    @Test
    void everyRowHasTheBitsOfSingleJvmEmbedAllWhateverThePartitioning() {
        for (int partitions : new int[] {1, 3, 7}) {
            Dataset<Row> out = stage().setBatchSize(16).transform(EmojiRows.frame(spark, records, partitions));
            Map<Integer, float[]> got = byId(out, "embedding");
            assertThat(got).hasSize(records.size());
            assertThat(errors(out)).isEmpty();
            for (Emoji e : records) {
                assertThat(got.get(e.id())).as("record %d, %d partitions", e.id(), partitions)
                        .isEqualTo(expected.get(e.id()).toArray());
            }
        }
    }

    @Test
    void imagePathsGiveTheSameBitsAsImageBytes() {
        Dataset<Row> out = stage().setImageCol("path").transform(EmojiRows.frame(spark, records, 2));
        Map<Integer, float[]> got = byId(out, "embedding");
        for (Emoji e : records) {
            assertThat(got.get(e.id())).as("record %d", e.id()).isEqualTo(expected.get(e.id()).toArray());
        }
    }

    @Test
    void badRowsGetANullEmbeddingAndTheirErrorWhileTheRestOfTheirBatchIsEmbedded() {
        List<Emoji> good = records.subList(0, 20);
        List<Row> rows = new ArrayList<>();
        good.forEach(e -> rows.add(e.row()));
        rows.add(RowFactory.create(1000, "a broken picture", new byte[] {1, 2, 3, 4, 5}, null, null));
        rows.add(RowFactory.create(1001, null, null, null, null));
        rows.add(RowFactory.create(1002, null, null, "/no/such/dir/x.png", null));
        rows.add(RowFactory.create(1003, "truncated", java.util.Arrays.copyOf(good.get(0).image(), 100), null, null));
        Dataset<Row> frame = spark.createDataFrame(rows, EmojiRows.SCHEMA).coalesce(1);

        Dataset<Row> out = stage().setBatchSize(64).transform(frame);
        assertThat(out.count()).isEqualTo(rows.size());
        Map<Integer, String> errors = errors(out);
        // 1002 has only a path, and this stage reads the bytes column: no modality at all
        assertThat(errors).containsOnlyKeys(1000, 1001, 1002, 1003);
        assertThat(errors.get(1000)).contains("is not a PNG, JPEG, GIF or BMP image");
        assertThat(errors.get(1001)).contains("neither a text nor an image");
        assertThat(errors.get(1003)).contains("truncated or corrupt PNG");
        Map<Integer, float[]> got = byId(out, "embedding");
        assertThat(got.get(1000)).isNull();
        assertThat(got.get(1001)).isNull();
        assertThat(got.get(1003)).isNull();
        for (Emoji e : good) {
            assertThat(got.get(e.id())).as("record %d", e.id()).isEqualTo(expected.get(e.id()).toArray());
        }

        Dataset<Row> paths = stage().setImageCol("path").transform(frame);
        Map<Integer, String> pathErrors = errors(paths);
        // 1000 and 1003 are texts without a path here: fine
        assertThat(pathErrors).containsOnlyKeys(1001, 1002);
        assertThat(pathErrors.get(1002)).contains("/no/such/dir/x.png");
    }

    @Test
    void aSavedPipelineLoadsAndGivesTheSameBits(@TempDir Path dir) throws Exception {
        FusionEmbedderTransformer stage = stage().setBatchSize(32).setVectorCol("features").setOutputCol("fused");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {stage});
        Dataset<Row> frame = EmojiRows.frame(spark, records, 2);
        PipelineModel model = pipeline.fit(frame);
        String path = dir.resolve("pipeline").toUri().toString();
        model.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        FusionEmbedderTransformer again = (FusionEmbedderTransformer) loaded.stages()[0];
        assertThat(again.uid()).isEqualTo(stage.uid());
        assertThat(again.getOrDefault(again.strategy())).isEqualTo(STRATEGY);
        assertThat(again.getOrDefault(again.batchSize())).isEqualTo(32);
        Dataset<Row> out = loaded.transform(frame);
        Map<Integer, float[]> got = byId(out, "fused");
        for (Emoji e : records) {
            assertThat(got.get(e.id())).as("record %d", e.id()).isEqualTo(expected.get(e.id()).toArray());
        }
        Row first = out.where("id = 0").select("fused", "features").first();
        Vector v = first.getAs(1);
        float[] f = floats(first.get(0));
        assertThat(v.size()).isEqualTo(f.length);
        for (int i = 0; i < f.length; i++) {
            assertThat(v.apply(i)).isEqualTo((double) f[i]);
        }

        String alone = dir.resolve("stage").toUri().toString();
        stage.save(alone);
        FusionEmbedderTransformer reloaded = FusionEmbedderTransformer.load(alone);
        assertThat(reloaded.getOrDefault(reloaded.vectorCol())).isEqualTo("features");
        assertThat(reloaded.isDefined(reloaded.fusionModel())).isFalse();
    }

    @Test
    void embeddingsSurviveAParquetRoundTrip(@TempDir Path dir) {
        Dataset<Row> out = stage().setVectorCol("features").transform(EmojiRows.frame(spark, records, 2));
        String path = dir.resolve("embedded.parquet").toString();
        out.write().parquet(path);
        Dataset<Row> back = spark.read().parquet(path);
        assertThat(back.schema().apply("embedding").dataType().simpleString()).isEqualTo("array<float>");
        assertThat(back.schema().apply("features").dataType().typeName()).isEqualTo("vector");
        Map<Integer, float[]> got = byId(back, "embedding");
        assertThat(got).hasSize(records.size());
        for (Emoji e : records) {
            assertThat(got.get(e.id())).as("record %d", e.id()).isEqualTo(expected.get(e.id()).toArray());
        }
    }

    @Test
    void wrongSettingsAreRefusedBeforeAnyTaskRuns() {
        Dataset<Row> frame = EmojiRows.frame(spark, records.subList(0, 4), 1);
        assertThatThrownBy(() -> new FusionEmbedderTransformer().transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Neither textCol nor imageCol");
        assertThatThrownBy(() -> new FusionEmbedderTransformer().setTextCol("id").transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be a string column");
        assertThatThrownBy(() -> new FusionEmbedderTransformer().setImageCol("id").transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("binaryFile");
        assertThatThrownBy(() -> new FusionEmbedderTransformer().setTextCol("title").transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a column");
        assertThatThrownBy(() -> stage().setOutputCol("label").transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("already a column");
        assertThatThrownBy(() -> stage().setStrategy("tensor"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Unknown fusion strategy");
        assertThatThrownBy(() -> stage().setTextModel("bundled:bert-large").transform(frame))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bundled:all-minilm-l6-v2");
        assertThatThrownBy(() -> stage().setBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
