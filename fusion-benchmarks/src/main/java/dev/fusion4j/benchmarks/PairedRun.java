package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;

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
import java.util.function.Function;

/**
 * fusion4j and its raw baselines timed call by call, interleaved, in one JVM: the measurement the ratio
 * targets are judged on.
 *
 * <p>Why not JMH alone: JMH measures each method in its own fork, one after the other, and on these shared
 * 2-core machines the speed of the same code drifts by up to 2x between forks seconds apart and within one
 * process over tens of seconds (docs/performance.md, "Why the ratios come from paired runs"). That drift is
 * larger than the 5% being judged. Here every round calls each arm of a case once, in a fresh random order,
 * so drift hits all arms alike; the ratio of the arms' medians over many rounds is what is reported, with
 * the quartiles of the per-round ratios beside it. Every case first checks that its arms compute the same
 * vectors. The JMH benchmarks remain the record of absolute times.
 *
 * <pre>{@code
 * java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.PairedRun            # all cases
 * java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.PairedRun text-1 e2e-32
 * }</pre>
 *
 * <p>Cases: {@code text-N}, {@code image-N}, {@code e2e-N} for any N (records per call), each against its raw
 * baselines; {@code fusion-N}: each strategy's {@code fuse} (N = 1) or {@code fuseAll} of N cached records (text
 * 384 + image 1280, the settings of {@code FusionBenchmark}) as a share of {@code embed} of one (text, JPEG)
 * record, timed in three states per round: as a pipeline meets it, after the encoders ran; "again" right after;
 * and "loop", the mean of a burst of calls back to back, as a benchmark loop sees it. Default {@code text-1
 * text-32 image-1 image-32 e2e-1 e2e-32 fusion-1}. Settings (system properties): {@code fusion4j.paired.seconds}
 * measured seconds per case (default 30), {@code fusion4j.paired.minRounds} (default 30), {@code
 * fusion4j.paired.warmupSeconds} (default 5), {@code fusion4j.paired.strategies} the strategies of {@code fusion-N}
 * by their {@link Strategies} names, comma-separated (default the five of FusionBenchmark). Bundled encoders with
 * the library's default settings.
 */
public final class PairedRun {
    private static final List<String> DEFAULT_CASES = List.of("text-1", "text-32", "image-1", "image-32", "e2e-1",
            "e2e-32", "fusion-1");
    private static final List<String> STRATEGIES = List.of("concat", "weightedSum", "attention", "compactBilinear",
            "lowRankBilinear");

    private PairedRun() {
    }

    /**
     * One thing timed per round: its series' names and a measurement giving one time (ms) per series. Most arms
     * time one call; a fusion arm ({@link #states}) times {@code fuse} in the three states a caller can meet it in.
     */
    private record Arm(List<String> names, Callable<double[]> measure) {
        /** Calls back to back in a fusion arm's "loop" state: enough to reach a tight loop's steady cost. */
        static final int LOOP_CALLS = 8;

        static Arm of(String name, Callable<?> call) {
            return new Arm(List.of(name), () -> {
                long t0 = System.nanoTime();
                call.call();
                return new double[] {(System.nanoTime() - t0) / 1e6};
            });
        }

        /**
         * Three times per round: the first call, as a pipeline meets it (the encoders and the other arms ran since
         * its last call, so its weights are out of the caches); a second call right after ("again"); then the mean
         * of {@value #LOOP_CALLS} more calls back to back ("loop"), as a benchmark loop such as JMH's sees it.
         */
        static Arm states(String name, Callable<?> call) {
            return new Arm(List.of(name, name + " again", name + " loop"), () -> {
                long t0 = System.nanoTime();
                call.call();
                long t1 = System.nanoTime();
                call.call();
                long t2 = System.nanoTime();
                for (int i = 0; i < LOOP_CALLS; i++) {
                    call.call();
                }
                long t3 = System.nanoTime();
                return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6 / LOOP_CALLS};
            });
        }
    }

    /**
     * The arms of one case and what to close after it. The first arm is fusion4j; with {@code shares} it is the
     * reference the others are given as a percentage of, else each other arm is a baseline it is compared with.
     */
    private record Case(String name, List<Arm> arms, List<AutoCloseable> resources, boolean shares) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        double seconds = Double.parseDouble(System.getProperty("fusion4j.paired.seconds", "30"));
        int minRounds = Integer.getInteger("fusion4j.paired.minRounds", 30);
        double warmup = Double.parseDouble(System.getProperty("fusion4j.paired.warmupSeconds", "5"));
        List<String> names = args.length == 0 ? DEFAULT_CASES : Arrays.asList(args);
        String before = BenchMain.load();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-10s %-22s %7s %11s %11s %11s  %s%n",
                "case", "arm", "rounds", "median ms", "p25 ms", "p75 ms",
                "fusion4j throughput vs this baseline, or share"));
        for (String name : names) {
            Case c = build(name);
            try {
                table.append(measure(c, seconds, minRounds, warmup));
            } finally {
                for (AutoCloseable r : c.resources()) {
                    r.close();
                }
            }
        }
        System.out.println();
        System.out.println("fusion4j vs raw, paired and interleaved in one JVM, " + OffsetDateTime.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs; load average (1/5/15 min) before " + before
                + ", after " + BenchMain.load());
        System.out.print(table);
        System.exit(0); // the encoders' and ONNX Runtime's daemon threads need no waiting for
    }

    private static Case build(String name) throws Exception {
        String[] parts = name.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("A case is text-N, image-N, e2e-N or fusion-N, not '" + name + "'");
        }
        int n = Integer.parseInt(parts[1]);
        List<AutoCloseable> resources = new ArrayList<>();
        List<Arm> arms = new ArrayList<>();
        switch (parts[0]) {
            case "text" -> {
                TextEncoder fusion4j = Encoders.miniLm(0, "default");
                RawMiniLm raw = new RawMiniLm(0, null);
                encoderArms("text", BenchData.texts(n), fusion4j::encodeAll, raw::encode, arms);
                resources.addAll(List.of(fusion4j, raw));
            }
            case "image" -> {
                ImageEncoder fusion4j = Encoders.mobileNet(0, "default");
                RawMobileNet raw = new RawMobileNet(0, null);
                encoderArms("image", BenchData.images(n), fusion4j::encodeAll, raw::encode, arms);
                resources.addAll(List.of(fusion4j, raw));
            }
            case "e2e" -> {
                List<MultimodalInput> inputs = BenchData.records(n);
                List<String> texts = BenchData.texts(inputs);
                List<ImageInput> images = BenchData.images(inputs);
                TextEncoder text = Encoders.miniLm(0, "default");
                ImageEncoder image = Encoders.mobileNet(0, "default");
                MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).build();
                RawEndToEnd raw = new RawEndToEnd(0, null);
                resources.addAll(List.of(embedder, text, image, raw));
                Check.sameEmbeddings("end to end", embedder.embedAll(inputs), raw.overlap(texts, images));
                arms.add(Arm.of("fusion4j", () -> n == 1 ? embedder.embed(inputs.get(0)) : embedder.embedAll(inputs)));
                arms.add(Arm.of("rawSum", () -> raw.sum(texts, images)));
                arms.add(Arm.of("rawOverlap", () -> raw.overlap(texts, images)));
            }
            case "fusion" -> {
                MultimodalInput record = BenchData.records(1).get(0);
                TextEncoder text = Encoders.miniLm(0, "default");
                ImageEncoder image = Encoders.mobileNet(0, "default");
                MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).build();
                resources.addAll(List.of(embedder, text, image));
                arms.add(Arm.of("embed", () -> embedder.embed(record)));
                List<ModalityEmbeddings> records = BenchData.embeddings(n, 384, 1280);
                String chosen = System.getProperty("fusion4j.paired.strategies", String.join(",", STRATEGIES));
                for (String strategy : chosen.split(",")) {
                    FusionStrategy fusion = Strategies.bind(strategy, 384, 1280);
                    resources.add(() -> Strategies.close(fusion));
                    arms.add(Arm.states(strategy,
                            () -> n == 1 ? fusion.fuse(records.get(0)) : fusion.fuseAll(records)));
                }
                return new Case(name, arms, resources, true);
            }
            default -> throw new IllegalArgumentException("Unknown case '" + name + "': text-N, image-N, e2e-N or"
                    + " fusion-N");
        }
        return new Case(name, arms, resources, false);
    }

    /** Checks that an encoder and its raw baseline agree on {@code inputs}, then adds the two arms encoding them. */
    private static <T> void encoderArms(String what, List<T> inputs, Function<List<T>, List<Embedding>> fusion4j,
            Function<List<T>, float[][]> raw, List<Arm> arms) {
        Check.sameVectors(what, fusion4j.apply(inputs), raw.apply(inputs));
        arms.add(Arm.of("fusion4j", () -> fusion4j.apply(inputs)));
        arms.add(Arm.of("raw", () -> raw.apply(inputs)));
    }

    /** Warms up, then times rounds of every arm in a shuffled order until both the time and the round count are met. */
    private static String measure(Case c, double seconds, int minRounds, double warmupSeconds) throws Exception {
        Random random = new Random(42);
        List<Arm> order = new ArrayList<>(c.arms());
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int round = 0; round < 3 || System.nanoTime() < warmupEnd; round++) {
            for (Arm arm : order) {
                arm.measure().call();
            }
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        c.arms().forEach(a -> a.names().forEach(name -> times.put(name, new ArrayList<>())));
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int rounds = 0;
        while (rounds < minRounds || System.nanoTime() < end) {
            Collections.shuffle(order, random);
            for (Arm arm : order) {
                double[] t = arm.measure().call();
                for (int k = 0; k < t.length; k++) {
                    times.get(arm.names().get(k)).add(t[k]);
                }
            }
            rounds++;
        }
        String first = c.arms().get(0).names().get(0);
        List<Double> own = times.get(first);
        double ownMedian = percentile(own, 0.5);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Double>> series : times.entrySet()) {
            List<Double> t = series.getValue();
            String ratio = "";
            if (t != own) {
                List<Double> perRound = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    perRound.add(t.get(r) / own.get(r));
                }
                ratio = c.shares()
                        ? String.format(Locale.ROOT, "%.2f%% of %s (per-round shares: quartiles %.2f%%-%.2f%%)",
                                100 * percentile(t, 0.5) / ownMedian, first,
                                100 * percentile(perRound, 0.25), 100 * percentile(perRound, 0.75))
                        : String.format(Locale.ROOT, "%.2fx (per-round ratios: quartiles %.2fx-%.2fx)",
                                percentile(t, 0.5) / ownMedian, percentile(perRound, 0.25), percentile(perRound, 0.75));
            }
            sb.append(String.format(Locale.ROOT, "%-10s %-22s %7d %11.3f %11.3f %11.3f  %s%n", c.name(),
                    series.getKey(), rounds, percentile(t, 0.5), percentile(t, 0.25), percentile(t, 0.75), ratio));
        }
        System.out.print(sb);
        return sb.toString();
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }
}
