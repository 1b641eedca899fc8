package dev.fusion4j.examples.emoji;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.attention.AttendedSequences;
import dev.fusion4j.core.attention.CrossAttentionFusion;
import dev.fusion4j.core.train.FusionModel;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws how the words of one emoji's name attend to its 3 × 3 regions in a trained cross-attention head: one panel per
 * word (its first-layer attention over the regions, averaged over heads and renormalised over the regions; the
 * caption gives the share of the word's attention that went to the image at all), and one for the fusion token's
 * last-layer weights over the regions. The regions are drawn as thirds of the picture (the adaptive 7 → 3 bins
 * overlap by one cell of 32 pixels). Word pieces come from the MiniLM tokenizer the encoder uses.
 */
final class AttentionPicture {
    private static final int CELL = 180;

    private AttentionPicture() {
    }

    /** Writes the PNG and returns a one-line description of what it shows. */
    static String draw(FusionModel model, EmojiRecord record, ModalityEmbeddings embeddings, Path png)
            throws IOException {
        CrossAttentionFusion strategy = (CrossAttentionFusion) model.strategy();
        AttendedSequences a = strategy.fuseWithAttention(embeddings);
        String[] tokens = tokens(record.name());
        if (tokens.length != a.length(Modality.TEXT)) {
            throw new IllegalStateException("Tokenizer gave " + tokens.length + " tokens, the sequence has "
                    + a.length(Modality.TEXT));
        }
        BufferedImage emoji = ImageIO.read(new ByteArrayInputStream(record.image().readBytes()));
        int words = tokens.length - 2; // without [CLS] and [SEP]
        int panels = words + 1;
        BufferedImage out = new BufferedImage(panels * (CELL + 12) + 12, CELL + 70, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("\"" + record.name() + "\" (" + record.subcategory() + "): layer-1 attention of each word over"
                + " the 3x3 regions; last: the fusion token (layer 2)", 12, 18);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < panels; w++) {
            double[] weights;
            String caption;
            if (w < words) {
                double[] toRegions = a.attention(0, Modality.TEXT, w + 1, Modality.IMAGE);
                double share = java.util.Arrays.stream(toRegions).sum();
                weights = normalised(toRegions);
                caption = String.format(Locale.ROOT, "%s (%.0f%% on image)", tokens[w + 1], 100 * share);
            } else {
                weights = normalised(a.weights(Modality.IMAGE));
                caption = String.format(Locale.ROOT, "fusion token (%.0f%% on image)", 100 * a.share(Modality.IMAGE));
            }
            int x = 12 + w * (CELL + 12);
            panel(g, emoji, weights, x, 30);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(caption, x, 30 + CELL + 20);
            text.append(caption).append(" argmax region ").append(argmax(weights)).append("; ");
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(out, "png", png.toFile());
        return "Wrote " + png + ": " + record.name() + " — " + text;
    }

    private static void panel(Graphics2D g, BufferedImage emoji, double[] weights, int x, int y) {
        g.drawImage(emoji, x, y, CELL, CELL, null);
        double max = java.util.Arrays.stream(weights).max().orElse(1);
        int side = (int) Math.round(Math.sqrt(weights.length));
        int step = CELL / side;
        for (int i = 0; i < weights.length; i++) {
            int rx = x + (i % side) * step;
            int ry = y + (i / side) * step;
            float heat = (float) (weights[i] / max);
            g.setColor(new Color(1f, 0.1f, 0f, 0.55f * heat));
            g.fillRect(rx, ry, step, step);
            g.setColor(new Color(0f, 0f, 0f, 0.5f));
            g.drawRect(rx, ry, step, step);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(String.format(Locale.ROOT, "%.2f", weights[i]), rx + 4, ry + 15);
        }
    }

    private static double[] normalised(double[] w) {
        double total = java.util.Arrays.stream(w).sum();
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = total == 0 ? 0 : w[i] / total;
        }
        return out;
    }

    private static int argmax(double[] w) {
        int best = 0;
        for (int i = 1; i < w.length; i++) {
            best = w[i] > w[best] ? i : best;
        }
        return best;
    }

    /** The MiniLM tokenizer's tokens of {@code text}, special tokens included (as the encoder feeds the model). */
    private static String[] tokens(String text) {
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
        try (InputStream in = AttentionPicture.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json");
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, options)) {
            return tokenizer.encode(text).getTokens();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
