package dev.fusion4j.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs JMH with the given command line (same options as {@code java -jar benchmarks.jar}), then prints one
 * table pairing every fusion4j benchmark with the raw baseline measured in the same run and parameters:
 * median and mean time per call and the throughput ratio (baseline time / fusion4j time; 1.00 = as fast as
 * raw), with the machine's load average before and after, since the figures mean little without it.
 *
 * <pre>{@code java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.BenchMain -f 1 -wi 3 -i 5 -w 1s -r 1s}</pre>
 */
public final class BenchMain {
    /** Benchmark methods that are baselines, each fusion4j method compared with them. */
    private static final Set<String> BASELINES = Set.of("raw", "rawSum", "rawOverlap");

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args);
        String before = load();
        Collection<RunResult> results = new Runner(options).run();
        String after = load();
        System.out.println();
        System.out.println("fusion4j vs raw, " + OffsetDateTime.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs; load average (1/5/15 min) before " + before + ", after " + after);
        System.out.println(table(results));
    }

    static String table(Collection<RunResult> results) {
        Map<String, Map<String, RunResult>> groups = new TreeMap<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            String method = full.substring(full.lastIndexOf('.') + 1);
            String cls = full.substring(0, full.lastIndexOf('.'));
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            List<String> params = new ArrayList<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.add(key + "=" + r.getParams().getParam(key));
            }
            groups.computeIfAbsent(cls + " " + String.join(" ", params), k -> new LinkedHashMap<>()).put(method, r);
        }
        StringBuilder sb = new StringBuilder(String.format("%-62s %-16s %12s %12s %-8s %s%n", "benchmark (params)",
                "method", "median", "mean", "unit", "throughput vs baselines"));
        for (Map.Entry<String, Map<String, RunResult>> g : groups.entrySet()) {
            for (Map.Entry<String, RunResult> m : g.getValue().entrySet()) {
                RunResult r = m.getValue();
                double median = median(r);
                StringBuilder ratios = new StringBuilder();
                if (!BASELINES.contains(m.getKey())) {
                    for (String base : BASELINES) {
                        RunResult b = g.getValue().get(base);
                        if (b != null) {
                            ratios.append(String.format("%s %.2fx (mean %.2fx)  ", base, median(b) / median,
                                    b.getPrimaryResult().getScore() / r.getPrimaryResult().getScore()));
                        }
                    }
                }
                String perSecond = recordsPerSecond(r, median);
                sb.append(String.format("%-62s %-16s %12.3f %12.3f %-8s %s%n", g.getKey(), m.getKey(), median,
                        r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit(),
                        perSecond.isEmpty() ? ratios : perSecond + "  " + ratios));
            }
        }
        return sb.toString();
    }

    /**
     * For benchmarks with {@code records} and {@code epochs} parameters (training): records x epochs per second of
     * the median operation, e.g. {@code "12,345 records/s"}; else empty.
     */
    private static String recordsPerSecond(RunResult r, double median) {
        String records = r.getParams().getParam("records");
        String epochs = r.getParams().getParam("epochs");
        double seconds = median * switch (r.getPrimaryResult().getScoreUnit()) {
            case "s/op" -> 1;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            default -> Double.NaN;
        };
        if (records == null || epochs == null || !(seconds > 0)) {
            return "";
        }
        return String.format("%,.0f records/s", Double.parseDouble(records) * Double.parseDouble(epochs) / seconds);
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }

    /** The load average (1/5/15 min) from /proc/loadavg, or "unknown". */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
