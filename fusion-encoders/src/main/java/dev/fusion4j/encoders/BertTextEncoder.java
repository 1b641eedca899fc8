package dev.fusion4j.encoders;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.encoders.internal.CloseGuard;
import dev.fusion4j.encoders.internal.NativeModel;
import dev.fusion4j.encoders.internal.RuntimeOptions;
import dev.fusion4j.encoders.internal.TokenWindows;
import dev.fusion4j.encoders.internal.TokenWindows.Window;
import dev.fusion4j.encoders.internal.Vectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT-family sentence encoder: HuggingFace tokenizer ({@code tokenizer.json}), an ONNX or
 * TorchScript transformer returning per-token hidden states {@code [batch, tokens, hidden]} (or an
 * already pooled {@code [batch, hidden]}), then pooling ({@link Pooling#MEAN} by default) and optional
 * L2 normalisation.
 *
 * <p>Batches are padded dynamically to their longest member (texts are sorted by length first, so
 * little is padded); padded positions are masked out of attention and pooling, so a text embeds to
 * the same vector (to float rounding) alone or in any batch. Texts longer than {@code maxLength}
 * tokens are truncated or split into windows ({@link LongTextMode}). Thread-safe.
 *
 * <p>{@link #encodeSequence} also returns the last hidden states, one position per token (special tokens
 * included, no padding; with {@link LongTextMode#SPLIT_AND_AVERAGE} those of the first window), from the same
 * forward pass: they cost a copy of {@code tokens × hidden} floats ({@code 4 · tokens · hidden} bytes, e.g.
 * 12 tokens of MiniLM's 384: 18 KB per text). The pooled embedding is the same bits as {@link #encode}'s.
 *
 * <pre>{@code
 * TextEncoder bert = BertTextEncoder.builder().model(ModelSource.path(dir))
 *     .pooling(Pooling.MEAN).normalize(true).maxLength(256).build();
 * }</pre>
 */
public final class BertTextEncoder implements SequenceTextEncoder {
    private static final String IDS = "input_ids";
    private static final String MASK = "attention_mask";
    private static final String TYPES = "token_type_ids";

    private final NativeModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final List<String> inputs;
    private final Pooling pooling;
    private final boolean normalize;
    private final int maxLength;
    private final LongTextMode longText;
    private final int windowOverlap;
    private final int batchSize;
    private final int maxChars;
    private final String id;
    private final int dimension;
    private final CloseGuard guard;

    private BertTextEncoder(Builder b, NativeModel model, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = b.pooling;
        this.normalize = b.normalize;
        this.maxLength = b.maxLength;
        this.longText = b.longText;
        this.windowOverlap = b.windowOverlap >= 0 ? b.windowOverlap : Math.min(32, (b.maxLength - 2) / 4);
        this.batchSize = b.batchSize;
        this.maxChars = b.maxChars;
        this.inputs = resolveInputs(b.modelInputs, model);
        String name = b.name != null ? b.name : model.description();
        this.guard = new CloseGuard("BertTextEncoder(" + name + ")");
        this.dimension = probeDimension();
        this.id = "bert:" + name + ":" + pooling.name().toLowerCase(Locale.ROOT) + (normalize ? ":norm" : "")
                + ":max" + maxLength + ":" + dimension;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static List<String> resolveInputs(List<String> configured, NativeModel model) {
        List<String> declared = model.inputNames();
        List<String> chosen = configured != null ? configured
                : !declared.isEmpty() ? declared : List.of(IDS, MASK, TYPES);
        for (String name : chosen) {
            if (!name.equals(IDS) && !name.equals(MASK) && !name.equals(TYPES)) {
                throw new IncompatibleModelException("The text model " + model.description() + " expects an input '"
                        + name + "' that a BERT tokenizer does not produce (it gives input_ids, attention_mask,"
                        + " token_type_ids): is it a BERT-family model? An image model (one input, an [N, 3, H, W]"
                        + " image) belongs in CnnImageEncoder.builder().model(..); a BERT model whose inputs are"
                        + " named otherwise takes modelInputs(..)");
            }
        }
        if (!chosen.contains(IDS)) {
            throw new IncompatibleModelException("The text model " + model.description() + " takes no input_ids"
                    + " (inputs " + chosen + "): it is not a BERT-family text model");
        }
        return List.copyOf(chosen);
    }

    private int probeDimension() {
        try {
            return encodeWindows(List.of(tokenize("dimension probe", 0)), null).get(0).dimension();
        } catch (RuntimeException e) {
            close();
            if (e instanceof IncompatibleModelException ime) {
                throw ime;
            }
            throw new IncompatibleModelException("The text model " + model.description() + " failed on a test"
                    + " sentence with inputs " + inputs + ": " + e.getMessage() + ". For TorchScript models name the"
                    + " inputs in the order the model takes them with modelInputs(..)", e);
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Embedding encode(String text) {
        return guard.call(() -> {
            checkText(text, -1);
            return encodeWindows(List.of(tokenize(text, -1)), null).get(0);
        });
    }

    @Override
    public List<Embedding> encodeAll(List<String> texts) {
        return guard.call(() -> encodeWindows(tokenizeAll(texts), null));
    }

    @Override
    public EncodedSequence encodeSequence(String text) {
        return guard.call(() -> {
            checkText(text, -1);
            return encodeSequences(List.of(tokenize(text, -1))).get(0);
        });
    }

    @Override
    public List<EncodedSequence> encodeSequenceAll(List<String> texts) {
        return guard.call(() -> encodeSequences(tokenizeAll(texts)));
    }

    /** Checks every text (naming the first bad one's index), then tokenises them all. */
    private List<List<Window>> tokenizeAll(List<String> texts) {
        if (texts == null) {
            throw new InvalidInputException("The list of texts is null: pass a list (possibly empty)");
        }
        for (int i = 0; i < texts.size(); i++) {
            checkText(texts.get(i), i);
        }
        List<List<Window>> tokenized = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            tokenized.add(tokenize(texts.get(i), i));
        }
        return tokenized;
    }

    private List<EncodedSequence> encodeSequences(List<List<Window>> tokenized) {
        float[][] tokens = new float[tokenized.size()][];
        List<Embedding> pooled = encodeWindows(tokenized, tokens);
        List<EncodedSequence> out = new ArrayList<>(pooled.size());
        for (int t = 0; t < pooled.size(); t++) {
            out.add(new EncodedSequence(pooled.get(t), EmbeddingSequence.of(pooled.get(t).dimension(), tokens[t])));
        }
        return out;
    }

    private void checkText(String text, int index) {
        String which = index < 0 ? "The text" : "Text at index " + index;
        if (text == null) {
            throw new InvalidInputException(which + " is null: pass a non-empty string, or leave the text"
                    + " modality out of the record");
        }
        if (text.isBlank()) {
            throw new InvalidInputException(which + " is empty or blank: there is nothing to encode; leave the text"
                    + " modality out of the record instead");
        }
        if (text.length() > maxChars) {
            throw new InvalidInputException(which + " has " + text.length() + " characters, more than the limit of "
                    + maxChars + ": shorten it, or raise the limit with BertTextEncoder.builder().maxChars(..)");
        }
    }

    private List<Window> tokenize(String text, int index) {
        Encoding enc;
        try {
            enc = tokenizer.encode(text);
        } catch (RuntimeException e) {
            throw new InvalidInputException((index < 0 ? "The text" : "Text at index " + index)
                    + " could not be tokenised: " + e.getMessage(), e);
        }
        long[] ids = enc.getIds();
        if (ids.length == 0) {
            throw new InvalidInputException((index < 0 ? "The text" : "Text at index " + index)
                    + " produced no tokens: it holds nothing the tokenizer knows");
        }
        return TokenWindows.cut(ids, enc.getTypeIds(), enc.getSpecialTokenMask(), maxLength,
                longText == LongTextMode.SPLIT_AND_AVERAGE, windowOverlap);
    }

    /**
     * Runs every window of every text through the model in length-sorted batches and combines per text; with
     * {@code firstTokens} non-null, also puts each text's first-window hidden states there (row-major).
     */
    private List<Embedding> encodeWindows(List<List<Window>> texts, float[][] firstTokens) {
        List<Window> all = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            firsts.add(all.size());
            for (Window w : texts.get(t)) {
                all.add(w);
                owner.add(t);
            }
        }
        float[][] tokenStates = firstTokens == null ? null : new float[all.size()][];
        Integer[] order = new Integer[all.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> all.get(i).length()));
        float[][] pooled = new float[all.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<Window> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(all.get(order[k]));
            }
            float[][] states = tokenStates == null ? null : new float[batch.size()][];
            float[][] out = forward(batch, states);
            for (int k = start; k < end; k++) {
                pooled[order[k]] = out[k - start];
                if (states != null) {
                    tokenStates[order[k]] = states[k - start];
                }
            }
        }
        if (firstTokens != null) {
            for (int t = 0; t < texts.size(); t++) {
                firstTokens[t] = tokenStates[firsts.get(t)];
            }
        }
        int hidden = pooled.length == 0 ? 0 : pooled[0].length;
        double[][] sums = new double[texts.size()][hidden];
        double[] weights = new double[texts.size()];
        for (int i = 0; i < all.size(); i++) {
            int t = owner.get(i);
            double w = Math.max(1, all.get(i).contentTokens());
            for (int j = 0; j < hidden; j++) {
                sums[t][j] += w * pooled[i][j];
            }
            weights[t] += w;
        }
        List<Embedding> result = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            float[] v = new float[hidden];
            for (int j = 0; j < hidden; j++) {
                v[j] = (float) (sums[t][j] / weights[t]);
            }
            result.add(Embedding.of(normalize ? Vectors.normalizeInPlace(v) : v));
        }
        return result;
    }

    /**
     * One forward pass over a batch padded to its longest window; returns the pooled vector per window and, with
     * {@code states} non-null, puts each window's unpadded hidden states there.
     */
    private float[][] forward(List<Window> batch, float[][] states) {
        int n = batch.size();
        int len = 0;
        for (Window w : batch) {
            len = Math.max(len, w.length());
        }
        long[] ids = new long[n * len];
        long[] mask = new long[n * len];
        long[] types = new long[n * len];
        for (int i = 0; i < n; i++) {
            Window w = batch.get(i);
            System.arraycopy(w.ids(), 0, ids, i * len, w.length());
            System.arraycopy(w.typeIds(), 0, types, i * len, w.length());
            Arrays.fill(mask, i * len, i * len + w.length(), 1L);
        }
        final int seq = len;
        Shape shape = new Shape(n, seq);
        return model.run(m -> {
            NDList list = new NDList(inputs.size());
            for (String name : inputs) {
                long[] data = name.equals(IDS) ? ids : name.equals(MASK) ? mask : types;
                NDArray a = m.create(data, shape);
                a.setName(name);
                list.add(a);
            }
            return list;
        }, out -> pool(pickHiddenStates(out), mask, n, seq, states));
    }

    private NDArray pickHiddenStates(NDList out) {
        if (out.isEmpty()) {
            throw new IncompatibleModelException("The text model " + model.description() + " returned no output");
        }
        for (NDArray a : out) {
            if ("last_hidden_state".equals(a.getName())) {
                return a;
            }
        }
        for (NDArray a : out) {
            if (a.getShape().dimension() == 3) {
                return a;
            }
        }
        return out.get(0);
    }

    private float[][] pool(NDArray hiddenStates, long[] mask, int n, int seq, float[][] states) {
        Shape s = hiddenStates.getShape();
        float[] data = hiddenStates.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[n][];
        if (s.dimension() == 2 && s.get(0) == n) {
            if (states != null) {
                throw new IncompatibleModelException("The text model " + model.description() + " returns pooled"
                        + " vectors " + s + ", not per-token hidden states [batch, tokens, hidden]: it has no token"
                        + " sequence to return. Export the model with its last_hidden_state output");
            }
            int h = (int) s.get(1);
            for (int i = 0; i < n; i++) {
                out[i] = Arrays.copyOfRange(data, i * h, (i + 1) * h);
            }
            return out;
        }
        if (s.dimension() != 3 || s.get(0) != n || s.get(1) != seq) {
            throw new IncompatibleModelException("The text model " + model.description() + " returned shape " + s
                    + "; expected [batch=" + n + ", tokens=" + seq + ", hidden] or [batch, hidden]");
        }
        int h = (int) s.get(2);
        for (int i = 0; i < n; i++) {
            float[] v = new float[h];
            int base = i * seq;
            if (states != null) {
                int valid = 0;
                while (valid < seq && mask[base + valid] != 0) {
                    valid++;
                }
                states[i] = Arrays.copyOfRange(data, base * h, (base + valid) * h);
            }
            switch (pooling) {
                case CLS -> System.arraycopy(data, base * h, v, 0, h);
                case MEAN -> {
                    double[] acc = new double[h];
                    int count = 0;
                    for (int t = 0; t < seq; t++) {
                        if (mask[base + t] == 0) {
                            continue;
                        }
                        count++;
                        int off = (base + t) * h;
                        for (int j = 0; j < h; j++) {
                            acc[j] += data[off + j];
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        v[j] = (float) (acc[j] / Math.max(1, count));
                    }
                }
                case MAX -> {
                    Arrays.fill(v, Float.NEGATIVE_INFINITY);
                    for (int t = 0; t < seq; t++) {
                        if (mask[base + t] == 0) {
                            continue;
                        }
                        int off = (base + t) * h;
                        for (int j = 0; j < h; j++) {
                            v[j] = Math.max(v[j], data[off + j]);
                        }
                    }
                }
            }
            out[i] = v;
        }
        return out;
    }

    @Override
    public void close() {
        guard.close(() -> {
            try {
                model.close();
            } finally {
                tokenizer.close();
            }
        });
    }

    @Override
    public String toString() {
        return "BertTextEncoder[" + id + "]";
    }

    /** Collects the settings; {@link #build()} loads the tokenizer and the model and validates them. */
    public static final class Builder {
        private ModelSource model;
        private ModelSource tokenizer;
        private Pooling pooling = Pooling.MEAN;
        private boolean normalize = true;
        private int maxLength = 512;
        private LongTextMode longText = LongTextMode.TRUNCATE;
        private int windowOverlap = -1;
        private int batchSize = 32;
        private int maxChars = 1_000_000;
        private List<String> modelInputs;
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

        /** The transformer (required): an ONNX or TorchScript file, or a directory holding one and tokenizer.json. */
        public Builder model(ModelSource source) {
            this.model = Objects.requireNonNull(source, "model source");
            return this;
        }

        /** The HuggingFace tokenizer.json; defaults to {@code tokenizer.json} beside the model file. */
        public Builder tokenizer(ModelSource source) {
            this.tokenizer = Objects.requireNonNull(source, "tokenizer source");
            return this;
        }

        /** Token pooling; {@link Pooling#MEAN} by default. */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /** L2-normalise every embedding; true by default. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** The most tokens per model input, special tokens included; 512 by default. */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Truncate (default) or split long texts into windows and average them. */
        public Builder longText(LongTextMode mode) {
            this.longText = Objects.requireNonNull(mode, "long text mode");
            return this;
        }

        /**
         * Tokens shared by neighbouring windows with {@link LongTextMode#SPLIT_AND_AVERAGE}; by default 32, or a
         * quarter of the window when that is smaller.
         */
        public Builder windowOverlap(int tokens) {
            this.windowOverlap = tokens;
            return this;
        }

        /** Texts per forward pass in {@code encodeAll}; 32 by default. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Longest text accepted, in characters (bounds tokenizer time and memory); 1,000,000 by default. */
        public Builder maxChars(int maxChars) {
            this.maxChars = maxChars;
            return this;
        }

        /**
         * The model's inputs in the order it takes them, from {@code input_ids}, {@code attention_mask},
         * {@code token_type_ids}. Defaults to the names an ONNX model declares, or all three for TorchScript.
         */
        public Builder modelInputs(String... names) {
            this.modelInputs = List.of(names);
            return this;
        }

        /** A short model name used in {@link #id()}; defaults to the model's location. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @throws InvalidInputException for an invalid setting
         * @throws ModelLoadException if the model or tokenizer cannot be loaded
         * @throws IncompatibleModelException if the model does not behave like a BERT encoder
         */
        public BertTextEncoder build() {
            if (model == null) {
                throw new InvalidInputException("BertTextEncoder needs a model: call .model(ModelSource.path(..))");
            }
            if (maxLength < 3) {
                throw new InvalidInputException("maxLength must be at least 3 (two special tokens and one word), was "
                        + maxLength);
            }
            if (batchSize < 1) {
                throw new InvalidInputException("batchSize must be at least 1, was " + batchSize);
            }
            if (maxChars < 1) {
                throw new InvalidInputException("maxChars must be at least 1, was " + maxChars);
            }
            if (windowOverlap != -1 && (windowOverlap < 0 || windowOverlap >= maxLength - 2)) {
                throw new InvalidInputException("windowOverlap must be in [0, maxLength - 2), was " + windowOverlap);
            }
            RuntimeOptions runtime = new RuntimeOptions(intraOpThreads, interOpThreads, threadSpinning);
            HuggingFaceTokenizer tok = loadTokenizer(tokenizer != null ? tokenizer : besideModel(model));
            NativeModel loaded;
            try {
                loaded = NativeModel.load(model, "text model", runtime);
            } catch (RuntimeException e) {
                tok.close();
                throw e;
            }
            return new BertTextEncoder(this, loaded, tok);
        }

        private static ModelSource besideModel(ModelSource model) {
            Path p = model.localPath().orElseThrow(() -> new InvalidInputException("The text model "
                    + model.describe() + " is not a local path, so there is no tokenizer.json beside it: give one"
                    + " with .tokenizer(ModelSource..)"));
            if (!Files.exists(p)) {
                throw new ModelLoadException("The text model path " + p.toAbsolutePath() + " does not exist: give"
                        + " the model file itself (.onnx or .pt) or a directory holding exactly one model file and"
                        + " its tokenizer.json");
            }
            Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
            return ModelSource.path(dir.resolve("tokenizer.json"));
        }

        private static HuggingFaceTokenizer loadTokenizer(ModelSource source) {
            Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "false",
                    "padding", "false", "modelMaxLength", String.valueOf(Integer.MAX_VALUE));
            dev.fusion4j.encoders.internal.Offline.optOutOfTelemetry();
            try {
                if (source.kind() == ModelSource.Kind.CLASSPATH) {
                    try (InputStream in = Thread.currentThread().getContextClassLoader()
                            .getResourceAsStream(source.location())) {
                        if (in == null) {
                            throw new ModelLoadException("The tokenizer resource '" + source.location()
                                    + "' is not on the class path");
                        }
                        return HuggingFaceTokenizer.newInstance(in, options);
                    }
                }
                Path path = source.localPath().orElseThrow(() -> new ModelLoadException("The tokenizer must be a"
                        + " local file or class-path resource, not " + source.describe()));
                if (!Files.isRegularFile(path)) {
                    throw new ModelLoadException("The tokenizer file " + path + " does not exist: put the model's"
                            + " tokenizer.json there or name it with .tokenizer(ModelSource.path(..))");
                }
                return HuggingFaceTokenizer.newInstance(path, options);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ModelLoadException mle) {
                    throw mle;
                }
                throw new ModelLoadException("Could not load the tokenizer " + source.describe() + ": " + e.getMessage()
                        + ". It must be a HuggingFace tokenizer.json", e);
            }
        }
    }
}
