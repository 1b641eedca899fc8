package dev.fusion4j.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.encoders.image.ImagePreprocessor;
import dev.fusion4j.encoders.internal.AdaptiveRegions;
import dev.fusion4j.encoders.internal.CloseGuard;
import dev.fusion4j.encoders.internal.NativeModel;
import dev.fusion4j.encoders.internal.PreparationPool;
import dev.fusion4j.encoders.internal.PreparedBatch;
import dev.fusion4j.encoders.internal.Vectors;
import dev.fusion4j.encoders.internal.RuntimeOptions;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CNN image encoder: decode (PNG, JPEG, GIF, BMP), resize, centre-crop and normalise with an
 * {@link ImagePreprocessor}, then an ONNX or TorchScript network whose output is the pooled feature
 * vector {@code [batch, D]} (a {@code [batch, D, h, w]} feature map is average-pooled). The output
 * dimension D is read from the model when it is loaded.
 *
 * <p>Works for ResNet feature extractors ({@code fc} replaced by identity), MobileNet, EfficientNet
 * and the like. Images of a batch are decoded in parallel, and in {@code encodeAll} the next batch is
 * decoded while the model runs the current one ({@link Builder#prefetch(boolean)}). Thread-safe.
 *
 * <p><b>Regions.</b> {@link #encodeSequence} also returns a spatial grid: the model's feature map {@code [C, h, w]}
 * (the first output of rank 4: the bundled MobileNetV2 has a second output {@code feature_map} [N, 1280, 7, 7]
 * beside its pooled {@code features}; a ResNet cut before its {@code avgpool} has it as its only output),
 * average-pooled to {@code g × g} regions as PyTorch's {@code adaptive_avg_pool2d} does (region {@code i} spans rows
 * {@code ⌊i h / g⌋ .. ⌈(i+1) h / g⌉}, so for 7 → 3 neighbouring regions share a row), row-major from the top left,
 * not normalised. {@code g} is {@link Builder#regions(int)} (default 3). Memory per image: {@code 4 · g² · C} bytes
 * (3 × 3 × 1280: 46 KB; the full 7 × 7: 251 KB). The pooled embedding is the same bits as {@link #encode}'s.
 *
 * <pre>{@code
 * ImageEncoder resnet = CnnImageEncoder.builder().model(ModelSource.path(dir)).build();
 * }</pre>
 */
public final class CnnImageEncoder implements SequenceImageEncoder {
    private final NativeModel model;
    private final ImagePreprocessor preprocessor;
    private final int batchSize;
    private final int regions;
    private final boolean normalize;
    private final int dimension;
    private final String id;
    private final CloseGuard guard;
    private final boolean prefetch;
    /** Decodes and preprocesses images of a batch; daemon threads, shut down by {@link #close()}. */
    private final PreparationPool preparation;
    /** Pool tasks preparing the first batch (beside the caller) and the next batch (beside the model). */
    private final int preparationThreads;
    private final int prefetchThreads;

    /** Inputs of a tokenised text model: an image model never takes them. */
    private static final Set<String> TEXT_MODEL_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private CnnImageEncoder(Builder b, NativeModel model) {
        this.model = model;
        int cores = Runtime.getRuntime().availableProcessors();
        this.preparationThreads = b.preparationThreads >= 0 ? b.preparationThreads : cores - 1;
        // while the model runs, it holds intraOpThreads cores (0 = ONNX Runtime's one per core)
        int modelThreads = b.intraOpThreads > 0 ? b.intraOpThreads : cores;
        int prefetchBesideModel = Math.max(1, cores - modelThreads);
        this.prefetchThreads = b.preparationThreads >= 0 ? Math.min(b.preparationThreads, prefetchBesideModel)
                : prefetchBesideModel;
        this.prefetch = b.prefetch && prefetchThreads > 0;
        this.preparation = new PreparationPool(Math.max(1, b.preparationThreads >= 0 ? b.preparationThreads : cores));
        this.preprocessor = b.preprocessor;
        this.batchSize = b.batchSize;
        this.regions = b.regions;
        this.normalize = b.normalize;
        String name = b.name != null ? b.name : model.description();
        this.guard = new CloseGuard("CnnImageEncoder(" + name + ")");
        this.dimension = probeDimension();
        this.id = "cnn:" + name + ":" + preprocessor.id() + (normalize ? ":norm" : "") + ":" + dimension;
    }

    public static Builder builder() {
        return new Builder();
    }

    private int probeDimension() {
        try {
            refuseTextModel();
            float[] zeros = new float[pixelsPerImage()];
            return forward(zeros, 1, null)[0].length;
        } catch (RuntimeException e) {
            preparation.close();
            model.close();
            if (e instanceof FusionException fe) {
                throw fe;
            }
            throw new IncompatibleModelException("The image model " + model.description() + " failed on a "
                    + preprocessor.channels() + "x" + preprocessor.height() + "x" + preprocessor.width()
                    + " input: " + e.getMessage() + ". Check the model's input size and set the preprocessing to match", e);
        }
    }

    /** A model that takes token ids is a text model: say so, rather than advise other preprocessing. */
    private void refuseTextModel() {
        List<String> tokenInputs = model.inputNames().stream().filter(TEXT_MODEL_INPUTS::contains).toList();
        if (!tokenInputs.isEmpty()) {
            throw new IncompatibleModelException("The image model " + model.description() + " takes " + tokenInputs
                    + ": that is a text (BERT-family) model, not a CNN. Load it with BertTextEncoder.builder()"
                    + ".model(..), and give CnnImageEncoder an image model whose input is a [N, 3, H, W] image");
        }
    }

    private int pixelsPerImage() {
        return preprocessor.channels() * preprocessor.height() * preprocessor.width();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String id() {
        return id;
    }

    /** The preprocessing this encoder applies. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public Embedding encode(ImageInput image) {
        if (image == null) {
            throw new InvalidInputException("The image is null: pass an ImageInput, or leave the image modality out");
        }
        return guard.call(() -> {
            float[] pixels = new float[pixelsPerImage()];
            preprocessor.preprocessInto(image, pixels, 0);
            return toEmbedding(forward(pixels, 1, null)[0]);
        });
    }

    /** Regions per side of the grid {@link #encodeSequence} returns. */
    public int regionsPerSide() {
        return regions;
    }

    @Override
    public EncodedSequence encodeSequence(ImageInput image) {
        if (image == null) {
            throw new InvalidInputException("The image is null: pass an ImageInput, or leave the image modality out");
        }
        return guard.call(() -> {
            float[] pixels = new float[pixelsPerImage()];
            preprocessor.preprocessInto(image, pixels, 0);
            float[][] grids = new float[1][];
            float[] pooled = forward(pixels, 1, grids)[0];
            return new EncodedSequence(toEmbedding(pooled), EmbeddingSequence.of(pooled.length, grids[0]));
        });
    }

    @Override
    public List<EncodedSequence> encodeSequenceAll(List<ImageInput> images) {
        checkImages(images);
        return guard.call(() -> prefetch ? encodePipelined(images, this::addSequences)
                : encodeSequentially(images, this::addSequences));
    }

    @Override
    public List<Embedding> encodeAll(List<ImageInput> images) {
        checkImages(images);
        return guard.call(() -> prefetch ? encodePipelined(images, this::addFeatures)
                : encodeSequentially(images, this::addFeatures));
    }

    private static void checkImages(List<ImageInput> images) {
        if (images == null) {
            throw new InvalidInputException("The list of images is null: pass a list (possibly empty)");
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new InvalidInputException("Image at index " + i + " is null");
            }
        }
    }

    /** Batch after batch: prepare (the caller and the preparation threads), then run. */
    private <R> List<R> encodeSequentially(List<ImageInput> images, BatchRun<R> run) {
        List<R> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += batchSize) {
            PreparedBatch batch = batch(images, start);
            run.add(out, batch.prepareNow(preparation, preparationThreads), batch.size());
        }
        return out;
    }

    /**
     * Batch k+1 is decoded and preprocessed on the preparation threads while the model runs batch k on the
     * calling thread; the first batch is prepared by the caller and the pool together. The model sees the
     * same tensors in the same order as {@link #encodeSequentially}, so the results are bit-identical.
     */
    private <R> List<R> encodePipelined(List<ImageInput> images, BatchRun<R> run) {
        List<R> out = new ArrayList<>(images.size());
        if (images.isEmpty()) {
            return out;
        }
        PreparedBatch current = batch(images, 0);
        float[] pixels = current.prepareNow(preparation, preparationThreads);
        while (true) {
            int nextStart = current.start() + current.size();
            PreparedBatch next = nextStart < images.size() ? batch(images, nextStart) : null;
            if (next != null) {
                next.prefetch(preparation, prefetchThreads);
            }
            try {
                run.add(out, pixels, current.size());
            } catch (RuntimeException | Error e) {
                if (next != null) {
                    next.cancel();
                }
                throw e;
            }
            if (next == null) {
                return out;
            }
            pixels = next.await();
            current = next;
        }
    }

    private PreparedBatch batch(List<ImageInput> images, int start) {
        return new PreparedBatch(images, start, Math.min(batchSize, images.size() - start), preprocessor);
    }

    /** Runs the model on one prepared batch of {@code n} images and adds its results to {@code out}. */
    private interface BatchRun<R> {
        void add(List<R> out, float[] pixels, int n);
    }

    private void addSequences(List<EncodedSequence> out, float[] pixels, int n) {
        float[][] grids = new float[n][];
        float[][] pooled = forward(pixels, n, grids);
        for (int i = 0; i < n; i++) {
            out.add(new EncodedSequence(toEmbedding(pooled[i]), EmbeddingSequence.of(pooled[i].length, grids[i])));
        }
    }

    private void addFeatures(List<Embedding> out, float[] pixels, int n) {
        for (float[] v : forward(pixels, n, null)) {
            out.add(toEmbedding(v));
        }
    }

    private Embedding toEmbedding(float[] v) {
        return Embedding.of(normalize ? Vectors.normalizeInPlace(v) : v);
    }

    /** The pooled features per image; with {@code grids} non-null, also each image's regions (row-major). */
    private float[][] forward(float[] pixels, int n, float[][] grids) {
        Shape shape = new Shape(n, preprocessor.channels(), preprocessor.height(), preprocessor.width());
        return model.run(m -> new NDList(m.create(FloatBuffer.wrap(pixels), shape, DataType.FLOAT32)), out -> {
            float[][] pooled = features(out.get(0), n);
            if (grids != null) {
                regions(featureMap(out), n, pooled[0].length, grids);
            }
            return pooled;
        });
    }

    private NDArray featureMap(NDList out) {
        for (NDArray a : out) {
            if (a.getShape().dimension() == 4) {
                return a;
            }
        }
        throw new IncompatibleModelException("The image model " + model.description() + " returns only "
                + out.getShapes().length + " output(s) of shape " + out.get(0).getShape() + ", no feature map"
                + " [batch, channels, h, w] to cut into regions: export the network cut before its global pooling"
                + " (e.g. a ResNet without avgpool and fc), or with the map as a second output");
    }

    /** Each image's {@code [C, h, w]} map pooled to {@code g × g} regions ({@link AdaptiveRegions}). */
    private void regions(NDArray map, int n, int pooledWidth, float[][] grids) {
        Shape s = map.getShape();
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (s.get(0) != n || c != pooledWidth) {
            throw new IncompatibleModelException("The image model " + model.description() + " returns a feature"
                    + " map " + s + " that does not match its pooled features (" + pooledWidth + " for a batch of "
                    + n + "): the map must be the layer the features are pooled from");
        }
        if (regions > h || regions > w) {
            throw new InvalidInputException("regions(" + regions + ") asks for more regions per side than the"
                    + " model's " + h + "x" + w + " feature map has cells: choose at most " + Math.min(h, w));
        }
        float[] data = map.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < n; i++) {
            grids[i] = AdaptiveRegions.pool(data, i, c, h, w, regions);
        }
    }

    private float[][] features(NDArray output, int n) {
        Shape s = output.getShape();
        if (s.dimension() < 2 || s.get(0) != n) {
            throw new IncompatibleModelException("The image model " + model.description() + " returned shape " + s
                    + " for a batch of " + n + "; expected [batch, features] or [batch, channels, h, w]");
        }
        float[] data = output.toType(DataType.FLOAT32, false).toFloatArray();
        int d = (int) s.get(1);
        int spatial = (int) (s.size() / ((long) n * d));
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                int off = (i * d + c) * spatial;
                double sum = 0;
                for (int k = 0; k < spatial; k++) {
                    sum += data[off + k];
                }
                out[i][c] = (float) (sum / spatial);
            }
        }
        return out;
    }

    @Override
    public void close() {
        guard.close(() -> {
            try {
                preparation.close();
            } finally {
                model.close();
            }
        });
    }

    @Override
    public String toString() {
        return "CnnImageEncoder[" + id + "]";
    }

    /** Collects the settings; {@link #build()} loads the model and reads its output dimension. */
    public static final class Builder {
        private ModelSource model;
        private ImagePreprocessor preprocessor = ImagePreprocessor.builder().build();
        private int batchSize = 8;
        private int regions = 3;
        private boolean prefetch = true;
        private int preparationThreads = -1;
        private boolean normalize;
        private String name;
        private int intraOpThreads = RuntimeOptions.defaults().intraOpThreads();
        private int interOpThreads = RuntimeOptions.defaults().interOpThreads();
        private boolean threadSpinning = RuntimeOptions.defaults().spinning();

        private Builder() {
        }

        /**
         * ONNX Runtime threads for one operator of this model (its {@code intraOpNumThreads}). The default is
         * half the available processors, at least 1 (an embedder runs its text and image encoders at the same
         * time), or the system property {@code fusion4j.onnxruntime.intraOpThreads}; 0 lets ONNX Runtime use
         * one per physical core. TorchScript models ignore it: PyTorch's threads are process-wide, set with
         * {@code -Dai.djl.pytorch.num_threads=n}. See docs/performance.md.
         */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /** ONNX Runtime threads running independent operators ({@code interOpNumThreads}); 0 = its default. */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = threads;
            return this;
        }

        /**
         * Whether idle ONNX Runtime worker threads spin waiting for work (true, ONNX Runtime's default: lowest
         * latency on an otherwise idle machine) or sleep (false: leaves the core to other work).
         */
        public Builder threadSpinning(boolean spinning) {
            this.threadSpinning = spinning;
            return this;
        }

        /** The network (required): an ONNX or TorchScript file or a directory holding one. */
        public Builder model(ModelSource source) {
            this.model = Objects.requireNonNull(source, "model source");
            return this;
        }

        /**
         * Decoding and preprocessing; defaults to torchvision's ImageNet recipe (resize 256, centre crop 224,
         * ImageNet mean and std, at most 40 megapixels).
         */
        public Builder preprocessing(ImagePreprocessor preprocessor) {
            this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
            return this;
        }

        /**
         * Images per forward pass in {@code encodeAll}; 8 by default. A longer list is run as several batches,
         * and with {@link #prefetch(boolean)} the next batch is decoded while the model runs the current one,
         * so smaller batches overlap more (on 2 to 4 cores batching buys little per image: docs/performance.md).
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Decode and preprocess batch k+1 on the encoder's preparation threads while the model runs batch k
         * (true by default). The model sees the same tensors either way, so results are bit-identical; with
         * false each batch is prepared, then run. The threads are daemons, at most one per processor, end
         * after 30 s idle, and are shut down by {@link CnnImageEncoder#close()}.
         */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Pool threads that decode and preprocess images beside the calling thread: for a batch the caller
         * waits for, and (with {@link #prefetch(boolean)}) for the next batch while the model runs. By default
         * one fewer than the available processors (at least one for prefetching); 0 = the calling thread
         * prepares every image itself and nothing is prefetched, so {@code encodeAll} uses no thread of this
         * encoder's beside the caller and ONNX Runtime's {@link #intraOpThreads(int)} (e.g. a Spark task granted
         * one core). The model sees the same tensors whatever the threads: results are bit-identical.
         */
        public Builder preparationThreads(int threads) {
            if (threads < 0) {
                throw new InvalidInputException("Preparation threads must be 0 or more, got " + threads
                        + ": use 0 to prepare images on the calling thread alone");
            }
            this.preparationThreads = threads;
            return this;
        }

        /**
         * Regions per side of the grid {@link CnnImageEncoder#encodeSequence} returns: {@code side × side} regions
         * (default 3: 9 regions). At most the feature map's size (7 for a 224 × 224 input to MobileNetV2 or ResNet).
         */
        public Builder regions(int side) {
            this.regions = side;
            return this;
        }

        /** L2-normalise the features; false by default (the raw pooled features). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** A short model name used in {@link #id()}; defaults to the model's location. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public CnnImageEncoder build() {
            if (model == null) {
                throw new InvalidInputException("CnnImageEncoder needs a model: call .model(ModelSource.path(..))");
            }
            if (batchSize < 1) {
                throw new InvalidInputException("batchSize must be at least 1, was " + batchSize);
            }
            if (regions < 1) {
                throw new InvalidInputException("regions must be at least 1 per side, was " + regions);
            }
            RuntimeOptions runtime = new RuntimeOptions(intraOpThreads, interOpThreads, threadSpinning);
            return new CnnImageEncoder(this, NativeModel.load(model, "image model", runtime));
        }
    }
}
