package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TrainingExample;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic inputs shared by the benchmarks: sentences, JPEG photos-to-be, random embeddings. */
final class BenchData {
    /** all-MiniLM-L6-v2, a resource of the langchain4j artifact that fusion-models depends on. */
    static final String MINILM_MODEL = "all-minilm-l6-v2.onnx";
    static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** MobileNetV2 features, bundled by fusion-models. */
    static final String MOBILENET_MODEL = "dev/fusion4j/models/mobilenet-v2/mobilenet_v2_1.0_224_features.onnx";
    /** Token cap of the bundled text encoder (BundledModels.miniLmText()). */
    static final int MINILM_MAX_LENGTH = 256;

    private static final String[] WORDS = ("a dog runs across the green grass while two children play with a red ball"
            + " near an old wooden fence under a cloudy sky in the late afternoon light and a small brown cat watches"
            + " from the window of a quiet house on the hill beside the river where boats drift slowly past tall"
            + " trees birds sing loudly people walk their bikes along the narrow path towards the busy market square")
            .split(" ");

    private BenchData() {
    }

    /** {@code n} English-like sentences of 6 to 40 words (mean ~23), the same for every call. */
    static List<String> texts(int n) {
        Random r = new Random(11);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int words = 6 + r.nextInt(35);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sb.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            }
            out.add(sb.append('.').toString());
        }
        return out;
    }

    /**
     * {@code n} encoded JPEGs of 640x480 (a typical web photo: smooth shapes plus sensor-like noise),
     * so that every benchmark that takes images pays for decoding them, as applications do.
     */
    static List<ImageInput> images(int n) {
        List<ImageInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ImageInput.of(jpeg(640, 480, 100 + i)));
        }
        return out;
    }

    static byte[] jpeg(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double fx = 0.005 + r.nextDouble() * 0.02;
        double fy = 0.005 + r.nextDouble() * 0.02;
        int base = r.nextInt(0xFFFFFF);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = clamp(128 + 90 * Math.sin(x * fx) + r.nextGaussian() * 12 + ((base >> 16) & 0x3F));
                int green = clamp(128 + 90 * Math.cos(y * fy) + r.nextGaussian() * 12 + ((base >> 8) & 0x3F));
                int blue = clamp(128 + 90 * Math.sin((x + y) * (fx + fy) / 2) + r.nextGaussian() * 12 + (base & 0x3F));
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** {@code n} (text, image) records. */
    static List<MultimodalInput> records(int n) {
        List<String> texts = texts(n);
        List<ImageInput> images = images(n);
        List<MultimodalInput> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(MultimodalInput.of(texts.get(i), images.get(i)));
        }
        return out;
    }

    /** The texts of {@code records}, in order. */
    static List<String> texts(List<MultimodalInput> records) {
        return records.stream().map(r -> r.text().orElseThrow()).toList();
    }

    /** The images of {@code records}, in order. */
    static List<ImageInput> images(List<MultimodalInput> records) {
        return records.stream().map(r -> r.image().orElseThrow()).toList();
    }

    /** {@code n} records of cached random unit embeddings of the given dimensions (text, image). */
    static List<ModalityEmbeddings> embeddings(int n, int textDim, int imageDim) {
        Random r = new Random(7);
        List<ModalityEmbeddings> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ModalityEmbeddings.builder()
                    .put(Modality.TEXT, randomUnit(r, textDim))
                    .put(Modality.IMAGE, randomUnit(r, imageDim))
                    .build());
        }
        return out;
    }

    /**
     * {@code n} records carrying sequences: {@code tokens} random token states of {@code textDim} and {@code regions}
     * random regions of {@code imageDim} (non-negative, as after ReLU6), each with its mean as the pooled embedding.
     * Deterministic.
     */
    static List<ModalityEmbeddings> sequences(int n, int tokens, int textDim, int regions, int imageDim) {
        Random r = new Random(11);
        List<ModalityEmbeddings> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] t = new float[tokens * textDim];
            for (int k = 0; k < t.length; k++) {
                t[k] = (float) r.nextGaussian();
            }
            float[] g = new float[regions * imageDim];
            for (int k = 0; k < g.length; k++) {
                g[k] = (float) Math.min(6, Math.abs(r.nextGaussian()));
            }
            EmbeddingSequence text = EmbeddingSequence.of(textDim, t);
            EmbeddingSequence image = EmbeddingSequence.of(imageDim, g);
            out.add(ModalityEmbeddings.builder().put(Modality.TEXT, text.mean(), text)
                    .put(Modality.IMAGE, image.mean(), image).build());
        }
        return out;
    }

    /**
     * {@code n} labelled records of unit embeddings (text, image) in {@code classes} classes: each class has a
     * random centre per modality, each record is its class centre plus as much Gaussian noise, normalised, so
     * there is something to learn. Deterministic.
     */
    static List<TrainingExample> trainingExamples(int n, int classes, int textDim, int imageDim) {
        Random r = new Random(13);
        float[][] textCentres = new float[classes][];
        float[][] imageCentres = new float[classes][];
        for (int c = 0; c < classes; c++) {
            textCentres[c] = randomUnit(r, textDim).toArray();
            imageCentres[c] = randomUnit(r, imageDim).toArray();
        }
        List<TrainingExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            ModalityEmbeddings record = ModalityEmbeddings.builder()
                    .put(Modality.TEXT, noisy(r, textCentres[c]))
                    .put(Modality.IMAGE, noisy(r, imageCentres[c]))
                    .build();
            out.add(TrainingExample.of(record, "class" + c));
        }
        return out;
    }

    private static Embedding noisy(Random r, float[] centre) {
        float[] v = new float[centre.length];
        double sigma = 1 / Math.sqrt(centre.length); // noise of the same norm as the centre
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (centre[i] + r.nextGaussian() * sigma);
        }
        return Embedding.of(v).normalized();
    }

    private static Embedding randomUnit(Random r, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Embedding.of(v).normalized();
    }

    static byte[] resource(String name) {
        try (InputStream in = BenchData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + name + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
