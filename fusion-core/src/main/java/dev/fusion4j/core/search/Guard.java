package dev.fusion4j.core.search;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/** The read-write lock of an index: many readers (searches) or one writer (add, remove, compact). */
final class Guard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Runs {@code action} under the shared read lock. */
    <T> T read(Supplier<T> action) {
        return run(lock.readLock(), action);
    }

    /** Runs {@code action} under the exclusive write lock. */
    <T> T write(Supplier<T> action) {
        return run(lock.writeLock(), action);
    }

    private static <T> T run(Lock held, Supplier<T> action) {
        held.lock();
        try {
            return action.get();
        } finally {
            held.unlock();
        }
    }
}
