package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.models.BundledModels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Native-memory soak: embeds many (text, image) records through the bundled encoders and a fusion
 * strategy, then fuses many cached embeddings, sampling the process RSS; fails (exit 1) when RSS after
 * warm-up grows by 5% or more. Run with a fixed, pre-touched heap so the Java heap does not count as growth:
 *
 * <pre>
 * ./mvnw -q -pl fusion-examples exec:exec -Psoak                          # 100,000 records + 1,000,000 fusions
 * ./mvnw -q -pl fusion-examples exec:exec -Psoak -Dsoak.records=3000 -Dsoak.fusions=100000   # the CI form
 * </pre>
 */
public final class Soak {
    private static final double LIMIT = 0.05;

    private Soak() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int fusions = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        boolean ok = embedSoak(records) & fusionSoak(fusions);
        System.out.println(ok ? "SOAK PASSED" : "SOAK FAILED");
        System.exit(ok ? 0 : 1);
    }

    static boolean embedSoak(int records) throws IOException {
        List<ImageInput> images = new ArrayList<>();
        for (String name : List.of("dog.jpg", "chelsea.png", "horses.jpg", "eagle.jpg", "coffee.png", "rocket.png")) {
            try (InputStream in = Soak.class.getResourceAsStream("/samples/" + name)) {
                images.add(ImageInput.of(in.readAllBytes()));
            }
        }
        String[] words = {"dog", "cat", "rocket", "coffee", "horse", "eagle", "grass", "space", "cup", "field"};
        SplittableRandom random = new SplittableRandom(1);
        int batch = 32;
        try (TextEncoder text = BundledModels.miniLmText();
             ImageEncoder image = BundledModels.mobileNetV2Image();
             MultimodalEmbedder embedder = Fusion.builder().text(text).image(image)
                     .strategy(Fusions.attention()).build()) {
            RssSeries rss = new RssSeries("embed " + records + " records (attention)", records);
            for (int done = 0; done < records; done += batch) {
                List<MultimodalInput> inputs = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    String t = "a " + words[random.nextInt(words.length)] + " and a " + words[random.nextInt(words.length)];
                    ImageInput img = images.get(random.nextInt(images.size()));
                    int pattern = random.nextInt(3);
                    inputs.add(pattern == 0 ? MultimodalInput.of(t, img)
                            : pattern == 1 ? MultimodalInput.textOnly(t) : MultimodalInput.imageOnly(img));
                }
                embedder.embedAll(inputs);
                rss.sample(done + batch);
            }
            return rss.verdict();
        }
    }

    static boolean fusionSoak(int fusions) {
        Map<Modality, Integer> dims = new java.util.LinkedHashMap<>();
        dims.put(Modality.TEXT, 384);
        dims.put(Modality.IMAGE, 1280);
        SplittableRandom random = new SplittableRandom(2);
        List<ModalityEmbeddings> cached = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
            if (i % 3 != 2) {
                b.put(Modality.TEXT, gaussian(random, 384));
            }
            if (i % 3 != 1) {
                b.put(Modality.IMAGE, gaussian(random, 1280));
            }
            cached.add(b.build());
        }
        FusionStrategy strategy = Fusions.bilinear().lowRank(1200).bind(dims);
        try {
            RssSeries rss = new RssSeries("fuse " + fusions + " cached records (low-rank bilinear, batch 1 and 256)",
                    fusions);
            int done = 0;
            while (done < fusions) {
                if ((done / 256) % 2 == 0) {
                    strategy.fuseAll(cached);
                    done += cached.size();
                } else {
                    for (int i = 0; i < 64; i++) {
                        strategy.fuse(cached.get(i));
                    }
                    done += 64;
                }
                rss.sample(done);
            }
            return rss.verdict();
        } finally {
            if (strategy instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Embedding gaussian(SplittableRandom random, int d) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) random.nextGaussian();
        }
        return Embedding.of(v);
    }

    /** RSS samples at 21 evenly spaced points (every 5%); the first 25% are warm-up. */
    static final class RssSeries {
        private final String what;
        private final int total;
        private final long[] samples = new long[21];
        private int next;
        private final long start = System.nanoTime();

        RssSeries(String what, int total) {
            this.what = what;
            this.total = total;
            System.out.println(what);
        }

        void sample(int done) {
            while (next < samples.length && done >= (long) total * next / (samples.length - 1)) {
                samples[next] = rssKb();
                System.out.printf(Locale.ROOT, "  %3d%%  %,9d done  RSS %,8d kB  %6.1f s%n", 100 * next / (samples.length - 1),
                        done, samples[next], (System.nanoTime() - start) / 1e9);
                next++;
            }
        }

        /**
         * Compares the peak RSS of the window just after warm-up (25-50% of the run) with the peak of the last
         * quarter (75-100%): RSS moves in a sawtooth (GC, malloc arenas, the engines' caching allocators), so single
         * samples are noise, but a leak raises every later peak.
         */
        boolean verdict() {
            long warm = max(5, 10);
            long end = max(15, 20);
            double growth = (end - warm) / (double) warm;
            boolean ok = growth < LIMIT;
            System.out.printf(Locale.ROOT, "  peak RSS 25-50%%: %,d kB -> 75-100%%: %,d kB: %+.2f%% (limit %+.0f%%) %s%n", warm, end,
                    100 * growth, 100 * LIMIT, ok ? "ok" : "TOO MUCH GROWTH");
            return ok;
        }

        private long max(int from, int to) {
            long m = 0;
            for (int i = from; i <= Math.min(to, next - 1); i++) {
                m = Math.max(m, samples[i]);
            }
            return m;
        }
    }

    /** Resident set size of this process in kB, from /proc (Linux); 0 elsewhere. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
