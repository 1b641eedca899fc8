package dev.fusion4j.spark;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.MultimodalInput;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed emoji sample (fusion-examples' {@code emoji-sample}: 315 records of name, 64px PNG, subcategory) as
 * test rows {@code id, text, image, path, label}, and the same records as fusion4j inputs.
 */
final class EmojiRows {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, true)
            .add("image", DataTypes.BinaryType, true)
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.StringType, true);
    private static final Pattern FIELD = Pattern.compile("\"(name|subcategory|image)\":\"([^\"]*)\"");

    /** One record; text or image may be null. */
    record Emoji(int id, String text, byte[] image, String path, String label) {
        Row row() {
            return RowFactory.create(id, text, image, path, label);
        }

        MultimodalInput input() {
            MultimodalInput.Builder b = MultimodalInput.builder();
            if (text != null) {
                b.text(text);
            }
            if (image != null) {
                b.image(ImageInput.of(image));
            }
            return b.build();
        }
    }

    private EmojiRows() {
    }

    static Path directory() {
        try {
            return Path.of(EmojiRows.class.getResource("/emoji-sample/sample.jsonl").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code n} records of the sample (all 315 for n >= 315), every one with text and image. */
    static List<Emoji> sample(int n) {
        Path dir = directory();
        try {
            List<Emoji> out = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("sample.jsonl"))) {
                if (out.size() == n) {
                    break;
                }
                String name = null;
                String label = null;
                String image = null;
                Matcher m = FIELD.matcher(line);
                while (m.find()) {
                    switch (m.group(1)) {
                        case "name" -> name = m.group(2);
                        case "subcategory" -> label = m.group(2);
                        default -> image = m.group(2);
                    }
                }
                Path file = dir.resolve(image);
                out.add(new Emoji(out.size(), name, Files.readAllBytes(file), file.toString(), label));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code records} with every third one's image and every fifth one's text removed (never both). */
    static List<Emoji> withAbsentModalities(List<Emoji> records) {
        List<Emoji> out = new ArrayList<>();
        for (Emoji e : records) {
            boolean noImage = e.id() % 3 == 1;
            boolean noText = !noImage && e.id() % 5 == 2;
            out.add(new Emoji(e.id(), noText ? null : e.text(), noImage ? null : e.image(), noImage ? null : e.path(),
                    e.label()));
        }
        return out;
    }

    static Dataset<Row> frame(SparkSession spark, List<Emoji> records, int partitions) {
        List<Row> rows = records.stream().map(Emoji::row).toList();
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    static List<MultimodalInput> inputs(List<Emoji> records) {
        return records.stream().map(Emoji::input).toList();
    }
}
