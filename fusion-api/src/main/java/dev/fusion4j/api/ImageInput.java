package dev.fusion4j.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An image to encode: a file, encoded bytes (PNG, JPEG, GIF, BMP), or an already decoded
 * {@link BufferedImage}.
 *
 * <p>A file is read when the image is encoded, not when this value is made, so a missing or
 * unreadable file surfaces as an {@link InvalidInputException} from the encoder that names the path.
 * Bytes and streams are copied now. A {@code BufferedImage} is held by reference (images are
 * large): do not change it while it may be encoded.
 */
public final class ImageInput {
    private final Path path;
    private final byte[] bytes;
    private final BufferedImage image;

    private ImageInput(Path path, byte[] bytes, BufferedImage image) {
        this.path = path;
        this.bytes = bytes;
        this.image = image;
    }

    /** An image file, read when encoded. */
    public static ImageInput of(Path path) {
        if (path == null) {
            throw new InvalidInputException("Image path is null: pass the path of a PNG, JPEG, GIF or BMP file");
        }
        return new ImageInput(path, null, null);
    }

    /** Encoded image bytes (PNG, JPEG, GIF or BMP); the array is copied. */
    public static ImageInput of(byte[] encoded) {
        if (encoded == null) {
            throw new InvalidInputException("Image bytes are null: pass the bytes of a PNG, JPEG, GIF or BMP file");
        }
        return new ImageInput(null, encoded.clone(), null);
    }

    /** A decoded image, held by reference. */
    public static ImageInput of(BufferedImage image) {
        if (image == null) {
            throw new InvalidInputException("BufferedImage is null: pass a decoded image");
        }
        return new ImageInput(null, null, image);
    }

    /** Reads the whole stream now (the caller closes it). */
    public static ImageInput of(InputStream stream) {
        if (stream == null) {
            throw new InvalidInputException("Image stream is null: pass a stream of PNG, JPEG, GIF or BMP bytes");
        }
        try {
            return new ImageInput(null, stream.readAllBytes(), null);
        } catch (IOException e) {
            throw new InvalidInputException("Could not read the image stream: " + e.getMessage(), e);
        }
    }

    /** The file this image comes from, if it was made with {@link #of(Path)}. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The decoded image, if it was made with {@link #of(BufferedImage)}. */
    public Optional<BufferedImage> bufferedImage() {
        return Optional.ofNullable(image);
    }

    /**
     * The encoded bytes: the file's content or a copy of the bytes given.
     *
     * @throws InvalidInputException if the file cannot be read
     * @throws IllegalStateException if this input is a decoded {@link BufferedImage} (check
     *     {@link #bufferedImage()} first)
     */
    public byte[] readBytes() {
        if (bytes != null) {
            return bytes.clone();
        }
        if (path != null) {
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException("Image file " + path + " does not exist: check the path", e);
            } catch (IOException | UncheckedIOException e) {
                throw new InvalidInputException("Could not read image file " + path + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("This ImageInput holds a decoded BufferedImage, not encoded bytes");
    }

    /** A short description for messages: the path, the byte count or the image size. */
    public String describe() {
        if (path != null) {
            return "image file " + path;
        }
        if (bytes != null) {
            return "image of " + bytes.length + " bytes";
        }
        return "BufferedImage " + image.getWidth() + "x" + image.getHeight();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageInput other)) {
            return false;
        }
        return Objects.equals(path, other.path) && Arrays.equals(bytes, other.bytes) && image == other.image;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(path) + Arrays.hashCode(bytes)) + System.identityHashCode(image);
    }

    @Override
    public String toString() {
        return "ImageInput[" + describe() + "]";
    }
}
