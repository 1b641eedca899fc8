package dev.fusion4j.spark.internal;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The function a {@code FusionEmbedderTransformer} runs on each partition: takes the partition's rows in batches
 * of {@code batchSize}, embeds each batch with one {@code embedAll} call on the executor's cached embedder, and
 * returns every input row with the embedding (and vector) and error columns appended, in the input order.
 *
 * <p>A row whose text and image are both null, whose image cannot be read or decoded, or that the embedder
 * otherwise refuses ({@link InvalidInputException}) gets a null embedding and its error message; the other rows of
 * its batch are embedded together as if it were not there. Any other failure (a model that does not load, native
 * errors) fails the task, which Spark retries and then reports.
 */
public final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final EmbedderConfig config;
    private final TaskThreads threads;
    private final int textIndex;
    private final int imageIndex;
    private final ImageCell imageCell;
    private final boolean vector;
    private final Broadcast<byte[]> broadcastModel;

    /**
     * @param config the configuration, with {@code threads} still to be resolved on the executor
     * @param textIndex the text column's index, or -1 for none
     * @param imageIndex the image column's index, or -1 for none
     * @param imageCell how the image column holds images (ignored without one)
     * @param vector whether to append an ML vector column after the array column
     * @param broadcastModel the broadcast model bytes, or null
     */
    public PartitionEmbedder(EmbedderConfig config, TaskThreads threads, int textIndex, int imageIndex,
            ImageCell imageCell, boolean vector, Broadcast<byte[]> broadcastModel) {
        this.config = config;
        this.threads = threads;
        this.textIndex = textIndex;
        this.imageIndex = imageIndex;
        this.imageCell = imageCell;
        this.vector = vector;
        this.broadcastModel = broadcastModel;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        EmbedderConfig resolved = new EmbedderConfig(config.textModel(), config.imageModel(), config.strategy(),
                config.fusionModel(), threads.resolve(), config.batchSize());
        return new Iterator<>() {
            private List<Row> pending = List.of();
            private int next;
            private MultimodalEmbedder embedder;

            @Override
            public boolean hasNext() {
                if (next < pending.size()) {
                    return true;
                }
                if (!rows.hasNext()) {
                    return false;
                }
                List<Row> batch = new ArrayList<>(resolved.batchSize());
                while (batch.size() < resolved.batchSize() && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (embedder == null) {
                    embedder = EmbedderCache.get(resolved,
                            () -> broadcastModel == null ? null : broadcastModel.value()).embedder();
                }
                pending = embedBatch(embedder, batch);
                next = 0;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.get(next++);
            }
        };
    }

    /** The batch's rows with their results appended. */
    List<Row> embedBatch(MultimodalEmbedder embedder, List<Row> batch) {
        int n = batch.size();
        Embedding[] embeddings = new Embedding[n];
        String[] errors = new String[n];
        List<Integer> good = new ArrayList<>(n);
        List<MultimodalInput> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                inputs.add(input(batch.get(i)));
                good.add(i);
            } catch (InvalidInputException e) {
                errors[i] = e.getMessage();
            }
        }
        embed(embedder, inputs, good, embeddings, errors);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(appended(batch.get(i), embeddings[i], errors[i]));
        }
        return out;
    }

    /**
     * Embeds {@code inputs} (the rows {@code at}) in one call; if the embedder refuses the batch, finds the rows it
     * refuses one by one, records their errors, and embeds the others again in one call.
     */
    private static void embed(MultimodalEmbedder embedder, List<MultimodalInput> inputs, List<Integer> at,
            Embedding[] embeddings, String[] errors) {
        if (inputs.isEmpty()) {
            return;
        }
        try {
            List<Embedding> result = embedder.embedAll(inputs);
            for (int k = 0; k < result.size(); k++) {
                embeddings[at.get(k)] = result.get(k);
            }
            return;
        } catch (InvalidInputException batchFailure) {
            if (inputs.size() == 1) {
                errors[at.get(0)] = batchFailure.getMessage();
                return;
            }
        }
        List<MultimodalInput> accepted = new ArrayList<>(inputs.size());
        List<Integer> acceptedAt = new ArrayList<>(inputs.size());
        for (int k = 0; k < inputs.size(); k++) {
            try {
                embedder.embed(inputs.get(k));
                accepted.add(inputs.get(k));
                acceptedAt.add(at.get(k));
            } catch (InvalidInputException e) {
                errors[at.get(k)] = e.getMessage();
            }
        }
        if (accepted.size() < inputs.size()) {
            embed(embedder, accepted, acceptedAt, embeddings, errors);
        } else {
            throw new IllegalStateException("The embedder refused a batch of " + inputs.size() + " records but"
                    + " accepted each of them alone");
        }
    }

    /** The row's record; a row with neither a text nor an image is an {@link InvalidInputException}. */
    private MultimodalInput input(Row row) {
        MultimodalInput.Builder b = MultimodalInput.builder();
        boolean any = false;
        if (textIndex >= 0 && !row.isNullAt(textIndex)) {
            b.text(row.getString(textIndex));
            any = true;
        }
        if (imageIndex >= 0 && !row.isNullAt(imageIndex)) {
            b.image(imageCell.read(row.get(imageIndex)));
            any = true;
        }
        if (!any) {
            throw new InvalidInputException("The row has neither a text nor an image (both columns are null):"
                    + " nothing to embed");
        }
        return b.build();
    }

    private Row appended(Row row, Embedding embedding, String error) {
        int width = row.length();
        Object[] values = new Object[width + (vector ? 3 : 2)];
        for (int c = 0; c < width; c++) {
            values[c] = row.get(c);
        }
        float[] array = embedding == null ? null : embedding.toArray();
        values[width] = array;
        if (vector) {
            values[width + 1] = array == null ? null : Vectors.dense(toDoubles(array));
        }
        values[values.length - 1] = error;
        return RowFactory.create(values);
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
