package dev.fusion4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    /**
     * The backward pass reads the scalar again; garbage collections between forward and backward (which free the
     * direct buffers of closed arrays) must not change the gradient. With DJL's {@code w.mul(3f).div(2f)} instead,
     * this gradient came out as 0.9998, 6e-31 or -8e32 in five of five tries.
     */
    @Test
    void theGradientSurvivesGarbageCollectionsBetweenForwardAndBackward() throws InterruptedException {
        EngineDefaults.apply();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (NDManager m = NDManager.newBaseManager(NdFusionStrategy.ENGINE)) {
                NDArray w = m.create(new float[] {1, 2, 3});
                w.setRequiresGradient(true);
                float[] forward;
                Engine engine = Engine.getEngine(NdFusionStrategy.ENGINE);
                try (NDManager step = m.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
                    NDArray x = step.ones(w.getShape()).mul(w); // on the step's manager, like a batch's arrays
                    NDArray y = Scalars.div(Scalars.mul(x, 3f), 2f);
                    forward = y.toFloatArray();
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(20); // lets the cleaner free what the collection found
                    }
                    collector.backward(y.sum());
                }
                assertThat(forward).containsExactly(1.5f, 3f, 4.5f);
                assertThat(w.getGradient().toFloatArray()).containsExactly(1.5f, 1.5f, 1.5f);
            }
        }
    }
}
