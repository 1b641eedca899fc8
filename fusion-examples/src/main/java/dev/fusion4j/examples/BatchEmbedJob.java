package dev.fusion4j.examples;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.examples.BatchInput.Failure;
import dev.fusion4j.examples.BatchInput.Row;
import dev.fusion4j.models.BundledModels;

import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embeds a user's own records (see {@link BatchInput} for the CSV and JSONL layouts and how rows are
 * numbered) with the bundled models and writes JSONL ({@code {"row":n,"label":..,"embedding":[..]}}) or,
 * for a {@code .f32} output, a binary file:
 *
 * <pre>
 * "F4JEMB01" (8 bytes) | int32 count | int32 dimension | count x (int32 row, dimension x float32), little-endian
 * </pre>
 *
 * A bad row (malformed, both fields empty, missing or undecodable image) is reported with its row number
 * and skipped; every other row is still written. Exit code 0 when all rows were written, 2 when some failed,
 * 1 on a usage error.
 *
 * <pre>
 * ./mvnw -q -pl fusion-examples exec:java -Dexec.args="--input my.csv --output my.jsonl --strategy attention"
 * </pre>
 */
public final class BatchEmbedJob {
    private static final int BATCH = 32;

    private BatchEmbedJob() {
    }

    static int run(String[] args, PrintStream out) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--input") || !options.containsKey("--output") || args.length % 2 != 0) {
            out.println("usage: --input records.csv|records.jsonl --output out.jsonl|out.f32 "
                    + "[--strategy concat|weighted-sum|attention|low-rank|compact]");
            return 1;
        }
        Path input = Path.of(options.get("--input"));
        Path output = Path.of(options.get("--output"));
        FusionSpec spec = strategy(options.getOrDefault("--strategy", "concat"));
        BatchInput.Parsed parsed = BatchInput.read(input);
        List<Failure> failures = new ArrayList<>(parsed.failures());
        List<Row> rows = parsed.rows();
        int written;
        try (TextEncoder text = BundledModels.miniLmText();
             ImageEncoder image = BundledModels.mobileNetV2Image();
             MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(spec).build()) {
            written = embedAndWrite(embedder, rows, output, failures, out);
        }
        out.printf(Locale.ROOT, "%d of %d rows written to %s%n", written, written + failures.size(), output);
        if (!failures.isEmpty()) {
            out.println(failures.size() + " rows failed:");
            failures.stream().sorted(Comparator.comparingInt(Failure::number)).forEach(f -> out.println("  " + f));
            return 2;
        }
        return 0;
    }

    static FusionSpec strategy(String name) {
        return switch (name) {
            case "concat" -> Fusions.concat();
            case "weighted-sum" -> Fusions.weightedSum();
            case "attention" -> Fusions.attention();
            case "low-rank" -> Fusions.bilinear().lowRank(1024);
            case "compact" -> Fusions.bilinear().compact();
            default -> throw new IllegalArgumentException("unknown strategy '" + name
                    + "': use concat, weighted-sum, attention, low-rank or compact");
        };
    }

    private static int embedAndWrite(MultimodalEmbedder embedder, List<Row> rows, Path output, List<Failure> failures,
                                     PrintStream out) throws IOException {
        List<Row> okRows = new ArrayList<>();
        List<Embedding> vectors = new ArrayList<>();
        ProgressBar bar = new ProgressBar(out, "embedding records", rows.size());
        for (int start = 0; start < rows.size(); start += BATCH) {
            List<Row> batch = rows.subList(start, Math.min(rows.size(), start + BATCH));
            try {
                vectors.addAll(embedder.embedAll(batch.stream().map(Row::input).toList()));
                okRows.addAll(batch);
            } catch (FusionException batchFailure) {
                for (Row r : batch) {   // isolate the bad rows; the good ones are still written
                    try {
                        vectors.add(embedder.embed(r.input()));
                        okRows.add(r);
                    } catch (FusionException e) {
                        failures.add(new Failure(r.number(), r.line(), e.getMessage()));
                    }
                }
            }
            bar.update(start + batch.size());
        }
        bar.done();
        Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), output.getFileName().toString(), ".tmp");
        try {
            if (output.toString().endsWith(".f32")) {
                writeBinary(tmp, okRows, vectors);
            } else {
                writeJsonl(tmp, okRows, vectors);
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return okRows.size();
    }

    private static void writeJsonl(Path file, List<Row> rows, List<Embedding> vectors) throws IOException {
        Gson gson = new Gson();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows.size(); i++) {
                JsonObject o = new JsonObject();
                o.addProperty("row", rows.get(i).number());
                if (rows.get(i).label() != null) {
                    o.addProperty("label", rows.get(i).label());
                }
                o.add("embedding", gson.toJsonTree(vectors.get(i).toArray()));
                w.write(gson.toJson(o));
                w.newLine();
            }
        }
    }

    private static void writeBinary(Path file, List<Row> rows, List<Embedding> vectors) throws IOException {
        int dim = vectors.isEmpty() ? 0 : vectors.get(0).dimension();
        try (DataOutputStream outStream = new DataOutputStream(Files.newOutputStream(file))) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.put("F4JEMB01".getBytes(StandardCharsets.US_ASCII)).putInt(rows.size()).putInt(dim);
            outStream.write(header.array());
            ByteBuffer record = ByteBuffer.allocate(4 + 4 * dim).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows.size(); i++) {
                record.clear();
                record.putInt(rows.get(i).number());
                for (float v : vectors.get(i).toArray()) {
                    record.putFloat(v);
                }
                outStream.write(record.array());
            }
        }
    }
}
