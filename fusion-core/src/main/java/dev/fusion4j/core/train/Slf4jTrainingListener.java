package dev.fusion4j.core.train;

import dev.fusion4j.api.Modality;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link TrainingListener}: one INFO line per epoch (loss, accuracy and macro-F1 on the training
 * batches and the validation split, seconds), one per embedding progress step and one at the start and end,
 * on the logger {@code dev.fusion4j.core.train.FusionTrainer}.
 */
public final class Slf4jTrainingListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(FusionTrainer.class);

    @Override
    public void onEmbedding(Modality modality, int done, int total) {
        LOG.info("Embedding {}: {}/{}", modality, done, total);
    }

    @Override
    public void onStart(int trainExamples, int validationExamples, int classes) {
        LOG.info("Training on {} examples ({} held out for validation), {} classes", trainExamples,
                validationExamples, classes);
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT,
                    "epoch %3d  train loss %.4f acc %.4f F1 %.4f  val loss %.4f acc %.4f F1 %.4f  %.2fs", m.epoch(),
                    m.trainLoss(), m.trainAccuracy(), m.trainMacroF1(), m.valLoss(), m.valAccuracy(), m.valMacroF1(),
                    m.seconds()));
        }
    }

    @Override
    public void onEnd(TrainingSummary s) {
        LOG.info("Trained {} epochs in {}s; keeping epoch {} (val loss {}, val accuracy {})", s.epochsRun(),
                String.format(Locale.ROOT, "%.1f", s.seconds()), s.bestEpoch(), s.valLoss(), s.valAccuracy());
    }
}
