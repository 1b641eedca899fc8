package dev.fusion4j.api;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    @Test
    void modalityNamesAreValidatedAndFolded() {
        assertThat(Modality.named(" Audio ")).isEqualTo(Modality.named("audio"));
        assertThat(Modality.named("text")).isEqualTo(Modality.TEXT);
        assertThat(Modality.IMAGE.toString()).isEqualTo("image");
        assertThatThrownBy(() -> Modality.named("")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Modality.named("9lives")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Modality.named(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Modality.named("a b")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lower case");
    }

    @Test
    void multimodalInputNeedsAtLeastOneModality() {
        assertThatThrownBy(() -> MultimodalInput.builder().build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least one modality");
        assertThatThrownBy(() -> MultimodalInput.textOnly(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> MultimodalInput.textOnly("  ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> MultimodalInput.imageOnly(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void multimodalInputKeepsOrderAndTypes() {
        ImageInput img = ImageInput.of(new byte[] {1, 2});
        Modality audio = Modality.named("audio");
        MultimodalInput in = MultimodalInput.builder().embedding(audio, Embedding.of(1f)).text("hi").image(img).build();
        assertThat(in.modalities()).containsExactly(audio, Modality.TEXT, Modality.IMAGE);
        assertThat(in.text()).contains("hi");
        assertThat(in.image()).contains(img);
        assertThat(in.embedding(audio)).contains(Embedding.of(1f));
        assertThat(in.text(audio)).isEmpty();
        assertThat(MultimodalInput.textOnly("x").has(Modality.IMAGE)).isFalse();
        assertThat(MultimodalInput.of("hi", img)).isEqualTo(MultimodalInput.of("hi", ImageInput.of(new byte[] {1, 2})));
        assertThatThrownBy(() -> in.modalities().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void modalityEmbeddingsIsAnOrderedMaskThatMayBeEmpty() {
        Map<Modality, Embedding> map = new LinkedHashMap<>();
        map.put(Modality.IMAGE, Embedding.of(2f));
        map.put(Modality.TEXT, Embedding.of(1f));
        ModalityEmbeddings me = ModalityEmbeddings.of(map);
        map.clear();
        assertThat(me.modalities()).containsExactly(Modality.IMAGE, Modality.TEXT);
        assertThat(me.isPresent(Modality.TEXT)).isTrue();
        assertThat(me.get(Modality.named("audio"))).isEmpty();
        assertThat(ModalityEmbeddings.builder().build().isEmpty()).isTrue();
        assertThatThrownBy(() -> ModalityEmbeddings.builder().put(Modality.TEXT, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("absent");
        assertThat(me).isEqualTo(ModalityEmbeddings.builder().put(Modality.IMAGE, Embedding.of(2f))
                .put(Modality.TEXT, Embedding.of(1f)).build());
    }

    @Test
    void imageInputCopiesBytesAndReadsFilesLazily() {
        byte[] bytes = {1, 2, 3};
        ImageInput in = ImageInput.of(bytes);
        bytes[0] = 9;
        assertThat(in.readBytes()).containsExactly(1, 2, 3);
        assertThat(ImageInput.of(new ByteArrayInputStream(new byte[] {4})).readBytes()).containsExactly(4);
        ImageInput missing = ImageInput.of(Path.of("/no/such/file.png"));
        assertThatThrownBy(missing::readBytes).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("/no/such/file.png").hasMessageContaining("does not exist");
        ImageInput decoded = ImageInput.of(new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB));
        assertThat(decoded.bufferedImage()).isPresent();
        assertThat(decoded.describe()).contains("2x3");
        assertThatThrownBy(decoded::readBytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ImageInput.of((Path) null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void trainingExampleNeedsALabelAndContent() {
        ModalityEmbeddings me = ModalityEmbeddings.builder().put(Modality.TEXT, Embedding.of(1f)).build();
        assertThat(TrainingExample.of(me, "cat").embeddings()).contains(me);
        assertThat(TrainingExample.of(MultimodalInput.textOnly("x"), "cat").input()).isPresent();
        assertThatThrownBy(() -> TrainingExample.of(me, " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TrainingExample.of(ModalityEmbeddings.empty(), "cat"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void defaultFuseAllMapsEachRecord() {
        FusionStrategy first = new FusionStrategy() {
            @Override
            public Map<Modality, Integer> inputDimensions() {
                return Map.of(Modality.TEXT, 1);
            }

            @Override
            public int outputDimension() {
                return 1;
            }

            @Override
            public Embedding fuse(ModalityEmbeddings e) {
                return e.get(Modality.TEXT).orElseThrow();
            }
        };
        ModalityEmbeddings a = ModalityEmbeddings.builder().put(Modality.TEXT, Embedding.of(1f)).build();
        ModalityEmbeddings b = ModalityEmbeddings.builder().put(Modality.TEXT, Embedding.of(2f)).build();
        assertThat(first.fuseAll(List.of(a, b))).containsExactly(Embedding.of(1f), Embedding.of(2f));
        assertThatThrownBy(() -> first.fuseAll(null)).isInstanceOf(InvalidInputException.class);
    }
}
