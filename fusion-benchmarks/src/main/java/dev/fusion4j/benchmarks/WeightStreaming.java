package dev.fusion4j.benchmarks;

import dev.fusion4j.core.internal.Dense;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast one fusion's weights can be read on this machine: the library's own matrix-vector kernel
 * ({@link Dense#multiplyAdd}) on the weights of low-rank bilinear (1200), text 384 + image 1280 (1,666 columns
 * of 1,200 floats, 8.0 MB), in the states a fusion meets between encoder calls. It backs the account of fusion
 * cost inside a pipeline in docs/performance.md ("Fusion cost inside a pipeline"): what the weights cost when they
 * come from memory, and whether a second thread or a prefetch on the idle core would hide it.
 *
 * <pre>{@code
 * java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.WeightStreaming   # ~1 min
 * }</pre>
 *
 * <p>Each round runs every state once, in a fresh seeded random order; a state first evicts the weights (or not)
 * and then times one product:
 * <ul>
 *   <li>{@code hot}: right after another product on the same weights (a benchmark loop);
 *   <li>{@code after N MB}: after this thread walked N MB of other data, as an encoder does (MiniLM reads ~90 MB
 *       of weights per call, MobileNetV2 ~14 MB);
 *   <li>{@code 2 threads}: after 256 MB, the output rows split between this thread and a pool thread (the same
 *       sums, bit for bit);
 *   <li>{@code prefetched}: after 256 MB, then the other core reads the weights once while this thread walks
 *       16 MB more (an image encoder finishing while the text thread idles), then the product.
 * </ul>
 * Settings: {@code fusion4j.weights.rounds} (default 200).
 */
public final class WeightStreaming {
    private static final int OUT = 1200;
    private static final int IN = 384 + 1280 + 2;
    private static final int MB = 1 << 20;

    private final float[][] columns = columns(OUT, 1);
    private final float[][] upper = slice(columns, 0, OUT / 2);
    private final float[][] lower = slice(columns, OUT / 2, OUT);
    private final float[] x = new float[IN];
    private final int[] other = new int[256 * MB / Integer.BYTES];
    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weight-streaming-helper");
        t.setDaemon(true);
        return t;
    });
    private long sink;

    private WeightStreaming() {
        for (int j = 0; j < IN; j++) {
            x[j] = (float) Math.sin(j);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("fusion4j.weights.rounds", 200);
        String before = BenchMain.load();
        WeightStreaming w = new WeightStreaming();
        w.checkSplitIsExact();
        // each state: what runs before the product, then the timed product (ms)
        Map<String, Callable<Double>> states = new LinkedHashMap<>();
        states.put("hot", () -> {
            w.product();
            return timed(w::product);
        });
        for (int mb : new int[] {16, 64, 256}) {
            states.put("after " + mb + " MB", () -> {
                w.walk(mb);
                return timed(w::product);
            });
        }
        states.put("after 256 MB, 2 threads", () -> {
            w.walk(256);
            return timed(w::split);
        });
        states.put("after 256 MB, prefetched", () -> {
            w.walk(256);
            w.prefetchWhileWalking(16);
            return timed(w::product);
        });
        Map<String, List<Double>> times = new LinkedHashMap<>();
        states.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        List<String> order = new ArrayList<>(states.keySet());
        Random random = new Random(42);
        for (int round = -20; round < rounds; round++) { // 20 rounds of warm-up
            Collections.shuffle(order, random);
            for (String state : order) {
                double ms = states.get(state).call();
                if (round >= 0) {
                    times.get(state).add(ms);
                }
            }
        }
        double bytes = (double) IN * OUT * Float.BYTES;
        System.out.printf(Locale.ROOT, "%nOne product with Dense.multiplyAdd on %.1f MB (%.1f MiB) of weights"
                + " (%d x %d), %s, %d CPUs, %d rounds; load average before %s, after %s%n", bytes / 1e6, bytes / MB,
                OUT, IN, OffsetDateTime.now(), Runtime.getRuntime().availableProcessors(), rounds, before,
                BenchMain.load());
        System.out.printf(Locale.ROOT, "%-26s %10s %10s %10s %8s%n", "state", "median µs", "p25 µs", "p75 µs",
                "GB/s");
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            List<Double> t = new ArrayList<>(e.getValue());
            Collections.sort(t);
            double median = t.get(t.size() / 2);
            System.out.printf(Locale.ROOT, "%-26s %10.0f %10.0f %10.0f %8.1f%n", e.getKey(), median * 1e3,
                    t.get(t.size() / 4) * 1e3, t.get(3 * t.size() / 4) * 1e3, bytes / (median * 1e-3) / 1e9);
        }
        System.out.println("(checksum " + w.sink + ")");
        System.exit(0);
    }

    /** The split product must be the same sums as the whole one, or timing it would compare different work. */
    private void checkSplitIsExact() throws Exception {
        float[] whole = product();
        float[] split = split();
        if (!Arrays.equals(whole, split)) {
            throw new IllegalStateException("The two-thread product differs from the one-thread product");
        }
    }

    private float[] product() {
        float[] y = new float[OUT];
        Dense.multiplyAdd(columns, x, y);
        sink += Float.floatToRawIntBits(y[7]);
        return y;
    }

    private float[] split() throws Exception {
        float[] yLower = new float[OUT - OUT / 2];
        Future<?> f = helper.submit(() -> Dense.multiplyAdd(lower, x, yLower));
        float[] yUpper = new float[OUT / 2];
        Dense.multiplyAdd(upper, x, yUpper);
        f.get();
        float[] y = new float[OUT];
        System.arraycopy(yUpper, 0, y, 0, yUpper.length);
        System.arraycopy(yLower, 0, y, yUpper.length, yLower.length);
        return y;
    }

    private static double timed(Callable<?> call) throws Exception {
        long t0 = System.nanoTime();
        call.call();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The other core reads the weights once while this thread walks {@code mb} MB of other data. */
    private void prefetchWhileWalking(int mb) throws Exception {
        Future<Long> read = helper.submit(() -> touch(columns));
        walk(mb);
        sink += read.get();
    }

    /** Reads and writes one int per 64-byte line of the first {@code mb} MB of other data. */
    private void walk(int mb) {
        long s = 0;
        int end = mb * MB / Integer.BYTES;
        for (int i = 0; i < end; i += 16) {
            other[i]++;
            s += other[i];
        }
        sink += s;
    }

    private static long touch(float[][] columns) {
        long s = 0;
        for (float[] c : columns) {
            for (int k = 0; k < c.length; k += 16) {
                s += Float.floatToRawIntBits(c[k]);
            }
        }
        return s;
    }

    private static float[][] columns(int out, long seed) {
        Random r = new Random(seed);
        float[][] c = new float[IN][out];
        for (float[] column : c) {
            for (int k = 0; k < column.length; k++) {
                column[k] = r.nextFloat() - 0.5f;
            }
        }
        return c;
    }

    private static float[][] slice(float[][] columns, int from, int to) {
        float[][] s = new float[columns.length][];
        for (int j = 0; j < columns.length; j++) {
            s[j] = Arrays.copyOfRange(columns[j], from, to);
        }
        return s;
    }
}
