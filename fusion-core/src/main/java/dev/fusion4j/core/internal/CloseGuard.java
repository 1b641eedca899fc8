package dev.fusion4j.core.internal;

import dev.fusion4j.api.FusionException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Use-versus-close safety for an object holding native memory: calls run under a read lock after checking
 * that the object is open; {@link #close} takes the write lock, so it waits for running calls and never frees
 * memory under one. Any call after close is an {@link IllegalStateException}; a native failure inside a call
 * becomes a {@link FusionException} naming the owner.
 */
public final class CloseGuard {
    private final String owner;
    private final String closedMessage;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * @param owner name used in native-failure messages
     * @param closedMessage message of the {@link IllegalStateException} after close (say what to do instead)
     */
    public CloseGuard(String owner, String closedMessage) {
        this.owner = owner;
        this.closedMessage = closedMessage;
    }

    /** Runs {@code body} under the read lock, after checking that the owner is open. */
    public <T> T read(Supplier<T> body) {
        Lock read = lock.readLock();
        read.lock();
        try {
            ensureOpen();
            return body.get();
        } catch (ai.djl.engine.EngineException e) {
            throw new FusionException("Native computation failed in " + owner + ": " + e.getMessage(), e);
        } finally {
            read.unlock();
        }
    }

    /** Throws {@link IllegalStateException} if closed. */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(closedMessage);
        }
    }

    /** Runs {@code release} once, under the write lock (waits for running calls); later calls do nothing. */
    public void close(Runnable release) {
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            write.unlock();
        }
    }
}
