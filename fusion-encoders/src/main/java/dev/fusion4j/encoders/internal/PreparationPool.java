package dev.fusion4j.encoders.internal;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small bounded pool of daemon threads for one encoder's image preparation: at most {@code threads}
 * threads, created on first use, ending after 30 s idle, shut down by {@link #close()} (tasks already
 * running finish; none is accepted after). A leaked encoder therefore never keeps the JVM alive.
 */
public final class PreparationPool implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor executor;

    public PreparationPool(int threads) {
        String prefix = "fusion4j-image-prep-" + POOLS.incrementAndGet() + "-";
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code task} on a pool thread; throws {@code RejectedExecutionException} after {@link #close()}. */
    Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    /** Stops accepting tasks; idempotent. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
