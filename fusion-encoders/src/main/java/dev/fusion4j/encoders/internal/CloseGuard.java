package dev.fusion4j.encoders.internal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Makes close safe under concurrency: calls run under a shared lock, close takes the exclusive lock
 * (so it waits for calls in flight and frees native memory no call is using), runs once, and every
 * later call fails with an {@link IllegalStateException} naming the object.
 */
public final class CloseGuard {
    private final String name;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    public CloseGuard(String name) {
        this.name = name;
    }

    /** Runs {@code body} unless closed. */
    public <T> T call(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed: create a new one to keep encoding");
            }
            return body.get();
        } finally {
            read.unlock();
        }
    }

    /** Runs {@code release} the first time only, after calls in flight have finished. */
    public void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
