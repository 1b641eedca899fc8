package dev.fusion4j.core;

import static dev.fusion4j.core.TestData.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.internal.NdFusionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link FusionStrategy} contract, for every strategy family (three modalities; two for full bilinear). */
class StrategyContractTest {

    static Stream<Arguments> specs() {
        return TestData.smallSpecs().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyNonEmptySubsetOfModalitiesFusesToAFiniteEmbedding(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = TestData.smallDims(name);
        FusionStrategy s = spec.bind(dims);
        try {
            assertThat(s.inputDimensions()).containsExactlyEntriesOf(dims);
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 1);
            assertThat(records).hasSize(2 * ((1 << dims.size()) - 1));
            for (ModalityEmbeddings r : records) {
                Embedding e = s.fuse(r);
                assertThat(e.dimension()).isEqualTo(s.outputDimension());
                assertThat(e.norm()).as("%s on %s", name, r.modalities()).isGreaterThan(0);
            }
            // records with different presence patterns differ
            assertThat(s.fuse(records.get(0))).isNotEqualTo(s.fuse(records.get(1)));
        } finally {
            TestData.close(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void batchedFusionEqualsOneAtATimeAndIsDeterministicAcrossBindings(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = TestData.smallDims(name);
        FusionStrategy a = spec.bind(dims);
        FusionStrategy b = spec.bind(dims);
        try {
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 2);
            List<Embedding> batched = a.fuseAll(records);
            assertThat(batched).hasSize(records.size());
            boolean java = !(a instanceof NdFusionStrategy nd) || nd.usesJavaPath();
            for (int i = 0; i < records.size(); i++) {
                if (java) {
                    // inference runs in Java at every batch size: a record's bits never depend on its batch
                    assertThat(batched.get(i)).as("record %d", i).isEqualTo(a.fuse(records.get(i)));
                } else {
                    assertThat(TestData.maxDiff(batched.get(i).toArray(), a.fuse(records.get(i)).toArray()))
                            .as("record %d", i).isLessThan(1e-5);
                }
            }
            assertThat(b.fuseAll(records)).as("a second binding of the same spec").isEqualTo(batched);
            assertThat(a.fuseAll(List.of())).isEmpty();
        } finally {
            TestData.close(a);
            TestData.close(b);
        }
    }

    /**
     * Eight threads, while two more spin on both cores and a third keeps the garbage collector busy (a loaded
     * machine, as a user's is): every call gives the bits the main thread got. Issue 13: on a busy machine the
     * block's native FFT gave compact bilinear other bits on other threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void eightThreadsGetIdenticalBitsOnABusyMachine(String name, FusionSpec spec) throws Exception {
        Map<Modality, Integer> dims = TestData.smallDims(name);
        FusionStrategy s = spec.bind(dims);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> load = TestData.busyThreads(busy);
        try {
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 3);
            List<Embedding> expectedAll = s.fuseAll(records);
            List<Embedding> expectedOne = new ArrayList<>();
            records.forEach(r -> expectedOne.add(s.fuse(r)));
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        if (!s.fuseAll(records).equals(expectedAll)) {
                            return false;
                        }
                        for (int i = 0; i < records.size(); i++) {
                            if (!s.fuse(records.get(i)).equals(expectedOne.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            busy.set(false);
            for (Thread t : load) {
                t.join();
            }
            pool.shutdown();
            TestData.close(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void rejectsBadRecordsNamingTheProblem(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = TestData.smallDims(name);
        FusionStrategy s = spec.bind(dims);
        try {
            Random random = new Random(4);
            assertThatThrownBy(() -> s.fuse(ModalityEmbeddings.empty()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("no modality present");
            assertThatThrownBy(() -> s.fuseAll(List.of(TestData.record(Modality.TEXT, TestData.gaussian(random, 6)),
                    ModalityEmbeddings.empty())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("Record 1");
            Modality unknown = Modality.named("depth");
            assertThatThrownBy(() -> s.fuse(TestData.record(unknown, TestData.gaussian(random, 3))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'depth'");
            assertThatThrownBy(() -> s.fuse(TestData.record(Modality.TEXT, TestData.gaussian(random, 6),
                    Modality.IMAGE, TestData.gaussian(random, 11))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'image'").hasMessageContaining("11").hasMessageContaining("10");
            assertThatThrownBy(() -> s.fuseAll(null)).isInstanceOf(InvalidInputException.class);
        } finally {
            TestData.close(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void callsReleaseTheirNativeMemoryAndCloseIsFinal(String name, FusionSpec spec) {
        Map<Modality, Integer> dims = TestData.smallDims(name);
        NdFusionStrategy s = (NdFusionStrategy) spec.bind(dims);
        List<ModalityEmbeddings> records = TestData.allPatterns(dims, 5);
        int before = s.liveNativeArrays();
        s.fuseAll(records);
        records.forEach(s::fuse);
        assertThat(s.liveNativeArrays()).as("native arrays alive after calls").isEqualTo(before);
        s.close();
        s.close(); // idempotent
        assertThatThrownBy(() -> s.fuse(records.get(0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.fuseAll(records)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void aModalityOnlyInTheRecordIsNotSilentlyIgnored(String name, FusionSpec spec) {
        // bound to text+image only, a record with audio must be refused, not fused without it
        FusionStrategy s = spec.bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10));
        try {
            Random random = new Random(6);
            assertThatThrownBy(() -> s.fuse(TestData.record(Modality.TEXT, TestData.gaussian(random, 6),
                    AUDIO, TestData.gaussian(random, 8))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'audio'");
        } finally {
            TestData.close(s);
        }
    }
}
