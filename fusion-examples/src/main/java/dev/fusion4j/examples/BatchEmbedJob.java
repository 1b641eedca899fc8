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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
 * and skipped; every other row is still written. The output appears whole or not at all (written to a
 * temporary file, then renamed). Exit codes: {@value #OK} all rows written, {@value #SOME_ROWS_FAILED} written
 * but some rows were bad, {@value #USAGE} usage error, {@value #FAILED} nothing written (input, output or
 * model error). {@link #run} returns the code and never exits; {@link FusionDemo#main} exits with it.
 *
 * <pre>
 * ./mvnw -q -pl fusion-examples exec:java -Dexec.args="--input my.csv --output my.jsonl --strategy attention"
 * </pre>
 */
@Command(name = "fusion-demo", mixinStandardHelpOptions = true, versionProvider = BatchEmbedJob.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Embeds your own records with the bundled offline models (MiniLM text, MobileNetV2 image) and one "
                    + "fusion strategy. Without any argument the program runs the emoji demo instead.",
            "",
            "CSV: RFC 4180, header text,image[,label]; JSONL: one {\"text\", \"image\", \"label\"} object a line. "
                    + "Image paths are relative to the input file; either of text and image may be empty. "
                    + "Row n is the n-th record after the header (line n of a JSONL file). Bad rows are listed "
                    + "by number and skipped; every other row is written."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every row was embedded and written",
            "1:the output was written, but some rows were bad (they are listed)",
            "2:usage error: unknown option, bad value, --input or --output missing",
            "3:nothing written: the input is missing or unreadable (not UTF-8, no CSV header, broken CSV "
                    + "quoting), the output cannot be written, or the models failed to load"})
public final class BatchEmbedJob implements Callable<Integer> {
    /** Every row written. */
    static final int OK = 0;
    /** The output was written without the bad rows, which are listed. */
    static final int SOME_ROWS_FAILED = 1;
    /** The command line was wrong; nothing was read. */
    static final int USAGE = 2;
    /** Nothing was written: an input, output or model error. */
    static final int FAILED = 3;
    private static final int BATCH = 32;

    /** The {@code --strategy} values. */
    enum Strategy {
        CONCAT("concat", Fusions::concat),
        WEIGHTED_SUM("weighted-sum", Fusions::weightedSum),
        ATTENTION("attention", Fusions::attention),
        LOW_RANK("low-rank", () -> Fusions.bilinear().lowRank(1024)),
        COMPACT("compact", () -> Fusions.bilinear().compact());

        private final String option;
        private final Supplier<FusionSpec> spec;

        Strategy(String option, Supplier<FusionSpec> spec) {
            this.option = option;
            this.spec = spec;
        }

        FusionSpec spec() {
            return spec.get();
        }

        @Override
        public String toString() {
            return option;
        }
    }

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "the records: a CSV file, or JSONL when the name ends with .jsonl")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "where the embeddings go: binary when the name ends with .f32, JSONL otherwise")
    private Path output;

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "concat", converter = StrategyConverter.class,
            description = "the fusion strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Strategy strategy;

    private final PrintStream out;

    private BatchEmbedJob(PrintStream out) {
        this.out = out;
    }

    /** Runs the job on the console's streams and returns its exit code; never exits the JVM. */
    static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /**
     * Runs the job and returns its exit code: progress, the summary, {@code --help} and {@code --version} go to
     * {@code out}, error messages to {@code err}.
     */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cmd = new CommandLine(new BatchEmbedJob(out))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(BatchEmbedJob::usageError)
                .setExecutionExceptionHandler(BatchEmbedJob::jobError);
        int code = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return code;
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run with --help for the options.");
        return USAGE;
    }

    private static int jobError(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof FusionException) {
            err.println("error: " + describe(e instanceof UncheckedIOException u ? u.getCause() : e));
        } else {
            err.println("error: unexpected failure, nothing written:");
            e.printStackTrace(err);
        }
        return FAILED;
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e instanceof BatchInput.InputFileException || e instanceof FusionException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new BatchInput.InputFileException("input file " + input
                    + (Files.exists(input) ? " is not a regular file" : " does not exist"));
        }
        Path dir = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output) || !Files.isDirectory(dir)) {
            throw new BatchInput.InputFileException("cannot write " + output + ": "
                    + (Files.isDirectory(output) ? "it is a directory" : "directory " + dir + " does not exist"));
        }
        BatchInput.Parsed parsed = BatchInput.read(input);
        List<Failure> failures = new ArrayList<>(parsed.failures());
        int written;
        try (TextEncoder text = BundledModels.miniLmText();
             ImageEncoder image = BundledModels.mobileNetV2Image();
             MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(strategy.spec())
                     .build()) {
            written = embedAndWrite(embedder, parsed.rows(), output, failures, out);
        }
        out.printf(Locale.ROOT, "%d of %d rows written to %s%n", written, written + failures.size(), output);
        if (failures.isEmpty()) {
            return OK;
        }
        out.println(failures.size() + " rows failed:");
        failures.stream().sorted(Comparator.comparingInt(Failure::number)).forEach(f -> out.println("  " + f));
        return SOME_ROWS_FAILED;
    }

    /** Turns a {@code --strategy} value into a {@link Strategy}, naming the allowed values when it is unknown. */
    static final class StrategyConverter implements CommandLine.ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            List<Strategy> all = List.of(Strategy.values());
            return all.stream().filter(s -> s.option.equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("unknown strategy '" + value + "': use one of "
                            + all.stream().map(Strategy::toString).collect(Collectors.joining(", "))));
        }
    }

    /** {@code --version}: the fusion4j version the build wrote into {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = BatchEmbedJob.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the classpath: rebuild fusion-examples");
                }
                p.load(in);
            }
            return new String[] {"fusion4j " + p.getProperty("version")};
        }
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
