package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link MultimodalEmbedder} built by {@link Fusion#builder()}: encodes each present modality of a
 * record with its source, fuses with the strategy, L2-normalises (by default).
 *
 * <p>{@code embedAll} works in batches of {@code batchSize} records: it checks every record of the
 * batch first (no encoder runs on a batch with a bad record), calls each modality's
 * {@code encodeAll} once with that modality's present values, then {@code fuseAll} once.
 *
 * <p>When a record or batch has values for two or more encoder modalities, they are encoded at the same
 * time (unless the builder's {@code concurrentEncoding(false)} asks for one after the other, on the caller's
 * thread): the first (in declaration order) on the caller's thread, the others on a small pool of daemon
 * threads owned by this embedder (e.g. the images decode and run while the texts encode). Results are
 * put together in declaration order, so they do not depend on the threads; the call returns only when
 * every encoder is done, and a failure is rethrown unchanged (the earliest modality's, as if encoded one
 * after the other). The pool's threads end when idle for a while and when the embedder is closed.
 *
 * <p>Calls hold a read lock and {@link #close()} the write lock: close waits for running calls; any call
 * after it is an {@link IllegalStateException}.
 */
final class FusionEmbedder implements MultimodalEmbedder {
    private final Map<Modality, ModalitySource> sources;
    private final FusionStrategy strategy;
    private final boolean ownsStrategy;
    private final boolean ownsEncoders;
    private final boolean normalizeOutput;
    private final int batchSize;
    private final boolean concurrentEncoding;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int encoderSources;
    private volatile boolean closed;
    /** Runs all but the first encoder modality of a call; made on first need, shut down by close(). */
    private ThreadPoolExecutor pool;

    FusionEmbedder(Map<Modality, ModalitySource> sources, FusionStrategy strategy, boolean ownsStrategy,
            boolean ownsEncoders, boolean normalizeOutput, int batchSize, boolean concurrentEncoding) {
        this.sources = sources;
        this.strategy = strategy;
        this.ownsStrategy = ownsStrategy;
        this.ownsEncoders = ownsEncoders;
        this.normalizeOutput = normalizeOutput;
        this.batchSize = batchSize;
        this.concurrentEncoding = concurrentEncoding;
        this.encoderSources = (int) sources.values().stream().filter(s -> !(s instanceof ModalitySource.Precomputed))
                .count();
    }

    @Override
    public int dimension() {
        return locked(strategy::outputDimension);
    }

    @Override
    public Embedding embed(MultimodalInput input) {
        return locked(() -> {
            check(input, "The record");
            List<Modality> present = new ArrayList<>();
            for (Modality modality : sources.keySet()) {
                if (input.value(modality).isPresent()) {
                    present.add(modality);
                }
            }
            boolean sequences = strategy.usesSequences();
            List<Object> encoded = encodeConcurrently(present, m -> sequences
                    ? sources.get(m).embedWithSequence(m, input.value(m).orElseThrow())
                    : sources.get(m).embed(m, input.value(m).orElseThrow()));
            ModalityEmbeddings.Builder embeddings = ModalityEmbeddings.builder();
            for (int k = 0; k < present.size(); k++) {
                put(embeddings, present.get(k), encoded.get(k));
            }
            return finish(strategy.fuse(embeddings.build()));
        });
    }

    @Override
    public List<Embedding> embedAll(List<MultimodalInput> inputs) {
        if (inputs == null) {
            throw new InvalidInputException("Inputs list is null: pass a list (possibly empty)");
        }
        return locked(() -> {
            List<Embedding> out = new ArrayList<>(inputs.size());
            for (int start = 0; start < inputs.size(); start += batchSize) {
                out.addAll(embedBatch(inputs, start, Math.min(inputs.size(), start + batchSize)));
            }
            return out;
        });
    }

    private List<Embedding> embedBatch(List<MultimodalInput> inputs, int from, int to) {
        for (int i = from; i < to; i++) {
            check(inputs.get(i), "Record " + i);
        }
        List<ModalityEmbeddings.Builder> records = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            records.add(ModalityEmbeddings.builder());
        }
        List<Modality> present = new ArrayList<>();
        Map<Modality, List<Integer>> rowsOf = new LinkedHashMap<>();
        Map<Modality, List<Object>> valuesOf = new LinkedHashMap<>();
        for (Modality modality : sources.keySet()) {
            List<Integer> rows = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Object v = inputs.get(i).value(modality).orElse(null);
                if (v != null) {
                    rows.add(i - from);
                    values.add(v);
                }
            }
            if (!values.isEmpty()) {
                present.add(modality);
                rowsOf.put(modality, rows);
                valuesOf.put(modality, values);
            }
        }
        boolean sequences = strategy.usesSequences();
        List<List<?>> encoded = encodeConcurrently(present, m -> sequences
                ? sources.get(m).embedAllWithSequences(m, valuesOf.get(m)) : sources.get(m).embedAll(m, valuesOf.get(m)));
        for (int k = 0; k < present.size(); k++) {
            List<Integer> rows = rowsOf.get(present.get(k));
            for (int j = 0; j < rows.size(); j++) {
                put(records.get(rows.get(j)), present.get(k), encoded.get(k).get(j));
            }
        }
        List<ModalityEmbeddings> batch = new ArrayList<>(records.size());
        records.forEach(r -> batch.add(r.build()));
        List<Embedding> fused = strategy.fuseAll(batch);
        if (fused.size() != batch.size()) {
            throw new FusionException("The fusion strategy returned " + fused.size() + " embeddings for "
                    + batch.size() + " records");
        }
        List<Embedding> out = new ArrayList<>(fused.size());
        fused.forEach(f -> out.add(finish(f)));
        return out;
    }

    /** Puts what a source gave: an {@link EncodedSequence} (with a sequence-level strategy) or an {@link Embedding}. */
    private static void put(ModalityEmbeddings.Builder b, Modality m, Object encoded) {
        if (encoded instanceof EncodedSequence e) {
            b.putEncoded(m, e);
        } else {
            b.put(m, (Embedding) encoded);
        }
    }

    /**
     * Applies {@code encode} to every modality, in order; when two or more of them have an encoder (and
     * encoding is concurrent), all but the first encoder modality run on the pool meanwhile. Returns after every task has ended; rethrows the
     * failure of the earliest failing modality unchanged.
     */
    private <T> List<T> encodeConcurrently(List<Modality> modalities, Function<Modality, T> encode) {
        List<Modality> async = new ArrayList<>();
        for (Modality m : modalities) {
            if (!(sources.get(m) instanceof ModalitySource.Precomputed)) {
                async.add(m);
            }
        }
        if (async.size() < 2 || !concurrentEncoding) {
            List<T> out = new ArrayList<>(modalities.size());
            modalities.forEach(m -> out.add(encode.apply(m)));
            return out;
        }
        async.remove(0);
        Map<Modality, Future<T>> futures = new LinkedHashMap<>();
        try {
            for (Modality m : async) {
                futures.put(m, pool().submit(() -> encode.apply(m)));
            }
        } catch (RuntimeException | Error e) {
            awaitAll(futures.values());
            throw e;
        }
        List<T> out = new ArrayList<>(modalities.size());
        Throwable failure = null;
        for (Modality m : modalities) {
            Future<T> future = futures.get(m);
            try {
                if (future == null) {
                    out.add(failure == null ? encode.apply(m) : null);
                } else {
                    out.add(await(future));
                }
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            awaitAll(futures.values());
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }
        return out;
    }

    /** The task's result, or its exception unchanged; waits through interrupts (restoring the flag). */
    private static <T> T await(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new FusionException("Encoding failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for every task to end, ignoring their outcome (no encoder runs after the call returns). */
    private static void awaitAll(Iterable<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                await(f);
            } catch (RuntimeException | Error ignored) {
                // the caller rethrows the earliest failure
            }
        }
    }

    private synchronized ThreadPoolExecutor pool() {
        if (pool == null) {
            AtomicInteger count = new AtomicInteger();
            int threads = Math.max(1, encoderSources - 1);
            pool = new ThreadPoolExecutor(0, 2 * threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "fusion4j-encode-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
        }
        return pool;
    }

    /** Checks that every modality of the record has a source that takes its value. */
    private void check(MultimodalInput input, String where) {
        if (input == null) {
            throw new InvalidInputException(where + " is null");
        }
        for (Modality modality : input.modalities()) {
            ModalitySource source = sources.get(modality);
            if (source == null) {
                throw new InvalidInputException(where + " has modality '" + modality + "', which this embedder has"
                        + " no encoder for (it has " + sources.keySet() + "): add one with Fusion.builder()"
                        + ".encoder(..) or .embedding(..), or leave the modality out");
            }
            Object value = input.value(modality).orElseThrow();
            if (!source.accepts(value)) {
                throw new InvalidInputException(where + ": modality '" + modality + "' holds "
                        + ModalitySource.describe(value) + ", but this embedder takes " + source.accepts()
                        + " for it: " + source.fix(modality));
            }
        }
    }

    private Embedding finish(Embedding fused) {
        return normalizeOutput ? fused.normalized() : fused;
    }

    private <T> T locked(Supplier<T> body) {
        Lock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This MultimodalEmbedder is closed: build a new one");
            }
            return body.get();
        } finally {
            read.unlock();
        }
    }

    @Override
    public void close() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            synchronized (this) {
                if (pool != null) {
                    pool.shutdown();
                }
            }
            RuntimeException failure = null;
            if (ownsStrategy && strategy instanceof AutoCloseable closeable) {
                failure = closeQuietly(closeable, failure);
            }
            if (ownsEncoders) {
                for (ModalitySource source : sources.values()) {
                    failure = closeQuietly(source::close, failure);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            write.unlock();
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable closeable, RuntimeException failure) {
        try {
            closeable.close();
            return failure;
        } catch (Exception e) {
            RuntimeException r = e instanceof RuntimeException re ? re
                    : new FusionException("Could not close " + closeable + ": " + e.getMessage(), e);
            if (failure == null) {
                return r;
            }
            failure.addSuppressed(r);
            return failure;
        }
    }

    @Override
    public String toString() {
        return "MultimodalEmbedder[" + sources.keySet() + " -> " + strategy + "]";
    }
}
