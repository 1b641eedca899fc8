package dev.fusion4j.encoders.image;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns an image into the float CHW tensor a CNN expects: decode ({@link ImageDecoder}), resize,
 * centre-crop, scale to [0, 1] and normalise with a per-channel mean and standard deviation.
 *
 * <p>The defaults are torchvision's ImageNet evaluation transform: resize the shorter side to 256
 * (bilinear, antialiased), centre-crop 224x224, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225),
 * RGB channel order:
 *
 * <pre>{@code
 * ImagePreprocessor imagenet = ImagePreprocessor.builder().build();
 * float[] chw = imagenet.preprocess(ImageInput.of(path)); // 3 * 224 * 224 floats
 * }</pre>
 *
 * <p>Resizing is a separable resampler in double precision, Pillow's algorithm (also torchvision's
 * {@code antialias=True}): when downscaling with {@code antialias}, the filter is widened by the scale
 * factor so that no input pixel is skipped. Only the rows and columns that survive the crop are
 * computed. Results match Pillow's float ("F" mode) resize to within float rounding (about 5e-7 after
 * normalisation); Pillow and torchvision on 8-bit images also round each pass to integers, which this
 * class does not. NEAREST picks {@code floor((i + 0.5) * in / out)} computed exactly, where Pillow's
 * running float sum can land one pixel lower on an exact edge.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
    /** Resampling filter. */
    public enum Interpolation {
        /** The input pixel under the output pixel's centre (Pillow NEAREST). */
        NEAREST,
        /** Box filter: with antialias, the plain average of the covered pixels (Pillow BOX). */
        BOX,
        /** Triangle filter (Pillow and torchvision BILINEAR). */
        BILINEAR,
        /** Cubic convolution with a = -0.5 (Pillow BICUBIC); results are clamped to [0, 255]. */
        BICUBIC
    }

    /** Order of the colour planes in the output. */
    public enum ChannelOrder {
        RGB, BGR
    }

    private static final ImageDecoder DECODER = new ImageDecoder();
    private static final int CHANNELS = 3;

    private final int shorterSide;      // > 0 for resize(shorterSide), else 0
    private final int resizeWidth;      // resizeExact, else 0
    private final int resizeHeight;
    private final int cropWidth;        // 0 = no crop (resizeExact only)
    private final int cropHeight;
    private final Interpolation interpolation;
    private final boolean antialias;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final ChannelOrder channelOrder;
    private final long maxPixels;
    private final int outWidth;
    private final int outHeight;
    /** Per RGB channel: output = value * gain + bias (value in 0..255). */
    private final double[] gain = new double[CHANNELS];
    private final double[] bias = new double[CHANNELS];
    /** Per RGB channel: its plane in the output. */
    private final int[] plane;
    private final String id;
    /** The last kernels used, one per axis: most inputs of one data set share a size. */
    private volatile ResampleKernel lastX;
    private volatile ResampleKernel lastY;

    private ImagePreprocessor(Builder b) {
        shorterSide = b.shorterSide;
        resizeWidth = b.resizeWidth;
        resizeHeight = b.resizeHeight;
        cropWidth = b.cropWidth;
        cropHeight = b.cropHeight;
        interpolation = b.interpolation;
        antialias = b.antialias;
        scale = b.scale;
        mean = b.mean.clone();
        std = b.std.clone();
        channelOrder = b.channelOrder;
        maxPixels = b.maxPixels;
        outWidth = cropWidth > 0 ? cropWidth : resizeWidth;
        outHeight = cropHeight > 0 ? cropHeight : resizeHeight;
        for (int c = 0; c < CHANNELS; c++) {
            gain[c] = (double) scale / std[c];
            bias[c] = (0 - (double) mean[c]) / std[c]; // 0 - mean: a zero mean gives +0, not -0
        }
        plane = channelOrder == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        id = buildId();
    }

    /** A builder with torchvision's ImageNet defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** torchvision's ImageNet evaluation transform (the builder's defaults). */
    public static ImagePreprocessor imagenet() {
        return builder().build();
    }

    /** A builder holding this preprocessor's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.shorterSide = shorterSide;
        b.resizeWidth = resizeWidth;
        b.resizeHeight = resizeHeight;
        b.cropWidth = cropWidth;
        b.cropHeight = cropHeight;
        b.interpolation = interpolation;
        b.antialias = antialias;
        b.scale = scale;
        b.mean = mean.clone();
        b.std = std.clone();
        b.channelOrder = channelOrder;
        b.maxPixels = maxPixels;
        return b;
    }

    /** Number of channels of the output: 3. */
    public int channels() {
        return CHANNELS;
    }

    /** Height of the output. */
    public int height() {
        return outHeight;
    }

    /** Width of the output. */
    public int width() {
        return outWidth;
    }

    /** Number of floats one image produces: {@code channels() * height() * width()}. */
    public int size() {
        return CHANNELS * outHeight * outWidth;
    }

    /** The largest width * height accepted. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Decodes and prepares an image.
     *
     * @return {@code channels() * height() * width()} floats, channel-major (CHW)
     * @throws InvalidInputException if the image cannot be decoded or is larger than {@link #maxPixels()}
     */
    public float[] preprocess(ImageInput input) {
        float[] out = new float[size()];
        preprocessInto(input, out, 0);
        return out;
    }

    /** Prepares an already decoded image (any type; alpha is composited over white). */
    public float[] preprocess(BufferedImage image) {
        float[] out = new float[size()];
        preprocessInto(image, out, 0);
        return out;
    }

    /**
     * Decodes and prepares an image into {@code dst[offset .. offset + size() - 1]}, e.g. one slot of a
     * batch.
     */
    public void preprocessInto(ImageInput input, float[] dst, int offset) {
        checkDestination(dst, offset);
        BufferedImage rgb = DECODER.decode(input, maxPixels);
        prepare(RgbPixels.of(rgb), rgb.getWidth(), rgb.getHeight(), dst, offset);
    }

    /** Prepares an already decoded image into {@code dst[offset .. offset + size() - 1]}. */
    public void preprocessInto(BufferedImage image, float[] dst, int offset) {
        if (image == null) {
            throw new InvalidInputException("BufferedImage is null: pass a decoded image");
        }
        preprocessInto(ImageInput.of(image), dst, offset);
    }

    private void checkDestination(float[] dst, int offset) {
        if (dst == null) {
            throw new InvalidInputException("Destination array is null");
        }
        if (offset < 0 || offset > dst.length - size()) {
            throw new InvalidInputException("Destination of " + dst.length + " floats has no room for " + size()
                    + " floats at offset " + offset);
        }
    }

    /** Resize, crop and normalise packed RGB pixels. */
    private void prepare(int[] pixels, int width, int height, float[] dst, int offset) {
        int fullWidth;
        int fullHeight;
        if (shorterSide > 0) { // torchvision: the longer side is int(size * long / short)
            if (width <= height) {
                fullWidth = shorterSide;
                fullHeight = (int) Math.min(Integer.MAX_VALUE, (long) shorterSide * height / width);
            } else {
                fullHeight = shorterSide;
                fullWidth = (int) Math.min(Integer.MAX_VALUE, (long) shorterSide * width / height);
            }
        } else {
            fullWidth = resizeWidth;
            fullHeight = resizeHeight;
        }
        // torchvision center_crop: offset int(round((size - crop) / 2)), round half to even
        int left = (int) Math.rint((fullWidth - outWidth) / 2.0);
        int top = (int) Math.rint((fullHeight - outHeight) / 2.0);
        ResampleKernel kx = kernel(lastX, width, fullWidth, left, outWidth);
        lastX = kx;
        ResampleKernel ky = kernel(lastY, height, fullHeight, top, outHeight);
        lastY = ky;

        // Horizontal pass over the input rows the vertical pass needs, one double plane per channel.
        int firstRow = ky.start[0];
        int lastRow = firstRow;
        for (int y = 0; y < outHeight; y++) {
            lastRow = Math.max(lastRow, ky.start[y] + ky.taps[y]);
        }
        int rows = lastRow - firstRow;
        double[] red = new double[rows * outWidth];
        double[] green = new double[rows * outWidth];
        double[] blue = new double[rows * outWidth];
        double[] kw = kx.weights;
        for (int r = 0; r < rows; r++) {
            int source = (firstRow + r) * width;
            int target = r * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int s = source + kx.start[x];
                int w = x * kx.stride;
                double sr = 0;
                double sg = 0;
                double sb = 0;
                for (int j = 0, n = kx.taps[x]; j < n; j++) {
                    int p = pixels[s + j];
                    double weight = kw[w + j];
                    sr += ((p >> 16) & 0xFF) * weight;
                    sg += ((p >> 8) & 0xFF) * weight;
                    sb += (p & 0xFF) * weight;
                }
                red[target + x] = sr;
                green[target + x] = sg;
                blue[target + x] = sb;
            }
        }

        // Vertical pass, clamp, normalise, write the planes.
        int planeSize = outWidth * outHeight;
        double[][] channels = {red, green, blue};
        double[] accumulator = new double[outWidth];
        for (int c = 0; c < CHANNELS; c++) {
            int base = offset + plane[c] * planeSize;
            for (int y = 0; y < outHeight; y++) {
                int first = (ky.start[y] - firstRow) * outWidth;
                verticalRow(channels[c], first, ky.weights, y * ky.stride, ky.taps[y], dst, base + y * outWidth, c,
                        accumulator);
            }
        }
    }

    /**
     * One output row of one channel: the weighted sum of {@code taps} rows of {@code source} starting at
     * {@code first}, normalised ({@code v * gain + bias}, the gain folded into the weights), then clamped
     * to the normalised image of [0, 255] for BICUBIC, whose negative lobes overshoot (the other filters
     * have non-negative weights summing to 1). Straight double loops, which the JIT vectorises: no
     * {@code Math.min/max} and no float-double conversion inside them (either is several times slower).
     */
    private void verticalRow(double[] source, int first, double[] weights, int w, int taps, float[] dst,
            int target, int c, double[] accumulator) {
        int width = outWidth;
        double g = gain[c];
        double o = bias[c];
        double a0 = weights[w] * g;
        if (taps == 1) {
            for (int x = 0; x < width; x++) {
                dst[target + x] = (float) (source[first + x] * a0 + o);
            }
        } else {
            double a1 = weights[w + 1] * g;
            int second = first + width;
            if (taps == 2) {
                for (int x = 0; x < width; x++) {
                    dst[target + x] = (float) (source[first + x] * a0 + source[second + x] * a1 + o);
                }
            } else {
                for (int x = 0; x < width; x++) {
                    accumulator[x] = source[first + x] * a0 + source[second + x] * a1 + o;
                }
                for (int j = 2; j < taps; j++) {
                    double a = weights[w + j] * g;
                    int row = first + j * width;
                    for (int x = 0; x < width; x++) {
                        accumulator[x] += source[row + x] * a;
                    }
                }
                for (int x = 0; x < width; x++) {
                    dst[target + x] = (float) accumulator[x];
                }
            }
        }
        if (interpolation == Interpolation.BICUBIC) {
            float low = (float) o;
            float high = (float) (255 * g + o);
            for (int x = 0; x < width; x++) {
                float v = dst[target + x];
                dst[target + x] = v <= low ? low : v >= high ? high : v; // <= also turns -0.0 into low
            }
        }
    }

    private ResampleKernel kernel(ResampleKernel last, int in, int out, int from, int count) {
        if (last != null && last.matches(in, out, from, count)) {
            return last;
        }
        return ResampleKernel.create(in, out, from, count, interpolation, antialias);
    }

    /**
     * A stable string naming every setting that changes the output, e.g.
     * {@code resize256-crop224x224-bilinear-aa-rgb-scale0.003921569-mean0.485,0.456,0.406-std0.229,0.224,0.225}.
     * Two preprocessors with the same id give the same floats. {@code maxPixels} is not part of it.
     */
    public String id() {
        return id;
    }

    private String buildId() {
        StringBuilder sb = new StringBuilder();
        if (shorterSide > 0) {
            sb.append("resize").append(shorterSide);
        } else {
            sb.append("resize").append(resizeWidth).append('x').append(resizeHeight);
        }
        if (cropWidth > 0) {
            sb.append("-crop").append(cropWidth).append('x').append(cropHeight);
        }
        sb.append('-').append(interpolation.name().toLowerCase(Locale.ROOT));
        if (antialias && interpolation != Interpolation.NEAREST) {
            sb.append("-aa");
        }
        sb.append('-').append(channelOrder.name().toLowerCase(Locale.ROOT));
        sb.append("-scale").append(scale);
        appendTriple(sb.append("-mean"), mean);
        appendTriple(sb.append("-std"), std);
        return sb.toString();
    }

    private static void appendTriple(StringBuilder sb, float[] values) {
        sb.append(values[0]).append(',').append(values[1]).append(',').append(values[2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePreprocessor other && id.equals(other.id) && maxPixels == other.maxPixels;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ImagePreprocessor[" + id + ", output " + CHANNELS + "x" + outHeight + "x" + outWidth + ", maxPixels "
                + maxPixels + "]";
    }

    /**
     * Settings of an {@link ImagePreprocessor}; the defaults are torchvision's ImageNet evaluation
     * transform. Setters only record; {@link #build()} checks the combination.
     */
    public static final class Builder {
        private int shorterSide = 256;
        private int resizeWidth;
        private int resizeHeight;
        private int cropWidth = 224;
        private int cropHeight = 224;
        private Interpolation interpolation = Interpolation.BILINEAR;
        private boolean antialias = true;
        private float scale = 1f / 255f;
        private float[] mean = {0.485f, 0.456f, 0.406f};
        private float[] std = {0.229f, 0.224f, 0.225f};
        private ChannelOrder channelOrder = ChannelOrder.RGB;
        private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

        private Builder() {
        }

        /** Resize so that the shorter side is {@code shorterSide}, keeping the aspect ratio (default 256). */
        public Builder resize(int shorterSide) {
            this.shorterSide = shorterSide;
            this.resizeWidth = 0;
            this.resizeHeight = 0;
            return this;
        }

        /** Resize to exactly {@code width x height}, stretching if the aspect ratio differs. */
        public Builder resizeExact(int width, int height) {
            this.shorterSide = 0;
            this.resizeWidth = width;
            this.resizeHeight = height;
            return this;
        }

        /**
         * Crop the centre {@code width x height} of the resized image (default 224x224). With
         * {@link #resize(int)} the shorter side must be at least the larger of the two.
         */
        public Builder centerCrop(int width, int height) {
            this.cropWidth = width;
            this.cropHeight = height;
            return this;
        }

        /** No crop: the output is the resized image. Only with {@link #resizeExact(int, int)}. */
        public Builder noCenterCrop() {
            this.cropWidth = 0;
            this.cropHeight = 0;
            return this;
        }

        /** Resampling filter (default BILINEAR). */
        public Builder interpolation(Interpolation interpolation) {
            this.interpolation = interpolation;
            return this;
        }

        /** Widen the filter when downscaling, as torchvision {@code antialias=True} (default true). */
        public Builder antialias(boolean antialias) {
            this.antialias = antialias;
            return this;
        }

        /** Factor applied to 0..255 values before the mean and std (default 1/255). */
        public Builder scale(float scale) {
            this.scale = scale;
            return this;
        }

        /** Per-channel mean (R, G, B) subtracted after scaling (default 0.485, 0.456, 0.406). */
        public Builder mean(float r, float g, float b) {
            this.mean = new float[] {r, g, b};
            return this;
        }

        /** Per-channel standard deviation (R, G, B) divided by (default 0.229, 0.224, 0.225). */
        public Builder std(float r, float g, float b) {
            this.std = new float[] {r, g, b};
            return this;
        }

        /** Order of the colour planes in the output (default RGB; BGR for Caffe-style models). */
        public Builder channelOrder(ChannelOrder channelOrder) {
            this.channelOrder = channelOrder;
            return this;
        }

        /** Largest width * height accepted, checked before decoding (default 40,000,000). */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * Checks the settings and builds.
         *
         * @throws InvalidInputException if a size is not positive, the crop is larger than the resized
         *     image, a mean is not finite, a std or the scale is not positive and finite, maxPixels is not
         *     positive, or the interpolation or channel order is null
         */
        public ImagePreprocessor build() {
            if (interpolation == null) {
                throw new InvalidInputException("Interpolation is null: use NEAREST, BOX, BILINEAR or BICUBIC");
            }
            if (channelOrder == null) {
                throw new InvalidInputException("Channel order is null: use RGB or BGR");
            }
            boolean crop = cropWidth != 0 || cropHeight != 0;
            if (crop && (cropWidth <= 0 || cropHeight <= 0)) {
                throw new InvalidInputException("Centre crop " + cropWidth + "x" + cropHeight
                        + " is not positive: use positive sizes, or noCenterCrop()");
            }
            if (shorterSide > 0) {
                if (!crop) {
                    throw new InvalidInputException("resize(" + shorterSide + ") without a centre crop gives"
                            + " outputs of varying size: add centerCrop(width, height) or use resizeExact(width, height)");
                }
                if (shorterSide < Math.max(cropWidth, cropHeight)) {
                    throw new InvalidInputException("Centre crop " + cropWidth + "x" + cropHeight + " does not fit in"
                            + " an image resized to a shorter side of " + shorterSide + ": resize to at least "
                            + Math.max(cropWidth, cropHeight) + " or crop less");
                }
            } else if (resizeWidth <= 0 || resizeHeight <= 0) {
                throw new InvalidInputException("Resize " + (resizeWidth == 0 && resizeHeight == 0 ? shorterSide
                        : resizeWidth + "x" + resizeHeight) + " is not positive: use positive sizes");
            } else if (crop && (cropWidth > resizeWidth || cropHeight > resizeHeight)) {
                throw new InvalidInputException("Centre crop " + cropWidth + "x" + cropHeight + " is larger than the"
                        + " resized image " + resizeWidth + "x" + resizeHeight + ": crop less or resize more");
            }
            if (!(scale > 0) || !Float.isFinite(scale)) {
                throw new InvalidInputException("Scale " + scale + " is not positive and finite: e.g. 1/255f for [0, 1]");
            }
            for (int c = 0; c < CHANNELS; c++) {
                if (!Float.isFinite(mean[c])) {
                    throw new InvalidInputException("Mean " + Arrays.toString(mean) + " is not finite");
                }
                if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                    throw new InvalidInputException("Std " + Arrays.toString(std) + " must be positive and finite");
                }
            }
            if (maxPixels <= 0) {
                throw new InvalidInputException("maxPixels is " + maxPixels + ": use a positive pixel count");
            }
            long output = (long) CHANNELS * (crop ? (long) cropWidth * cropHeight : (long) resizeWidth * resizeHeight);
            if (output > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException("Output of " + output + " floats does not fit in a Java array: use"
                        + " a smaller size");
            }
            return new ImagePreprocessor(this);
        }
    }
}
