package dev.fusion4j.encoders.internal;

import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.encoders.image.ImagePreprocessor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch of images being decoded and preprocessed into one NCHW float array, by the calling thread
 * and pool threads together. Workers take the images in index order from a shared counter, each writing
 * its own slot, so the array is the same whichever thread prepared which image.
 *
 * <p>Failures are typed and deterministic: once an image fails, no worker starts another, and every
 * image of a lower index has already been taken and is finished before {@link #await()} reports; so the
 * failure reported is always the one of the lowest index, as an {@link InvalidInputException} naming
 * that index in the whole list. The caller always works through the remaining images itself before
 * waiting, so a batch completes even if no pool thread ever gets to it.
 */
public final class PreparedBatch {
    private final List<ImageInput> images;
    private final int start;
    private final int size;
    private final ImagePreprocessor preprocessor;
    private final int imageSize;
    private final float[] pixels;
    private final Throwable[] failures;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Future<?>> workers = new ArrayList<>();
    private volatile boolean stop;

    /** The images {@code start .. start + size - 1} of {@code images}. */
    public PreparedBatch(List<ImageInput> images, int start, int size, ImagePreprocessor preprocessor) {
        this.images = images;
        this.start = start;
        this.size = size;
        this.preprocessor = preprocessor;
        this.imageSize = preprocessor.size();
        this.pixels = new float[size * imageSize];
        this.failures = new Throwable[size];
    }

    /** Index of the first image in the whole list. */
    public int start() {
        return start;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    /**
     * Prepares the batch now, on this thread and up to {@code helpers} pool threads, and returns the pixels;
     * throws like {@link #await()}.
     */
    public float[] prepareNow(PreparationPool pool, int helpers) {
        startWorkers(pool, Math.min(helpers, size - 1));
        return await();
    }

    /** Starts preparing the batch on up to {@code threads} pool threads and returns at once. */
    public void prefetch(PreparationPool pool, int threads) {
        startWorkers(pool, Math.min(threads, size));
    }

    private void startWorkers(PreparationPool pool, int count) {
        try {
            for (int i = 0; i < count; i++) {
                workers.add(pool.submit(this::work));
            }
        } catch (RejectedExecutionException e) {
            // the pool is shut down: the caller prepares what is left in await()
        }
    }

    /**
     * Prepares what no worker has taken yet on this thread, waits for the workers, and returns the pixels.
     *
     * @throws InvalidInputException for the lowest-index image that could not be prepared, naming its index
     */
    public float[] await() {
        work();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                cancel();
                Thread.currentThread().interrupt();
                throw new FusionException("Interrupted while preparing images " + start + " to " + (start + size - 1), e);
            } catch (ExecutionException | CancellationException e) {
                // work() records every failure itself; nothing else can end a worker
            }
        }
        for (int i = 0; i < size; i++) {
            Throwable failure = failures[i];
            if (failure instanceof InvalidInputException invalid) {
                throw new InvalidInputException("Image at index " + (start + i) + ": " + invalid.getMessage(), invalid);
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
        }
        return pixels;
    }

    /** Stops the workers after their current image; the batch is abandoned. */
    public void cancel() {
        stop = true;
        for (Future<?> worker : workers) {
            worker.cancel(false);
        }
    }

    private void work() {
        while (!stop) {
            int i = next.getAndIncrement();
            if (i >= size) {
                return;
            }
            try {
                preprocessor.preprocessInto(images.get(start + i), pixels, i * imageSize);
            } catch (RuntimeException | Error e) {
                failures[i] = e;
                stop = true;
            }
        }
    }
}
