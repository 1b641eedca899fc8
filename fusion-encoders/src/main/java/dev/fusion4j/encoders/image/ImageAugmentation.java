package dev.fusion4j.encoders.image;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, generic perturbations of an image, for showing a trainer what a shifted input looks like: re-encode a
 * few perturbed copies of the validation images and pass them as extra validation records to
 * {@code FusionTrainer.fit(train, validation)}, and the trust weights learn how far to believe a modality whose
 * input has moved (see {@code docs/training.md}, "Trust weights").
 *
 * <p>Each copy draws, in this order (torchvision's {@code RandomAffine}, {@code ColorJitter},
 * {@code RandomGrayscale} and {@code GaussianBlur} in spirit): a scale in [0.75, 1.2], a rotation in ±0.25 rad
 * and a shift of up to 7.5% of each side, on white; a hue shift of ±0.1 turn, saturation ×[0.4, 1.4], brightness
 * ×[0.75, 1.25] and contrast ×[0.7, 1.3] about mid-grey; grey with probability 0.15; then a 3×3 or 5×5 box blur
 * (probability 0.4) or a 3×3 sharpening (0.2). Nothing here is fitted to any data set or style. The same image and
 * seed give the same pixels on every JVM. Immutable and thread-safe.
 */
public final class ImageAugmentation {
    private static final ImageDecoder DECODER = new ImageDecoder();

    private ImageAugmentation() {
    }

    /**
     * {@code count} perturbed copies of {@code image}, the {@code k}-th drawn from a stream seeded by
     * {@code (seed, k)}.
     *
     * @throws InvalidInputException if the image cannot be decoded or {@code count} is negative
     */
    public static List<ImageInput> views(ImageInput image, int count, long seed) {
        if (count < 0) {
            throw new InvalidInputException("The number of perturbed views must be 0 or more, got " + count);
        }
        BufferedImage decoded = DECODER.decode(image);
        List<ImageInput> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(ImageInput.of(perturb(decoded, new SplittableRandom(seed * 1_000_003L + k))));
        }
        return out;
    }

    /** One perturbed copy of a decoded image (RGB, same size), drawn from {@code random}. */
    static BufferedImage perturb(BufferedImage src, SplittableRandom random) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            double scale = 0.75 + 0.45 * random.nextDouble();
            double angle = (random.nextDouble() - 0.5) * 0.5;
            double dx = (random.nextDouble() - 0.5) * 0.15 * w;
            double dy = (random.nextDouble() - 0.5) * 0.15 * h;
            g.translate(w / 2.0 + dx, h / 2.0 + dy);
            g.rotate(angle);
            g.scale(scale, scale);
            g.translate(-w / 2.0, -h / 2.0);
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        float hue = (float) ((random.nextDouble() - 0.5) * 0.2);
        float saturation = (float) (0.4 + random.nextDouble());
        float brightness = (float) (0.75 + 0.5 * random.nextDouble());
        float contrast = (float) (0.7 + 0.6 * random.nextDouble());
        boolean grey = random.nextDouble() < 0.15;
        float[] hsb = new float[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = out.getRGB(x, y);
                Color.RGBtoHSB((p >> 16) & 255, (p >> 8) & 255, p & 255, hsb);
                float s = grey ? 0 : Math.min(1, hsb[1] * saturation);
                float b = Math.max(0, Math.min(1, (hsb[2] * brightness - 0.5f) * contrast + 0.5f));
                out.setRGB(x, y, Color.HSBtoRGB(hsb[0] + hue, s, b));
            }
        }
        double filter = random.nextDouble();
        if (filter < 0.4) {
            int n = random.nextDouble() < 0.5 ? 3 : 5;
            float[] box = new float[n * n];
            Arrays.fill(box, 1f / (n * n));
            out = new ConvolveOp(new Kernel(n, n, box), ConvolveOp.EDGE_NO_OP, null).filter(out, null);
        } else if (filter < 0.6) {
            float[] sharpen = {0, -0.5f, 0, -0.5f, 3f, -0.5f, 0, -0.5f, 0};
            out = new ConvolveOp(new Kernel(3, 3, sharpen), ConvolveOp.EDGE_NO_OP, null).filter(out, null);
        }
        return out;
    }
}
