package dev.fusion4j.spark;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.spark.internal.Columns;
import dev.fusion4j.spark.internal.EmbedderConfig;
import dev.fusion4j.spark.internal.EncoderModels;
import dev.fusion4j.spark.internal.ImageCell;
import dev.fusion4j.spark.internal.ModelFiles;
import dev.fusion4j.spark.internal.PartitionEmbedder;
import dev.fusion4j.spark.internal.TaskThreads;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/**
 * A Spark ML {@link Transformer} that embeds and fuses each row's text and image into one embedding with fusion4j.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("hdfs:///catalogue/images");
 * FusionEmbedderTransformer embed = new FusionEmbedderTransformer()
 *         .setTextCol("title").setImageCol("content")         // either may be null in a row (absent modality)
 *         .setStrategy("attention(dimension=256,heads=4)")     // or setFusionModel("hdfs:///models/catalogue.f4m")
 *         .setVectorCol("features");                           // for Spark ML's KMeans, LSH, ...
 * Dataset<Row> embedded = embed.transform(products.join(images, "path"));
 * }</pre>
 *
 * <p>Columns: {@code textCol} (string) and {@code imageCol} (binary encoded image bytes, e.g. {@code binaryFile}'s
 * {@code content}, or a string of image paths) are read; at least one must be set. It appends {@code outputCol}
 * ({@code array<float>}, null for a bad row), {@code vectorCol} (an ML {@code Vector}, when set) and
 * {@code errorCol} (string: null when the row was embedded, else what was wrong with it). A row with no text and
 * no image, or whose image cannot be read or decoded, never fails the job and never disappears: it has a null
 * embedding and its error.
 *
 * <p>Execution: each executor JVM loads the encoders and strategy once per distinct configuration (models,
 * strategy or trained model, threads, batch size) and keeps them for every later task and job
 * ({@link ExecutorEmbedders}); each task sends its partition through {@code embedAll} in batches of
 * {@code batchSize}, using {@code threadsPerTask} threads (by default the CPUs Spark reserved for the task,
 * {@code spark.task.cpus}: see docs/spark.md).
 *
 * <p>Persistence: every param is a plain string or number, so the stage, and a {@code Pipeline} holding it, saves
 * and loads with Spark ML's {@code save}/{@code load}. A model given as broadcast bytes
 * ({@link #setFusionModelBroadcast}) lives only in this application and cannot be saved: save the model to a file
 * on the cluster file system and use {@link #setFusionModel(String)} for a pipeline you keep.
 */
public final class FusionEmbedderTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> textCol;
    private final Param<String> imageCol;
    private final Param<String> outputCol;
    private final Param<String> vectorCol;
    private final Param<String> errorCol;
    private final Param<String> textModel;
    private final Param<String> imageModel;
    private final Param<String> strategy;
    private final Param<String> fusionModel;
    private final IntParam batchSize;
    private final IntParam threadsPerTask;
    /** The broadcast model of this application, if any (not a param: never saved). */
    private transient Broadcast<byte[]> broadcastModel;

    /** A stage with a random uid and the defaults. */
    public FusionEmbedderTransformer() {
        this(Identifiable.randomUID("fusionEmbedder"));
    }

    /** A stage with {@code uid} (what Spark ML's loader calls). */
    public FusionEmbedderTransformer(String uid) {
        this.uid = uid;
        textCol = new Param<>(this, "textCol", "the text column (string); unset: no text modality");
        imageCol = new Param<>(this, "imageCol",
                "the image column (binary: encoded image bytes; string: image paths); unset: no image modality");
        outputCol = new Param<>(this, "outputCol", "the embedding column to append (array<float>)");
        vectorCol = new Param<>(this, "vectorCol", "an ML Vector column to append beside outputCol; unset: none");
        errorCol = new Param<>(this, "errorCol", "the error column to append (string; null when the row is fine)");
        textModel = new Param<>(this, "textModel",
                "the text model: " + EncoderModels.BUNDLED_TEXT + " or a directory on every executor");
        imageModel = new Param<>(this, "imageModel",
                "the image model: " + EncoderModels.BUNDLED_IMAGE + " or a directory on every executor");
        strategy = new Param<>(this, "strategy", "the fusion strategy spec (see StrategySpecs), e.g. concat");
        fusionModel = new Param<>(this, "fusionModel",
                "a trained FusionModel file (local to every executor, or on hdfs://, s3a://...); replaces strategy");
        batchSize = new IntParam(this, "batchSize", "records per embedAll call", ParamValidators.gtEq(1));
        threadsPerTask = new IntParam(this, "threadsPerTask",
                "threads per task; 0 = the task's CPUs (spark.task.cpus)", ParamValidators.gtEq(0));
        setDefault(outputCol, "embedding");
        setDefault(errorCol, "embedding_error");
        setDefault(textModel, EncoderModels.BUNDLED_TEXT);
        setDefault(imageModel, EncoderModels.BUNDLED_IMAGE);
        setDefault(strategy, "concat");
        setDefault(batchSize, 64);
        setDefault(threadsPerTask, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The text column param. */
    public Param<String> textCol() {
        return textCol;
    }

    /** The image column param. */
    public Param<String> imageCol() {
        return imageCol;
    }

    /** The embedding column param (default {@code embedding}). */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** The vector column param (unset by default: no vector column). */
    public Param<String> vectorCol() {
        return vectorCol;
    }

    /** The error column param (default {@code embedding_error}). */
    public Param<String> errorCol() {
        return errorCol;
    }

    /** The text model param (default the bundled all-MiniLM-L6-v2). */
    public Param<String> textModel() {
        return textModel;
    }

    /** The image model param (default the bundled MobileNetV2). */
    public Param<String> imageModel() {
        return imageModel;
    }

    /** The strategy spec param (default {@code concat}). */
    public Param<String> strategy() {
        return strategy;
    }

    /** The trained model param (unset by default: the strategy spec is used). */
    public Param<String> fusionModel() {
        return fusionModel;
    }

    /** The batch size param (default 64). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The threads-per-task param (default 0: the rule of docs/spark.md). */
    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    /** Reads text from {@code column} (string; null = no text in that row). */
    public FusionEmbedderTransformer setTextCol(String column) {
        return with(textCol, column);
    }

    /** Reads images from {@code column} (binary bytes or string paths; null = no image in that row). */
    public FusionEmbedderTransformer setImageCol(String column) {
        return with(imageCol, column);
    }

    /** Appends the embeddings as {@code column}. */
    public FusionEmbedderTransformer setOutputCol(String column) {
        return with(outputCol, column);
    }

    /** Also appends the embeddings as an ML {@code Vector} column {@code column}. */
    public FusionEmbedderTransformer setVectorCol(String column) {
        return with(vectorCol, column);
    }

    /** Appends the errors as {@code column}. */
    public FusionEmbedderTransformer setErrorCol(String column) {
        return with(errorCol, column);
    }

    /** The text model: {@code bundled:all-minilm-l6-v2} or a directory present on every executor. */
    public FusionEmbedderTransformer setTextModel(String model) {
        return with(textModel, model);
    }

    /** The image model: {@code bundled:mobilenet-v2} or a directory present on every executor. */
    public FusionEmbedderTransformer setImageModel(String model) {
        return with(imageModel, model);
    }

    /** The fusion strategy as a {@link StrategySpecs} string, e.g. {@code attention(dimension=256)}. */
    public FusionEmbedderTransformer setStrategy(String spec) {
        StrategySpecs.parse(spec);
        return with(strategy, spec);
    }

    /**
     * A trained {@code FusionModel} file, used instead of the strategy: a path present on every executor, or a
     * Hadoop file system URI ({@code hdfs://}, {@code s3a://}) that each executor copies once
     * ({@link ModelShipping#upload}).
     */
    public FusionEmbedderTransformer setFusionModel(String file) {
        if (file != null && file.startsWith(ModelFiles.BROADCAST_PREFIX)) {
            throw new InvalidInputException("'" + file + "' names a broadcast model: pass the Broadcast itself to"
                    + " setFusionModelBroadcast");
        }
        broadcastModel = null;
        return with(fusionModel, file);
    }

    /**
     * A trained model as broadcast bytes ({@link ModelShipping#broadcast}), used instead of the strategy. Lives
     * only in this application: a stage holding one refuses to be saved.
     */
    public FusionEmbedderTransformer setFusionModelBroadcast(Broadcast<byte[]> model) {
        if (model == null) {
            throw new InvalidInputException("The broadcast model is null: pass what ModelShipping.broadcast returned");
        }
        broadcastModel = model;
        set(fusionModel, ModelFiles.BROADCAST_PREFIX + ModelShipping.sha256(model.value()));
        return this;
    }

    /** Records per {@code embedAll} call (default 64). */
    public FusionEmbedderTransformer setBatchSize(int size) {
        return with(batchSize, size);
    }

    /** Threads per task; 0 (default) = the CPUs Spark reserved for the task ({@code spark.task.cpus}). */
    public FusionEmbedderTransformer setThreadsPerTask(int threads) {
        return with(threadsPerTask, threads);
    }

    private <T> FusionEmbedderTransformer with(Param<T> param, T value) {
        if (value == null) {
            clear(param);
        } else {
            set(param, value);
        }
        return this;
    }

    private String string(Param<String> param) {
        return isDefined(param) ? getOrDefault(param) : null;
    }

    private int integer(IntParam param) {
        return (Integer) getOrDefault(param);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String text = string(textCol);
        String image = string(imageCol);
        if (text == null && image == null) {
            throw new InvalidInputException("Neither textCol nor imageCol is set: set at least one of them"
                    + " (setTextCol, setImageCol)");
        }
        if (text != null) {
            Columns.requireString(schema, text, "textCol");
            EncoderModels.check(getOrDefault(textModel), EncoderModels.BUNDLED_TEXT, "text");
        }
        if (image != null) {
            ImageCell.of(image, Columns.type(schema, image, "imageCol"));
            EncoderModels.check(getOrDefault(imageModel), EncoderModels.BUNDLED_IMAGE, "image");
        }
        if (string(fusionModel) == null) {
            StrategySpecs.parse(getOrDefault(strategy));
        } else if (string(fusionModel).startsWith(ModelFiles.BROADCAST_PREFIX) && broadcastModel == null) {
            throw new InvalidInputException("This stage names a broadcast model (" + string(fusionModel) + ") but"
                    + " holds none: broadcast bytes do not survive a save; give the stage setFusionModelBroadcast(..)"
                    + " or a model file (setFusionModel)");
        }
        StructType out = schema;
        out = append(out, getOrDefault(outputCol), DataTypes.createArrayType(DataTypes.FloatType, false), "outputCol");
        if (string(vectorCol) != null) {
            out = append(out, string(vectorCol), SQLDataTypes.VectorType(), "vectorCol");
        }
        return append(out, getOrDefault(errorCol), DataTypes.StringType, "errorCol");
    }

    private static StructType append(StructType schema, String column, org.apache.spark.sql.types.DataType type,
            String param) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new InvalidInputException("The " + param + " '" + column + "' is already a column of the data:"
                    + " choose another name (set" + Character.toUpperCase(param.charAt(0)) + param.substring(1) + ")");
        }
        return schema.add(new StructField(column, type, true, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        Dataset<Row> df = dataset.toDF();
        StructType in = df.schema();
        StructType out = transformSchema(in);
        String text = string(textCol);
        String image = string(imageCol);
        int textIndex = text == null ? -1 : in.fieldIndex(text);
        int imageIndex = image == null ? -1 : in.fieldIndex(image);
        ImageCell cell = image == null ? ImageCell.BYTES : ImageCell.of(image, in.apply(image).dataType());
        TaskThreads threads = new TaskThreads(integer(threadsPerTask));
        EmbedderConfig config = new EmbedderConfig(text == null ? null : getOrDefault(textModel),
                image == null ? null : getOrDefault(imageModel), getOrDefault(strategy), string(fusionModel), 0,
                integer(batchSize));
        PartitionEmbedder embed = new PartitionEmbedder(config, threads, textIndex, imageIndex, cell,
                string(vectorCol) != null, string(fusionModel) == null ? null : broadcastModel);
        return df.mapPartitions(embed, Encoders.row(out));
    }

    @Override
    public FusionEmbedderTransformer copy(ParamMap extra) {
        FusionEmbedderTransformer copy = defaultCopy(extra);
        copy.broadcastModel = broadcastModel;
        return copy;
    }

    /** Saves the params; refused while the stage holds a broadcast model (which a save cannot keep). */
    @Override
    public MLWriter write() {
        if (broadcastModel != null) {
            throw new InvalidInputException("This stage holds a broadcast model, which lives only in this"
                    + " application: save the model to a file on the cluster file system (ModelShipping.upload) and"
                    + " setFusionModel(uri) before saving the stage or its pipeline");
        }
        return DefaultParamsWritable.super.write();
    }

    /** The reader Spark ML's {@code load} (and {@code Pipeline.load}) uses. */
    public static MLReader<FusionEmbedderTransformer> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a stage saved with {@code save(path)}. */
    public static FusionEmbedderTransformer load(String path) {
        return read().load(path);
    }
}
