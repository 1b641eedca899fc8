package dev.fusion4j.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.encoders.internal.AdaptiveRegions;
import dev.fusion4j.encoders.internal.NativeModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bring-your-own ResNet regions: the tiny ResNet fixture exported cut before its avgpool
 * ({@code tools/resnet-fixture}: {@code resnet-tiny-grid.onnx}, output {@code feature_map} [N, 64, 7, 7]).
 */
class ImageRegionsTest {
    private static final Path GRID = Fixtures.resource("models/resnet-tiny-grid/resnet-tiny-grid.onnx");
    private static final Path POOLED = Fixtures.resource("models/resnet-tiny/resnet-tiny.onnx");
    private static final List<String> PHOTOS = List.of("dog.jpg", "chelsea.png", "coffee.png");

    private static ImageInput photo(String name) {
        return ImageInput.of(Fixtures.resource("images/" + name));
    }

    @Test
    void regionsReproducePyTorchsAdaptiveAveragePooling() throws IOException {
        float[] input = Fixtures.floats("models/resnet-tiny/reference-input.bin");
        float[] expected = Fixtures.floats("models/resnet-tiny-grid/reference-regions3.bin"); // [2, 64, 3, 3]
        try (NativeModel model = NativeModel.load(ModelSource.path(GRID), "image model")) {
            float[] map = model.run(m -> new NDList(m.create(FloatBuffer.wrap(input), new Shape(2, 3, 224, 224),
                    DataType.FLOAT32)), o -> o.get(0).toFloatArray());
            for (int i = 0; i < 2; i++) {
                float[] regions = AdaptiveRegions.pool(map, i, 64, 7, 7, 3); // [9, 64]
                float[] torch = new float[9 * 64];
                for (int c = 0; c < 64; c++) {
                    for (int r = 0; r < 9; r++) {
                        torch[r * 64 + c] = expected[(i * 64 + c) * 9 + r];
                    }
                }
                assertThat(Fixtures.maxAbsDiff(regions, torch)).as("image %d", i).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aModelCutBeforePoolingGivesThePooledFeaturesAndRegionsWhoseFullGridMeanIsThem() {
        try (CnnImageEncoder pooled = CnnImageEncoder.builder().model(ModelSource.path(POOLED)).build();
             CnnImageEncoder grid = CnnImageEncoder.builder().model(ModelSource.path(GRID)).build();
             CnnImageEncoder full = CnnImageEncoder.builder().model(ModelSource.path(GRID)).regions(7).build()) {
            assertThat(grid.dimension()).isEqualTo(64);
            for (String name : PHOTOS) {
                EncodedSequence s = grid.encodeSequence(photo(name));
                assertThat(s.sequence().length()).isEqualTo(9);
                assertThat(s.pooled()).isEqualTo(grid.encode(photo(name)));
                assertThat(Fixtures.maxAbsDiff(s.pooled().toArray(), pooled.encode(photo(name)).toArray()))
                        .as(name).isLessThan(1e-5);
                EncodedSequence cells = full.encodeSequence(photo(name));
                assertThat(cells.sequence().length()).isEqualTo(49);
                assertThat(Fixtures.maxAbsDiff(cells.sequence().mean().toArray(), s.pooled().toArray())).as(name)
                        .isLessThan(1e-5);
            }
            List<EncodedSequence> batch = grid.encodeSequenceAll(PHOTOS.stream().map(ImageRegionsTest::photo).toList());
            for (int i = 0; i < PHOTOS.size(); i++) {
                assertThat(Fixtures.maxAbsDiff(batch.get(i).sequence().toArray(),
                        grid.encodeSequence(photo(PHOTOS.get(i))).sequence().toArray())).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aPooledOnlyModelOrTooManyRegionsIsATypedErrorThatSaysWhatToDo() {
        try (CnnImageEncoder pooled = CnnImageEncoder.builder().model(ModelSource.path(POOLED)).build();
             CnnImageEncoder tooFine = CnnImageEncoder.builder().model(ModelSource.path(GRID)).regions(8).build()) {
            assertThatThrownBy(() -> pooled.encodeSequence(photo("dog.jpg")))
                    .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("cut before");
            assertThatThrownBy(() -> tooFine.encodeSequence(photo("dog.jpg")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 7");
            assertThat(tooFine.encode(photo("dog.jpg")).dimension()).isEqualTo(64); // pooling still works
        }
        assertThatThrownBy(() -> CnnImageEncoder.builder().model(ModelSource.path(GRID)).regions(0).build())
                .isInstanceOf(InvalidInputException.class);
    }
}
