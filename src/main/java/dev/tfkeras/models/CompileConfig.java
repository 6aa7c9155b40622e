package dev.tfkeras.models;

import dev.tfkeras.losses.Loss;
import dev.tfkeras.metrics.PredictionMetric;
import dev.tfkeras.optimizers.Optimizer;
import java.util.List;

/**
 * What {@code compile} was given, Keras's {@code model.get_compile_config()}: the optimizer, one
 * loss per output (or one for all; empty for {@code compile(optimizer)} alone), the loss weights
 * (null: all 1), the metrics of each output (updated without sample weights) and the weighted
 * metrics of each output (updated with them). Saved into a {@code .keras} file's config.
 */
public record CompileConfig(
    Optimizer optimizer, List<Loss> losses, List<Float> lossWeights, List<List<PredictionMetric>> metrics,
    List<List<PredictionMetric>> weightedMetrics) {}
