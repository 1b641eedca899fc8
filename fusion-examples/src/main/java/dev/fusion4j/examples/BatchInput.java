package dev.fusion4j.examples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.MultimodalInput;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads the batch job's records from a UTF-8 file (a leading byte-order mark is skipped):
 * <ul>
 *   <li>CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) whose first record is
 *       the header {@code text,image[,label]}. Row n is the n-th record after the header: the header is not
 *       counted, a quoted field spanning lines is still one row, a blank line counts as a row but is
 *       skipped. Without multi-line fields row n therefore sits on line n + 1.</li>
 *   <li>JSONL ({@code .jsonl}): one object a line with {@code text}, {@code image}, optional {@code label};
 *       row n is line n.</li>
 * </ul>
 * Image paths are relative to the input file. A row that cannot be used (wrong field count, both fields
 * empty, missing image file, bad JSON) becomes a {@link Failure}; a file that cannot be read at all (no
 * header, broken CSV quoting, not UTF-8) is an {@link InputFileException}.
 */
final class BatchInput {
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();
    private final Path base;
    private final List<Row> rows = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    /** A usable input row: its row number, the line it starts on, content and label (may be null). */
    record Row(int number, long line, MultimodalInput input, String label) {
    }

    /** A row that could not be embedded, and why. */
    record Failure(int number, long line, String reason) {
        /** {@code row 3 (line 5): reason}; the line only where it differs from the row number. */
        @Override
        public String toString() {
            return "row " + number + (line == number ? "" : " (line " + line + ")") + ": " + reason;
        }
    }

    /** The usable rows and the failed ones, each in file order. */
    record Parsed(List<Row> rows, List<Failure> failures) {
    }

    /** The input file as a whole cannot be read; the message names the file and what is wrong. */
    static final class InputFileException extends IOException {
        private static final long serialVersionUID = 1L;

        InputFileException(String message) {
            super(message);
        }
    }

    private BatchInput(Path base) {
        this.base = base;
    }

    /** Reads {@code input}, JSONL when its name ends with {@code .jsonl}, CSV otherwise. */
    static Parsed read(Path input) throws IOException {
        BatchInput result = new BatchInput(input.toAbsolutePath().getParent());
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
                result.readJsonl(reader);
            } else {
                result.readCsv(reader, input);
            }
        } catch (CharacterCodingException e) {
            throw new InputFileException(input + " is not UTF-8 text");
        }
        return new Parsed(List.copyOf(result.rows), List.copyOf(result.failures));
    }

    private void readJsonl(BufferedReader reader) throws IOException {
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (!line.isBlank()) {
                String json = line;
                add(number, number, () -> jsonFields(json));
            }
        }
    }

    private void readCsv(BufferedReader reader, Path input) throws IOException {
        long line = 1;   // where the next record starts
        try (CSVParser parser = CSV.parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new InputFileException(input + " is empty: a CSV needs the header text,image[,label]");
            }
            checkHeader(records.next(), input);
            line = parser.getCurrentLineNumber() + 1;
            while (records.hasNext()) {
                CSVRecord record = records.next();
                if (record.size() > 1 || !record.get(0).isBlank()) {
                    add((int) record.getRecordNumber() - 1, line, () -> csvFields(record));
                }
                line = parser.getCurrentLineNumber() + 1;
            }
        } catch (UncheckedIOException e) {   // Commons CSV's iterator wraps its syntax errors
            String why = String.valueOf(e.getCause().getMessage()).replaceFirst("^\\(startline \\d+\\) ", "");
            throw new InputFileException(input + ", line " + line + ": not valid CSV (" + why
                    + "); a field holding a comma, quote or line break must be quoted, its quotes doubled");
        }
    }

    private static void checkHeader(CSVRecord header, Path input) throws InputFileException {
        List<String> names = header.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        if (!names.equals(List.of("text", "image")) && !names.equals(List.of("text", "image", "label"))) {
            throw new InputFileException(input + ": a CSV needs the header text,image[,label], found "
                    + String.join(",", header.toList()));
        }
    }

    private static String[] csvFields(CSVRecord record) {
        if (record.size() < 2 || record.size() > 3) {
            throw new IllegalArgumentException("expected 2 or 3 fields (text,image[,label]), found " + record.size());
        }
        return new String[] {record.get(0), record.get(1), record.size() == 3 ? record.get(2) : null};
    }

    private static String[] jsonFields(String line) {
        JsonElement element = JsonParser.parseString(line);
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object with text, image, label; found " + line);
        }
        JsonObject o = element.getAsJsonObject();
        return new String[] {str(o, "text"), str(o, "image"), str(o, "label")};
    }

    private static String str(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (!v.isJsonPrimitive()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string, found " + v);
        }
        return v.getAsString();
    }

    /** Adds the row made of {@code fields} (text, image, label), or its failure. */
    private void add(int number, long line, Supplier<String[]> fields) {
        try {
            String[] f = fields.get();
            rows.add(new Row(number, line, record(f[0], f[1]), f[2]));
        } catch (IllegalArgumentException | FusionException | JsonParseException e) {
            failures.add(new Failure(number, line, e.getMessage()));
        }
    }

    private MultimodalInput record(String text, String image) {
        MultimodalInput.Builder b = MultimodalInput.builder();
        if (text != null && !text.isBlank()) {
            b.text(text);
        }
        if (image != null && !image.isBlank()) {
            Path file = base.resolve(image);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("image file " + file + " does not exist");
            }
            b.image(ImageInput.of(file));
        }
        return b.build();
    }
}
