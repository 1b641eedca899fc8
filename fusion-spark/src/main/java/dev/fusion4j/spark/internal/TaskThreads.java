package dev.fusion4j.spark.internal;

import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * How many threads one Spark task may use for the encoders. The rule: <b>the CPUs Spark reserved for the task</b>
 * ({@code spark.task.cpus}, 1 by default, or the task's resource profile: {@link TaskContext#cpus()}), so that the
 * tasks an executor runs at once use its cores once, as Spark's scheduler counts them: {@code local[N]} runs N
 * one-core tasks, an executor of {@code spark.executor.cores=C} runs {@code C / spark.task.cpus} tasks of
 * {@code spark.task.cpus} cores. It reads nothing from the machine ({@code availableProcessors()} of an executor
 * JVM may be the whole node's, not the cores granted to the executor). A positive {@code threadsPerTask} param
 * replaces the rule (e.g. fewer, fatter tasks without changing {@code spark.task.cpus}).
 *
 * <p>{@link #resolve()} runs in the task, where {@link TaskContext} knows the task's CPUs.
 *
 * @param requested the {@code threadsPerTask} param: a positive count, or 0 for the rule
 */
public record TaskThreads(int requested) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The threads for the task running on this thread (1 outside a task, e.g. on the driver). */
    public int resolve() {
        TaskContext task = TaskContext.get();
        return resolve(task == null ? 1 : task.cpus());
    }

    /** The threads for a task Spark reserved {@code taskCpus} CPUs for. */
    public int resolve(int taskCpus) {
        return requested > 0 ? requested : Math.max(1, taskCpus);
    }
}
