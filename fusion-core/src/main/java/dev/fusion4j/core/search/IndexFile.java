package dev.fusion4j.core.search;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.internal.AtomicFiles;
import dev.fusion4j.api.ModelLoadException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The on-disk format shared by the indexes (all numbers big-endian):
 *
 * <pre>
 * magic "F4JINDEX" (8 bytes) | int format version (1) | byte kind (0 exact, 1 hnsw) | UTF id codec name
 * | int dimension | int count | int p, then p longs (implementation parameters)
 * | count × (id via codec, dimension floats of the L2-normalised vector)
 * | long CRC-32 of everything before it
 * </pre>
 *
 * Written to a temporary file in the target directory, forced to disk, then atomically renamed.
 */
final class IndexFile {
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "F4JINDEX".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PARAMS = 64;

    /** Which implementation wrote a file. */
    enum Kind { EXACT, HNSW }

    /** What precedes the entries. */
    record Header(Kind kind, String codec, int dimension, int count, long[] params) {
    }

    /** A file read back: header, ids in file order and their vectors, row-major. */
    record Contents<K>(Header header, List<K> ids, float[] vectors) {
    }

    private IndexFile() {
    }

    /** Writes the rows of {@code rows} accepted by {@code live}, with their ids, atomically to {@code file}. */
    static <K> void write(Path file, Kind kind, IdCodec<K> codec, long[] params, VectorRows rows, List<K> ids,
            IntPredicate live) {
        if (file == null) {
            throw new InvalidInputException("file is null: pass the path to save the index to");
        }
        Path target = file.toAbsolutePath();
        int count = 0;
        for (int row = 0; row < rows.count(); row++) {
            count += live.test(row) ? 1 : 0;
        }
        int liveCount = count;
        AtomicFiles.write(target, "the index", buffered -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeByte(kind.ordinal());
            out.writeUTF(codec.name());
            out.writeInt(rows.dimension());
            out.writeInt(liveCount);
            out.writeInt(params.length);
            for (long p : params) {
                out.writeLong(p);
            }
            float[] data = rows.data();
            for (int row = 0; row < rows.count(); row++) {
                if (live.test(row)) {
                    codec.write(ids.get(row), out);
                    int offset = row * rows.dimension();
                    for (int j = 0; j < rows.dimension(); j++) {
                        out.writeFloat(data[offset + j]);
                    }
                }
            }
            out.flush();
            new DataOutputStream(buffered).writeLong(crc.getValue());
        });
    }

    /** Reads and verifies a whole file; see the class comment for the layout. */
    static <K> Contents<K> read(Path file, IdCodec<K> codec) {
        if (file == null) {
            throw new InvalidInputException("file is null: pass the path of a saved index");
        }
        if (codec == null) {
            throw new InvalidInputException("codec is null: pass the IdCodec the index was saved with");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            long fileSize = Files.size(file);
            InputStream buffered = new BufferedInputStream(raw, 1 << 16);
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ModelLoadException(file + " is not a fusion4j index file (wrong magic header)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelLoadException(file + " has index format version " + version + "; this fusion4j"
                        + " reads version " + FORMAT_VERSION);
            }
            int kindOrdinal = in.readUnsignedByte();
            if (kindOrdinal >= Kind.values().length) {
                throw corrupt(file, "unknown index kind " + kindOrdinal);
            }
            String codecName = in.readUTF();
            int dimension = in.readInt();
            int count = in.readInt();
            if (dimension < 1 || count < 0 || (long) count * dimension * Float.BYTES > fileSize
                    || (long) count * dimension > Integer.MAX_VALUE - 8) {
                throw corrupt(file, "dimension " + dimension + " and count " + count + " do not fit a file of "
                        + fileSize + " bytes");
            }
            int paramCount = in.readInt();
            if (paramCount < 0 || paramCount > MAX_PARAMS) {
                throw corrupt(file, "parameter count " + paramCount);
            }
            long[] params = new long[paramCount];
            for (int i = 0; i < paramCount; i++) {
                params[i] = in.readLong();
            }
            if (!codecName.equals(codec.name())) {
                throw new InvalidInputException(file + " was saved with the '" + codecName + "' id codec but is"
                        + " loaded with '" + codec.name() + "': pass the same IdCodec to load as to save");
            }
            List<K> ids = new ArrayList<>(count);
            float[] vectors = new float[count * dimension];
            for (int row = 0; row < count; row++) {
                ids.add(codec.read(in));
                int offset = row * dimension;
                for (int j = 0; j < dimension; j++) {
                    vectors[offset + j] = in.readFloat();
                }
            }
            long actual = crc.getValue();
            long expected = new DataInputStream(buffered).readLong();
            if (actual != expected || buffered.read() != -1) {
                throw corrupt(file, "checksum mismatch or trailing bytes");
            }
            Header header = new Header(Kind.values()[kindOrdinal], codecName, dimension, count, params);
            return new Contents<>(header, ids, vectors);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Index file " + file + " does not exist", e);
        } catch (EOFException e) {
            throw new ModelLoadException("Index file " + file + " is truncated: save it again", e);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read index file " + file + ": " + e, e);
        }
    }

    /** Parameter {@code i} of {@code header}, or a {@link ModelLoadException} if the file has too few. */
    static long param(Header header, int i) {
        if (i >= header.params().length) {
            throw new ModelLoadException("Index file of kind " + header.kind() + " has " + header.params().length
                    + " parameters, expected more than " + i + ": the file is corrupt");
        }
        return header.params()[i];
    }

    private static ModelLoadException corrupt(Path file, String detail) {
        return new ModelLoadException("Index file " + file + " is corrupt (" + detail + "): save it again");
    }

    /** Makes the rename durable where the platform allows opening a directory; best effort elsewhere. */
}
