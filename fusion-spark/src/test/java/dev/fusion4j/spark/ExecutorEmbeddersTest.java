package dev.fusion4j.spark;

import dev.fusion4j.spark.EmojiRows.Emoji;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Models load once per executor JVM and configuration, however many tasks, stages and jobs use them. */
class ExecutorEmbeddersTest {
    @Test
    void eachConfigurationLoadsExactlyOncePerJvm() {
        SparkSession spark = TestSpark.session();
        List<Emoji> records = EmojiRows.sample(48);
        Dataset<Row> frame = EmojiRows.frame(spark, records, 8).cache();
        frame.count();
        ExecutorEmbedders.closeAll();
        assertThat(ExecutorEmbedders.loads()).isEmpty();

        FusionEmbedderTransformer concat = new FusionEmbedderTransformer().setTextCol("text").setImageCol("image")
                .setBatchSize(4);
        // 8 partitions on 2 task slots, run by two jobs and by a second stage that reads another column
        assertThat(concat.transform(frame).where("embedding_error IS NULL").count()).isEqualTo(48);
        assertThat(concat.transform(frame).count()).isEqualTo(48);
        assertThat(new FusionEmbedderTransformer().setTextCol("text").setImageCol("path").setBatchSize(4)
                .setOutputCol("other").transform(frame).count()).isEqualTo(48);
        // the thread rule: the task's CPUs (spark.task.cpus = 1 here)
        String threads = "threads=1";
        Map<String, Integer> loads = ExecutorEmbedders.loads();
        assertThat(loads).hasSize(1);
        assertThat(loads.values()).containsExactly(1);
        assertThat(loads.keySet().iterator().next()).contains("strategy=concat").contains(threads + ",")
                .contains("batch=4");

        // another strategy is another configuration: one more load, and the first is untouched
        concat.copy(new org.apache.spark.ml.param.ParamMap()).setStrategy("low-rank(rank=64)").transform(frame).count();
        assertThat(ExecutorEmbedders.loads()).hasSize(2).allSatisfy((config, n) -> assertThat(n).isEqualTo(1));

        // a text-only stage loads no image model: a third configuration
        new FusionEmbedderTransformer().setTextCol("text").setBatchSize(4).transform(frame).count();
        assertThat(ExecutorEmbedders.loads()).hasSize(3).containsKey(
                "text=bundled:all-minilm-l6-v2, image=null, strategy=concat, " + threads + ", batch=4");

        ExecutorEmbedders.closeAll();
        assertThat(ExecutorEmbedders.loads()).isEmpty();
        frame.unpersist();
    }
}
