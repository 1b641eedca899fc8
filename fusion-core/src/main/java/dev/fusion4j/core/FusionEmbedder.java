package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
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
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@link MultimodalEmbedder} built by {@link Fusion#builder()}: encodes each present modality of a
 * record with its source, fuses with the strategy, L2-normalises (by default).
 *
 * <p>{@code embedAll} works in batches of {@code batchSize} records: it checks every record of the
 * batch first (no encoder runs on a batch with a bad record), calls each modality's
 * {@code encodeAll} once with that modality's present values, then {@code fuseAll} once. Modalities are
 * encoded one after the other (each encoder already uses the cores). Calls hold a read lock and
 * {@link #close()} the write lock: close waits for running calls; any call after it is an
 * {@link IllegalStateException}.
 */
final class FusionEmbedder implements MultimodalEmbedder {
    private final Map<Modality, ModalitySource> sources;
    private final FusionStrategy strategy;
    private final boolean ownsStrategy;
    private final boolean ownsEncoders;
    private final boolean normalizeOutput;
    private final int batchSize;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    FusionEmbedder(Map<Modality, ModalitySource> sources, FusionStrategy strategy, boolean ownsStrategy,
            boolean ownsEncoders, boolean normalizeOutput, int batchSize) {
        this.sources = sources;
        this.strategy = strategy;
        this.ownsStrategy = ownsStrategy;
        this.ownsEncoders = ownsEncoders;
        this.normalizeOutput = normalizeOutput;
        this.batchSize = batchSize;
    }

    @Override
    public int dimension() {
        return locked(strategy::outputDimension);
    }

    @Override
    public Embedding embed(MultimodalInput input) {
        return locked(() -> {
            check(input, "The record");
            ModalityEmbeddings.Builder embeddings = ModalityEmbeddings.builder();
            for (Map.Entry<Modality, ModalitySource> e : sources.entrySet()) {
                input.value(e.getKey()).ifPresent(v -> embeddings.put(e.getKey(), e.getValue().embed(e.getKey(), v)));
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
        List<Map<Modality, Embedding>> records = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            records.add(new LinkedHashMap<>());
        }
        for (Map.Entry<Modality, ModalitySource> e : sources.entrySet()) {
            Modality modality = e.getKey();
            List<Integer> rows = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Object v = inputs.get(i).value(modality).orElse(null);
                if (v != null) {
                    rows.add(i - from);
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            List<Embedding> encoded = e.getValue().embedAll(modality, values);
            for (int j = 0; j < rows.size(); j++) {
                records.get(rows.get(j)).put(modality, encoded.get(j));
            }
        }
        List<ModalityEmbeddings> batch = new ArrayList<>(records.size());
        records.forEach(r -> batch.add(ModalityEmbeddings.of(r)));
        List<Embedding> fused = strategy.fuseAll(batch);
        if (fused.size() != batch.size()) {
            throw new FusionException("The fusion strategy returned " + fused.size() + " embeddings for "
                    + batch.size() + " records");
        }
        List<Embedding> out = new ArrayList<>(fused.size());
        fused.forEach(f -> out.add(finish(f)));
        return out;
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
                throw new InvalidInputException(where + ": modality '" + modality + "' holds a "
                        + value.getClass().getSimpleName() + " but its source takes " + source.accepts());
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
