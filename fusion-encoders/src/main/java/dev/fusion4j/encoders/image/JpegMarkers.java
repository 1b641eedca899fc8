package dev.fusion4j.encoders.image;

/**
 * What the decoder needs from a JPEG's header segments, read from the bytes directly: the EXIF
 * orientation (APP1 {@code Exif}, TIFF IFD0 tag 0x0112), the Adobe APP14 colour transform and the
 * number of components of the frame (SOFn).
 *
 * <p>The scan stops at the first SOS or EOI and never throws: a malformed or truncated segment just
 * ends the scan, and a malformed EXIF block leaves the orientation at 1 (as stored).
 */
final class JpegMarkers {
    /** No Adobe APP14 segment. */
    static final int NO_ADOBE = -1;
    /** Adobe transform: no transform (RGB for 3 components, CMYK for 4). */
    static final int ADOBE_UNKNOWN = 0;
    /** Adobe transform: YCbCr (3 components). */
    static final int ADOBE_YCC = 1;
    /** Adobe transform: YCCK (4 components). */
    static final int ADOBE_YCCK = 2;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    /** EXIF orientation 1 to 8 (1 = as stored). */
    final int orientation;
    /** Adobe APP14 transform, or {@link #NO_ADOBE}. */
    final int adobeTransform;
    /** Number of components in the frame header, or -1 if no SOF was found. */
    final int components;

    private JpegMarkers(int orientation, int adobeTransform, int components) {
        this.orientation = orientation;
        this.adobeTransform = adobeTransform;
        this.components = components;
    }

    /** Scans the header segments of a JPEG file. */
    static JpegMarkers scan(byte[] d) {
        int orientation = 0;
        int adobe = NO_ADOBE;
        int components = -1;
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            return new JpegMarkers(1, adobe, components);
        }
        int pos = 2;
        while (pos + 4 <= d.length) {
            if ((d[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = d[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            pos += 2;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // stand-alone markers
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // EOI, or SOS: entropy-coded data follows
            }
            int length = u16(d, pos, false);
            if (length < 2 || pos + length > d.length) {
                break;
            }
            int start = pos + 2;
            int size = length - 2;
            if (marker == 0xE1 && orientation == 0 && startsWith(d, start, size, "Exif\0\0")) {
                orientation = exifOrientation(d, start + 6, size - 6);
            } else if (marker == 0xEE && size >= 12 && startsWith(d, start, size, "Adobe")) {
                adobe = d[start + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && size >= 6 && components < 0) {
                components = d[start + 5] & 0xFF;
            }
            pos += length;
        }
        return new JpegMarkers(orientation == 0 ? 1 : orientation, adobe, components);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /**
     * The orientation tag of IFD0 of the TIFF structure at {@code base} ({@code length} bytes), 1 if
     * absent or malformed.
     */
    static int exifOrientation(byte[] d, int base, int length) {
        try {
            if (length < 8 || base < 0 || base + length > d.length) {
                return 1;
            }
            boolean little;
            if (d[base] == 'I' && d[base + 1] == 'I') {
                little = true;
            } else if (d[base] == 'M' && d[base + 1] == 'M') {
                little = false;
            } else {
                return 1;
            }
            if (u16(d, base + 2, little) != 42) {
                return 1;
            }
            long ifd = u32(d, base + 4, little);
            if (ifd < 8 || ifd + 2 > length) {
                return 1;
            }
            int entries = u16(d, base + (int) ifd, little);
            for (int i = 0; i < entries; i++) {
                long entry = ifd + 2 + 12L * i;
                if (entry + 12 > length) {
                    return 1;
                }
                int at = base + (int) entry;
                if (u16(d, at, little) != TAG_ORIENTATION) {
                    continue;
                }
                int type = u16(d, at + 2, little);
                long value;
                if (type == TYPE_SHORT) {
                    value = u16(d, at + 8, little);
                } else if (type == TYPE_LONG) {
                    value = u32(d, at + 8, little);
                } else {
                    return 1;
                }
                return value >= 1 && value <= 8 ? (int) value : 1;
            }
            return 1;
        } catch (RuntimeException e) {
            return 1; // malformed EXIF never stops an image from decoding
        }
    }

    private static boolean startsWith(byte[] d, int start, int size, String prefix) {
        if (size < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (d[start + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] d, int at, boolean little) {
        int a = d[at] & 0xFF;
        int b = d[at + 1] & 0xFF;
        return little ? (b << 8) | a : (a << 8) | b;
    }

    private static long u32(byte[] d, int at, boolean little) {
        long first = u16(d, at, little);
        long second = u16(d, at + 2, little);
        return little ? (second << 16) | first : (first << 16) | second;
    }
}
