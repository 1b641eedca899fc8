package dev.fusion4j.core;

import static dev.fusion4j.core.TestData.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.sum.WeightMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java inference paths (every inference call, at any batch size) agree with the DJL block on random inputs with every subset of modalities present, before and after the
 * parameters change, and fall back to the block while parameters are in flux.
 */
class JavaPathTest {
    /** Agreement: |java − block| ≤ TOLERANCE · max(1, |block|). */
    static final double TOLERANCE = 1e-5;

    static Map<String, FusionSpec> specs() {
        Map<String, FusionSpec> specs = new LinkedHashMap<>();
        specs.put("concat", Fusions.concat().presenceBits(true));
        specs.put("concat-fill", Fusions.concat().fill(Modality.IMAGE, Embedding.of(new float[10])));
        specs.put("weightedSum-fixed", Fusions.weightedSum().weight(Modality.TEXT, 2.0));
        specs.put("weightedSum-fixed-identity", Fusions.weightedSum());
        specs.put("weightedSum-learned", Fusions.weightedSum().mode(WeightMode.LEARNED).dimension(12));
        specs.put("weightedSum-gated", Fusions.weightedSum().mode(WeightMode.GATED));
        specs.put("weightedSum-gated-identity", Fusions.weightedSum().mode(WeightMode.GATED));
        specs.put("attention-token-1layer", Fusions.attention().dimension(16).heads(2));
        specs.put("attention-token-2layers", Fusions.attention().dimension(16).heads(2).layers(2));
        specs.put("attention-mean", Fusions.attention().dimension(16).heads(4).fusionToken(false));
        specs.put("attention-mean-3layers", Fusions.attention().dimension(24).heads(3).layers(3).fusionToken(false)
                .normalizeInputs(false));
        specs.put("bilinear-compact", Fusions.bilinear().compact(64));
        specs.put("bilinear-compact-1", Fusions.bilinear().compact(1));
        specs.put("bilinear-compact-2", Fusions.bilinear().compact(2));
        specs.put("bilinear-compact-1024", Fusions.bilinear().compact(1024).seed(5));
        specs.put("bilinear-lowRank", Fusions.bilinear().lowRank(24).factor(3));
        specs.put("bilinear-lowRank-f1", Fusions.bilinear().lowRank(16).normalizeInputs(false));
        return specs;
    }

    static Map<Modality, Integer> dims(String name) {
        return name.contains("identity") ? TestData.dims(Modality.TEXT, 8, Modality.IMAGE, 8, AUDIO, 8)
                : TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10, AUDIO, 8);
    }

    static Stream<Arguments> all() {
        return specs().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static Stream<Arguments> parametrised() {
        return all().filter(a -> !((String) a.get()[0]).matches(".*(compact|fixed-identity).*")); // no parameters
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void singleRecordsAndSmallBatchesAgreeWithTheBlockForEverySubsetOfModalities(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = dims(name);
        try (NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims)) {
            assertThat(s.usesJavaPath()).isTrue();
            report(name, "initial", assertAgrees(s, dims, 11));
            ModalityEmbeddings r = TestData.allPatterns(dims, 19).get(3);
            assertThat(s.fuse(r)).isEqualTo(s.fuseAllInJava(List.of(r)).get(0));
        }
    }

    @Test
    void concatenationRunsInJavaAtAnyBatchSizeBitForBitWithTheBlock() {
        for (String name : List.of("concat", "concat-fill")) {
            Map<Modality, Integer> dims = dims(name);
            try (NdFusionStrategy s = (NdFusionStrategy) specs().get(name).bind(dims)) {
                List<ModalityEmbeddings> records = new ArrayList<>();
                for (long seed = 0; records.size() < 300; seed++) {
                    records.addAll(TestData.allPatterns(dims, seed));
                }
                assertThat(s.usesJavaPath()).as(name).isTrue();
                assertThat(s.fuseAll(records)).as(name).isEqualTo(s.fuseAllOnBlock(records));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parametrised")
    void afterParametersAreSetTheJavaPathReadsTheNewValues(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = dims(name);
        try (NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims)) {
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 12);
            List<Embedding> before = fuseEach(s, records); // snapshot taken
            Random random = new Random(13);
            for (Pair<String, Parameter> p : s.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (v[i] * (1 + 0.3 * random.nextGaussian()) + 0.2 * random.nextGaussian());
                }
                a.set(v);
            }
            s.parametersChanged();
            assertThat(fuseEach(s, records)).isNotEqualTo(before);
            report(name, "set", assertAgrees(s, dims, 14));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parametrised")
    void afterATrainingStepTheBlockIsUsedUntilTheHookThenTheJavaPathAgain(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = dims(name);
        try (NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims)) {
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 15);
            List<Embedding> before = fuseEach(s, records);
            trainingStep(s, records);
            assertThat(s.usesJavaPath()).as("parameters in flux after a training forward").isFalse();
            List<Embedding> during = fuseEach(s, records);
            assertThat(during).isNotEqualTo(before);
            for (int i = 0; i < records.size(); i++) {
                assertThat(during.get(i)).isEqualTo(s.fuseAllOnBlock(List.of(records.get(i))).get(0));
            }
            s.parametersChanged();
            assertThat(s.usesJavaPath()).isTrue();
            report(name, "trained", assertAgrees(s, dims, 16));
        }
    }

    @Test
    void atEncoderWidthsEveryRecordHasTheSameBitsAloneAndInABatchOfAnySize() {
        Map<Modality, Integer> dims = TestData.dims(Modality.TEXT, 384, Modality.IMAGE, 1280);
        List<ModalityEmbeddings> records = new ArrayList<>();
        for (long seed = 0; records.size() < 40; seed++) {
            records.addAll(TestData.allPatterns(dims, 30 + seed));
        }
        for (FusionSpec spec : List.of(Fusions.weightedSum().mode(WeightMode.GATED), Fusions.attention().layers(2),
                Fusions.bilinear().compact(8192), Fusions.bilinear().lowRank(1200).factor(5))) {
            try (NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims)) {
                assertThat(s.usesJavaPath()).as("%s", spec).isTrue();
                List<Embedding> all = s.fuseAll(records);
                List<Embedding> some = s.fuseAll(records.subList(7, 20));
                for (int i = 0; i < records.size(); i++) {
                    assertThat(all.get(i)).as("%s, record %d of 40 vs alone", spec, i).isEqualTo(s.fuse(records.get(i)));
                }
                assertThat(some).as("%s, records 7-19 as their own batch", spec).isEqualTo(all.subList(7, 20));
            }
        }
    }

    @Test
    void batchesLargerThanOneChunkAreSplitAndJoinedInOrder() {
        // 8192 outputs per record: 2048 records fill ELEMENT_BUDGET, so 2,050 records take two chunks
        Map<Modality, Integer> dims = TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10);
        try (NdFusionStrategy s = (NdFusionStrategy) Fusions.bilinear().compact(8192).bind(dims)) {
            List<ModalityEmbeddings> records = new ArrayList<>();
            for (long seed = 0; records.size() < NdFusionStrategy.ELEMENT_BUDGET / 8192 + 2; seed++) {
                records.addAll(TestData.allPatterns(dims, seed));
            }
            List<Embedding> all = s.fuseAll(records);
            assertThat(all).hasSize(records.size());
            for (int i : new int[] {0, 2047, 2048, records.size() - 1}) {
                assertThat(all.get(i)).as("record %d", i).isEqualTo(s.fuse(records.get(i)));
            }
        }
    }

    @Test
    void atEncoderWidthsTheDefaultsAgreeWithTheBlock() {
        Map<Modality, Integer> dims = TestData.dims(Modality.TEXT, 384, Modality.IMAGE, 1280);
        Map<String, FusionSpec> specs = new LinkedHashMap<>();
        specs.put("weightedSum-gated@384+1280", Fusions.weightedSum().mode(WeightMode.GATED));
        specs.put("attention@384+1280", Fusions.attention());
        specs.put("attention-2layers@384+1280", Fusions.attention().layers(2));
        specs.put("attention-mean@384+1280", Fusions.attention().fusionToken(false));
        specs.put("weightedSum-learned@384+1280", Fusions.weightedSum().mode(WeightMode.LEARNED));
        specs.put("compact8192@384+1280", Fusions.bilinear().compact());
        specs.put("lowRank1200/5@384+1280", Fusions.bilinear().lowRank(1200).factor(5));
        specs.forEach((name, spec) -> {
            NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims);
            try {
                report(name, "initial", assertAgrees(s, dims, 17));
            } finally {
                s.close();
            }
        });
    }

    @Test
    void aCompactDimensionThatIsNotAPowerOfTwoUsesTheBlock() {
        Map<Modality, Integer> dims = TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10);
        NdFusionStrategy s = (NdFusionStrategy) Fusions.bilinear().compact(48).bind(dims);
        try {
            assertThat(s.usesJavaPath()).isFalse();
            assertThatThrownBy(() -> s.fuseAllInJava(List.of())).isInstanceOf(IllegalStateException.class);
            ModalityEmbeddings r = TestData.allPatterns(dims, 18).get(2);
            assertThat(s.fuse(r)).isEqualTo(s.fuseAllOnBlock(List.of(r)).get(0));
        } finally {
            s.close();
        }
    }

    /**
     * Every record of {@code allPatterns} (each non-empty subset twice) through {@code fuse}, and all of them as one
     * batch, against the block on all of them; returns the largest relative difference.
     */
    static double assertAgrees(NdFusionStrategy s, Map<Modality, Integer> dims, long seed) {
        List<ModalityEmbeddings> records = TestData.allPatterns(dims, seed);
        List<Embedding> expected = s.fuseAllOnBlock(records);
        List<Embedding> small = s.fuseAllInJava(records);
        double worst = 0;
        for (int i = 0; i < records.size(); i++) {
            float[] want = expected.get(i).toArray();
            float[] one = s.fuseAllInJava(List.of(records.get(i))).get(0).toArray();
            if (s.usesJavaPath()) {
                assertThat(s.fuse(records.get(i)).toArray()).isEqualTo(one);
            }
            worst = Math.max(worst, relativeDiff(one, want));
            assertThat(relativeDiff(one, want)).as("record %d %s", i, records.get(i).modalities())
                    .isLessThanOrEqualTo(TOLERANCE);
            if (i < small.size()) {
                assertThat(small.get(i).toArray()).as("batched Java path, record %d", i).isEqualTo(one);
            }
        }
        return worst;
    }

    private static List<Embedding> fuseEach(NdFusionStrategy s, List<ModalityEmbeddings> records) {
        List<Embedding> out = new ArrayList<>();
        records.forEach(r -> out.add(s.fuse(r)));
        return out;
    }

    /** max_i |a_i − b_i| / max(1, |b_i|). */
    static double relativeDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(b[i])));
        }
        return max;
    }

    private static void report(String name, String when, double worst) {
        System.out.printf("java path %-32s %-8s max rel. diff %.2e%n", name, when, worst);
    }

    /** One AdamW step on the strategy's own block, as the trainer runs it (GradientCollector, training forward). */
    static void trainingStep(NdFusionStrategy s, List<ModalityEmbeddings> records) {
        ModalityLayout layout = s.layout();
        PackedBatch batch = layout.pack(records, s.normalizesInputs());
        Optimizer adam = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.05f)).build();
        List<Pair<String, Parameter>> parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : s.block().getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
            parameters.add(p);
        }
        try (NDManager m = NDManager.newBaseManager(NdFusionStrategy.ENGINE)) {
            NDList inputs = new NDList();
            for (int i = 0; i < layout.count(); i++) {
                inputs.add(m.create(batch.inputs()[i], new Shape(batch.size(), layout.dimension(i))));
            }
            inputs.add(m.create(batch.mask(), new Shape(batch.size(), layout.count())));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = s.block().forward(new ParameterStore(m, false), inputs, true).head();
                collector.backward(out.mul(m.randomNormal(out.getShape())).sum());
            }
            for (Pair<String, Parameter> p : parameters) {
                NDArray a = p.getValue().getArray();
                try (NDArray grad = a.getGradient()) {
                    adam.update(p.getKey(), a, grad);
                }
            }
        }
    }
}
