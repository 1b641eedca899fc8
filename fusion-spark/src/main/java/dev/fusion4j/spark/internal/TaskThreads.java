package dev.fusion4j.spark.internal;

import org.apache.spark.SparkConf;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many native threads one Spark task may use for the encoders. The rule: <b>the cores of the executor JVM
 * divided by the tasks it runs at the same time</b> (at least 1), so that the tasks of one executor together use
 * its cores once, without oversubscribing them. An executor runs {@code spark.executor.cores / spark.task.cpus}
 * tasks at once ({@code N} in {@code local[N]}, every core in {@code local[*]}); when {@code spark.executor.cores}
 * is unset on a cluster, a task gets {@code spark.task.cpus} threads. A positive {@code threadsPerTask} param
 * replaces the rule.
 *
 * <p>The slots are read on the driver (where the configuration is) and the cores on the executor (where the task
 * runs): {@link #resolve()} runs in the task.
 *
 * @param requested the {@code threadsPerTask} param: a positive count, or 0 for the rule
 * @param slots tasks one executor runs at the same time, or 0 when the configuration does not say
 * @param taskCpus {@code spark.task.cpus}
 */
public record TaskThreads(int requested, int slots, int taskCpus) implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\s*\\d+)?]");

    /** The rule for a stage run by an application with {@code master} and {@code conf}. */
    public static TaskThreads of(int requested, String master, SparkConf conf) {
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        return new TaskThreads(requested, slots(master, conf, taskCpus), taskCpus);
    }

    static int slots(String master, SparkConf conf, int taskCpus) {
        if (master.equals("local")) {
            return 1;
        }
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            int n = m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
            return Math.max(1, n / taskCpus);
        }
        int executorCores = conf.getInt("spark.executor.cores", 0);
        return executorCores > 0 ? Math.max(1, executorCores / taskCpus) : 0;
    }

    /** The threads for a task on this JVM. */
    public int resolve() {
        return resolve(Runtime.getRuntime().availableProcessors());
    }

    /** The threads for a task on a JVM with {@code cores} processors. */
    public int resolve(int cores) {
        if (requested > 0) {
            return requested;
        }
        if (slots == 0) {
            return taskCpus;
        }
        return Math.max(1, cores / slots);
    }
}
