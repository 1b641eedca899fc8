package dev.fusion4j.spark.internal;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;

import java.io.IOException;

/**
 * How the image column holds its images: {@link #BYTES} (a {@code binary} column of encoded PNG, JPEG, GIF or BMP
 * bytes, e.g. the {@code content} column of Spark's {@code binaryFile} source) or {@link #PATH} (a {@code string}
 * column of file paths or URIs, read with the executor's Hadoop file system: {@code file:}, {@code hdfs:},
 * {@code s3a:} ...).
 */
public enum ImageCell {
    /** Encoded image bytes. */
    BYTES,
    /** A path or URI of an image file. */
    PATH;

    /** The kind of a column of type {@code type}. */
    public static ImageCell of(String column, DataType type) {
        if (type instanceof BinaryType) {
            return BYTES;
        }
        if (type instanceof StringType) {
            return PATH;
        }
        throw new InvalidInputException("The image column '" + column + "' is " + type.simpleString() + ": give a"
                + " binary column of encoded image bytes (spark.read().format(\"binaryFile\") gives 'content') or a"
                + " string column of image paths. Spark's \"image\" source holds decoded pixels: use binaryFile instead");
    }

    /** The image of a non-null cell {@code value}. */
    ImageInput read(Object value) {
        if (this == BYTES) {
            return ImageInput.of((byte[]) value);
        }
        String where = (String) value;
        if (where.isBlank()) {
            throw new InvalidInputException("The image path is empty: give a path, or null for no image");
        }
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(where);
            FileSystem fs = path.getFileSystem(Hadoop.CONF);
            try (FSDataInputStream in = fs.open(path)) {
                return ImageInput.of(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException("Could not read the image " + where + ": " + e.getMessage(), e);
        }
    }

    /** The executor's Hadoop configuration (its core-site.xml and the like), made once per JVM when first needed. */
    private static final class Hadoop {
        static final Configuration CONF = new Configuration();
    }
}
