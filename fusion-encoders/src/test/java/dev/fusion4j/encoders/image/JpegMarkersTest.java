package dev.fusion4j.encoders.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JpegMarkersTest {
    private static final byte[] RGB_JPEG = TestImages.jpeg(TestImages.solid(8, 8, 0x336699));

    @Test
    void readsComponentsAndAdobeTransform() {
        JpegMarkers rgb = JpegMarkers.scan(RGB_JPEG);
        JpegMarkers cmyk = JpegMarkers.scan(TestImages.cmykJpeg(8, 8, 1, 2, 3, 4));
        JpegMarkers ycck = JpegMarkers.scan(TestImages.insertSegment(TestImages.cmykJpeg(8, 8, 1, 2, 3, 4),
                TestImages.adobeSegment(JpegMarkers.ADOBE_YCCK)));

        assertThat(rgb.components).isEqualTo(3);
        assertThat(rgb.adobeTransform).isEqualTo(JpegMarkers.NO_ADOBE);
        assertThat(rgb.orientation).isEqualTo(1);
        assertThat(cmyk.components).isEqualTo(4);
        assertThat(cmyk.adobeTransform).isEqualTo(JpegMarkers.NO_ADOBE);
        assertThat(ycck.adobeTransform).isEqualTo(JpegMarkers.ADOBE_YCCK);
    }

    @Test
    void readsOrientationInBothByteOrdersAsShortOrLong() {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 4).putInt(1).putInt(7).putInt(0); // LONG 7

        assertThat(JpegMarkers.scan(TestImages.insertSegment(RGB_JPEG, TestImages.exifSegment(3, true))).orientation)
                .isEqualTo(3);
        assertThat(JpegMarkers.scan(TestImages.insertSegment(RGB_JPEG, TestImages.exifSegment(8, false))).orientation)
                .isEqualTo(8);
        assertThat(JpegMarkers.scan(TestImages.insertSegment(RGB_JPEG, TestImages.exifSegment(tiff.array())))
                .orientation).isEqualTo(7);
    }

    @Test
    void neverThrowsOnGarbage() {
        Random random = new Random(99);
        byte[] withExif = TestImages.insertSegment(RGB_JPEG, TestImages.exifSegment(6, false));
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = round % 2 == 0 ? Arrays.copyOf(withExif, random.nextInt(withExif.length))
                    : withExif.clone();
            if (round % 2 == 1) {
                bytes[2 + random.nextInt(60)] = (byte) random.nextInt(); // in the segment headers or EXIF
            }

            JpegMarkers markers = JpegMarkers.scan(bytes);

            assertThat(markers.orientation).isBetween(1, 8);
        }
        assertThat(JpegMarkers.scan(new byte[0]).orientation).isEqualTo(1);
        assertThat(JpegMarkers.scan(new byte[] {(byte) 0xFF, (byte) 0xD8}).components).isEqualTo(-1);
    }
}
