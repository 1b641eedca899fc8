package dev.fusion4j.spark;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.spark.internal.Columns;
import dev.fusion4j.spark.internal.EncoderModels;
import dev.fusion4j.spark.internal.ImageCell;
import dev.fusion4j.spark.internal.TrainingRows;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link FusionModel} on the driver from a DataFrame of labelled records: the rows are collected to the
 * driver (at most {@code maxRecords}: a fusion head needs thousands of examples, not millions; sample a larger
 * table first), encoded there with the bundled models, and fitted with a {@link FusionTrainer}. Ship the result
 * to the executors with {@link ModelShipping}.
 *
 * <pre>{@code
 * FusionModel model = FusionTraining.fit(labelled, "name", "content", "subcategory", 50_000,
 *         FusionTrainer.builder().strategy(Fusions.attention()).epochs(30).seed(7));
 * embed.setFusionModel(ModelShipping.upload(model, spark, "hdfs:///models/catalogue.f4m"));
 * }</pre>
 */
public final class FusionTraining {
    private FusionTraining() {
    }

    /**
     * The labelled examples of {@code data}, collected to the driver.
     *
     * @param textCol the text column (string), or null for none
     * @param imageCol the image column (binary bytes or string paths), or null for none
     * @param labelCol the label column (any type; its string value is the label)
     * @throws InvalidInputException if a column is missing or of the wrong type, {@code data} has more than
     *     {@code maxRecords} rows, or a row has no label or neither a text nor an image (the message counts them)
     */
    public static List<TrainingExample> collect(Dataset<Row> data, String textCol, String imageCol, String labelCol,
            int maxRecords) {
        if (textCol == null && imageCol == null) {
            throw new InvalidInputException("Give a text column, an image column or both");
        }
        if (labelCol == null) {
            throw new InvalidInputException("Give the label column: training a FusionModel is classification");
        }
        if (maxRecords < 1) {
            throw new InvalidInputException("maxRecords must be at least 1, was " + maxRecords);
        }
        List<Column> columns = new ArrayList<>();
        columns.add(functions.col(labelCol).cast("string"));
        if (textCol != null) {
            Columns.requireString(data.schema(), textCol, "text column");
            columns.add(functions.col(textCol));
        }
        ImageCell cell = imageCol == null ? null
                : ImageCell.of(imageCol, Columns.type(data.schema(), imageCol, "image column"));
        if (imageCol != null) {
            columns.add(functions.col(imageCol));
        }
        Columns.type(data.schema(), labelCol, "label column");
        List<Row> rows = data.select(columns.toArray(Column[]::new)).limit(maxRecords + 1).collectAsList();
        if (rows.size() > maxRecords) {
            throw new InvalidInputException("The training data has more than " + maxRecords + " rows: sample it"
                    + " (data.sample(fraction, seed)) or raise maxRecords; every row is collected to the driver");
        }
        return TrainingRows.examples(rows, textCol != null, cell);
    }

    /**
     * Collects {@code data} ({@link #collect}), encodes it with the bundled models (the text one when
     * {@code textCol} is set, the image one when {@code imageCol} is), and fits {@code trainer} on it.
     *
     * @param trainer a trainer builder with the strategy and training settings; its encoders are set here
     */
    public static FusionModel fit(Dataset<Row> data, String textCol, String imageCol, String labelCol,
            int maxRecords, FusionTrainer.Builder trainer) {
        if (trainer == null) {
            throw new InvalidInputException("Give a FusionTrainer.builder() with the strategy and settings to train");
        }
        List<TrainingExample> examples = collect(data, textCol, imageCol, labelCol, maxRecords);
        // the driver's cores: half to each encoder (they run at the same time), the rest decode images
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.max(1, cores / 2);
        TextEncoder text = null;
        ImageEncoder image = null;
        try {
            if (textCol != null) {
                text = EncoderModels.text(EncoderModels.BUNDLED_TEXT, threads);
                trainer.text(text);
            }
            if (imageCol != null) {
                image = EncoderModels.image(EncoderModels.BUNDLED_IMAGE, threads, Math.max(0, cores - 1));
                trainer.image(image);
            }
            return trainer.build().fit(examples);
        } finally {
            if (text != null) {
                text.close();
            }
            if (image != null) {
                image.close();
            }
        }
    }
}
