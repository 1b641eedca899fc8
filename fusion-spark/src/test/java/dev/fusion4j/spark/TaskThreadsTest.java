package dev.fusion4j.spark;

import dev.fusion4j.spark.internal.EmbedderConfig;
import dev.fusion4j.spark.internal.TaskThreads;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The thread rule: executor cores divided by the tasks it runs at once. */
class TaskThreadsTest {
    @Test
    void localMastersShareTheMachinesCoresBetweenTheirTaskSlots() {
        SparkConf conf = new SparkConf(false);
        assertThat(TaskThreads.of(0, "local", conf).resolve(8)).isEqualTo(8);
        assertThat(TaskThreads.of(0, "local[1]", conf).resolve(2)).isEqualTo(2);
        assertThat(TaskThreads.of(0, "local[2]", conf).resolve(2)).isEqualTo(1);
        assertThat(TaskThreads.of(0, "local[4]", conf).resolve(2)).isEqualTo(1);
        assertThat(TaskThreads.of(0, "local[4, 3]", conf).resolve(8)).isEqualTo(2);
        assertThat(TaskThreads.of(0, "local[2]", conf.clone().set("spark.task.cpus", "2")).resolve(4)).isEqualTo(4);
    }

    @Test
    void clustersUseExecutorCoresOverTaskCpusOrTheTaskCpus() {
        SparkConf conf = new SparkConf(false).set("spark.executor.cores", "4");
        assertThat(TaskThreads.of(0, "yarn", conf).resolve(16)).isEqualTo(4);
        assertThat(TaskThreads.of(0, "yarn", conf.clone().set("spark.task.cpus", "2")).resolve(4)).isEqualTo(2);
        assertThat(TaskThreads.of(0, "spark://master:7077", new SparkConf(false)).resolve(16)).isEqualTo(1);
        assertThat(TaskThreads.of(0, "k8s://x", new SparkConf(false).set("spark.task.cpus", "3")).resolve(16))
                .isEqualTo(3);
    }

    @Test
    void aPositiveParamWinsAndTheEncodersSplitTheTasksThreads() {
        assertThat(TaskThreads.of(3, "local[2]", new SparkConf(false)).resolve(2)).isEqualTo(3);
        assertThat(new EmbedderConfig("t", "i", "concat", null, 4, 64).intraOpThreadsPerEncoder()).isEqualTo(2);
        assertThat(new EmbedderConfig("t", "i", "concat", null, 1, 64).intraOpThreadsPerEncoder()).isEqualTo(1);
        assertThat(new EmbedderConfig("t", null, "concat", null, 2, 64).intraOpThreadsPerEncoder()).isEqualTo(2);
    }
}
