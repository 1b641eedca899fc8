package dev.fusion4j.spark;

import dev.fusion4j.spark.internal.EmbedderConfig;
import dev.fusion4j.spark.internal.TaskThreads;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The thread rule: the CPUs Spark reserved for the task, split between the encoders only when each gets one. */
class TaskThreadsTest {
    @Test
    void aTaskUsesTheCpusSparkReservedForItUnlessTheParamSaysOtherwise() {
        assertThat(new TaskThreads(0).resolve(1)).isEqualTo(1);
        assertThat(new TaskThreads(0).resolve(4)).isEqualTo(4);
        assertThat(new TaskThreads(0).resolve(0)).isEqualTo(1);
        assertThat(new TaskThreads(3).resolve(1)).isEqualTo(3);
        assertThat(new TaskThreads(0).resolve()).as("outside a task").isEqualTo(1);
    }

    @Test
    void insideATaskTheRuleReadsTheTasksCpus() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
        List<Integer> threads = sc.parallelize(List.of(1, 2, 3, 4), 4)
                .map(x -> new TaskThreads(0).resolve()).collect();
        // the test session is local[2] with the default spark.task.cpus = 1: two one-core tasks at a time
        assertThat(threads).containsExactly(1, 1, 1, 1);
    }

    @Test
    void oneThreadEncodesOneModalityAfterTheOtherAndMoreAreSplitBetweenTheEncoders() {
        EmbedderConfig one = new EmbedderConfig("t", "i", "concat", null, 1, 64);
        assertThat(one.concurrentEncoders()).isFalse();
        assertThat(one.intraOpThreadsPerEncoder()).isEqualTo(1);
        assertThat(one.imagePreparationThreads()).isZero();
        EmbedderConfig two = new EmbedderConfig("t", "i", "concat", null, 2, 64);
        assertThat(two.concurrentEncoders()).isTrue();
        assertThat(two.intraOpThreadsPerEncoder()).isEqualTo(1);
        assertThat(two.imagePreparationThreads()).isZero();
        EmbedderConfig five = new EmbedderConfig("t", "i", "concat", null, 5, 64);
        assertThat(five.intraOpThreadsPerEncoder()).isEqualTo(2);
        assertThat(five.imagePreparationThreads()).isEqualTo(1);
        EmbedderConfig imageOnly = new EmbedderConfig(null, "i", "concat", null, 2, 64);
        assertThat(imageOnly.concurrentEncoders()).isTrue();
        assertThat(imageOnly.intraOpThreadsPerEncoder()).isEqualTo(2);
        assertThat(imageOnly.imagePreparationThreads()).isZero();
    }
}
