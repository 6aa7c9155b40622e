package dev.tfkeras.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfkeras.losses.BinaryCrossentropy;
import dev.tfkeras.losses.CategoricalCrossentropy;
import dev.tfkeras.losses.Huber;
import dev.tfkeras.losses.KLDivergence;
import dev.tfkeras.losses.LogCosh;
import dev.tfkeras.losses.Loss;
import dev.tfkeras.losses.MeanAbsolutePercentageError;
import dev.tfkeras.losses.MeanSquaredLogarithmicError;
import dev.tfkeras.losses.Reduction;
import dev.tfkeras.losses.SparseCategoricalCrossentropy;
import dev.tfkeras.metrics.AUC;
import dev.tfkeras.metrics.Accuracy;
import dev.tfkeras.metrics.BinaryAccuracy;
import dev.tfkeras.metrics.CategoricalAccuracy;
import dev.tfkeras.metrics.Mean;
import dev.tfkeras.metrics.Metric;
import dev.tfkeras.metrics.BinaryIoU;
import dev.tfkeras.metrics.IoU;
import dev.tfkeras.metrics.MeanIoU;
import dev.tfkeras.metrics.Metrics;
import dev.tfkeras.metrics.OneHotIoU;
import dev.tfkeras.metrics.OneHotMeanIoU;
import dev.tfkeras.metrics.Precision;
import dev.tfkeras.metrics.Recall;
import dev.tfkeras.metrics.RootMeanSquaredError;
import dev.tfkeras.metrics.SparseCategoricalAccuracy;
import dev.tfkeras.metrics.SparseTopKCategoricalAccuracy;
import dev.tfkeras.metrics.Sum;
import dev.tfkeras.metrics.TopKCategoricalAccuracy;
import dev.tfkeras.optimizers.Adadelta;
import dev.tfkeras.optimizers.Adagrad;
import dev.tfkeras.optimizers.Adam;
import dev.tfkeras.optimizers.AdamW;
import dev.tfkeras.optimizers.Adamax;
import dev.tfkeras.optimizers.Ftrl;
import dev.tfkeras.optimizers.Lion;
import dev.tfkeras.optimizers.Nadam;
import dev.tfkeras.optimizers.Optimizer;
import dev.tfkeras.optimizers.RMSprop;
import dev.tfkeras.optimizers.SGD;
import dev.tfkeras.optimizers.schedules.CosineDecay;
import dev.tfkeras.optimizers.schedules.ExponentialDecay;
import dev.tfkeras.optimizers.schedules.LearningRateSchedule;
import dev.tfkeras.optimizers.schedules.PiecewiseConstantDecay;
import dev.tfkeras.optimizers.schedules.PolynomialDecay;
import dev.tfkeras.testing.ClassWalk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Serialized optimizers, learning-rate schedules, losses and metrics: Keras's keys and values (from
 * its tests and a file Keras 3.11 wrote), a round trip of every class of the four packages with
 * settings other than the defaults, and the errors for settings tfkeras cannot represent.
 */
class TrainingSerializationTest {

  private static final List<Class<?>> FAMILIES =
      List.of(Optimizer.class, LearningRateSchedule.class, Loss.class, Metric.class);

  /** One instance per class (two where a setting changes the config's shape), none at defaults. */
  private static List<Configurable> samples() {
    return List.of(
        new Adam(0.01, 0.8, 0.99, 1e-6, true).name("my_adam").clipnorm(1.0),
        new AdamW(0.002, 0.01).amsgrad(true).globalClipnorm(2.0),
        new Adamax(0.003, 0.8, 0.95, 1e-6).clipvalue(0.5),
        new Adadelta(0.5, 0.9, 1e-6).useEma(true),
        new Adagrad(0.02, 0.2, 1e-6).emaMomentum(0.9).emaOverwriteFrequency(3),
        new Ftrl(0.05, -0.3, 0.2, 0.01, 0.02, 0.03, 0.1),
        new Lion(1e-4, 0.95, 0.98).weightDecay(0.01),
        new Nadam(0.002, 0.85, 0.995, 1e-6),
        new RMSprop(0.005, 0.8, 0.5, 1e-6, true),
        new SGD(0.1, 0.9, true),
        new SGD(new CosineDecay(0.05, 10, 0.1, 0.2, 2).name("my_cd")),
        new ExponentialDecay(0.05, 10, 0.96, true).name("my_ed"),
        new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 2, 3}).name("my_pcd"),
        new PolynomialDecay(0.1, 100, 0.005, 2.0, true).name("my_ld"),
        new CosineDecay(0.05, 10, 0.1).name("no_warmup"),
        new BinaryCrossentropy(true, 0.1, Reduction.SUM).name("bce"),
        new CategoricalCrossentropy(true, 0.2, Reduction.NONE),
        new SparseCategoricalCrossentropy(true, Reduction.MEAN_WITH_SAMPLE_WEIGHT),
        new Huber(2.0, Reduction.SUM).name("huber"),
        new KLDivergence(Reduction.SUM),
        new LogCosh().name("logcosh_loss"),
        new dev.tfkeras.losses.MeanAbsoluteError().reduction("sum"),
        new MeanAbsolutePercentageError(Reduction.NONE),
        new dev.tfkeras.losses.MeanSquaredError().name("my_mse"),
        new MeanSquaredLogarithmicError(Reduction.SUM),
        new Accuracy("my_accuracy"),
        new BinaryAccuracy("bin", 0.7),
        new CategoricalAccuracy("cat"),
        new SparseCategoricalAccuracy("sparse_cat"),
        new TopKCategoricalAccuracy("top_1", 1),
        new SparseTopKCategoricalAccuracy("sparse_top_3", 3),
        new dev.tfkeras.metrics.MeanSquaredError("mse_metric"),
        new dev.tfkeras.metrics.MeanAbsoluteError("mae_metric"),
        new RootMeanSquaredError("rmse"),
        new Mean("my_mean"),
        new Sum("my_sum"),
        new AUC("auc_1", 100, AUC.Curve.PR, AUC.Summation.MAJORING, true),
        new Precision("my_precision", new double[] {0.4, 0.9}, 15, 12),
        new Recall("my_recall", new double[] {0.4, 0.9}, 15, 12),
        new IoU("my_iou", 3, new int[] {2, 0}, 1, false, true, 1).dtype("float32"),
        new MeanIoU("my_mean_iou", 4, 255, true, false, -1),
        new BinaryIoU("my_binary_iou", new int[] {1}, 0.3).dtype("float32"),
        new OneHotIoU("my_one_hot_iou", 3, new int[] {0}, null, true, 2),
        new OneHotMeanIoU("my_one_hot_mean_iou", 5, 0, false, -1).dtype("float32"));
  }

  private static Class<?> family(Object sample) {
    return FAMILIES.stream().filter(f -> f.isInstance(sample)).findFirst().orElseThrow();
  }

  @Test
  void everyClassRoundTrips() {
    Set<Class<?>> covered = new LinkedHashSet<>();
    for (Configurable sample : samples()) {
      Config config = sample.getConfig();
      Config serialized = Serialization.serialize(sample);
      assertEquals(null, serialized.get("registered_name"), sample.toString());
      Object copy = Serialization.deserialize(Config.fromJson(serialized.toJson()), family(sample));
      assertSame(sample.getClass(), copy.getClass(), sample.toString());
      assertEquals(config, ((Configurable) copy).getConfig(), sample.toString());
      covered.add(sample.getClass());
    }
    Set<Class<?>> found = new LinkedHashSet<>();
    for (String pkg : List.of("dev.tfkeras.optimizers", "dev.tfkeras.losses", "dev.tfkeras.metrics")) {
      found.addAll(ClassWalk.concreteSubtypes(Configurable.class, pkg)); // optimizers.schedules included
    }
    List<Class<?>> missing = new ArrayList<>(found);
    missing.removeAll(covered);
    assertEquals(List.of(), missing, "classes without a round-trip sample");
    assertEquals(covered, found, "samples of classes the walk does not find");
    assertEquals(43, found.size()); // 10 optimizers, 4 schedules, 10 losses, 19 metrics
  }

  @Test
  void everyClassNameOfAFamilyBuildsThatClass() {
    for (String name : dev.tfkeras.optimizers.Optimizers.classNames()) {
      assertEquals(name, dev.tfkeras.optimizers.Optimizers.factory(name).apply(new Config()).getClass().getSimpleName());
    }
    for (String name : dev.tfkeras.losses.Losses.classNames()) {
      assertEquals(name, dev.tfkeras.losses.Losses.factory(name).apply(new Config()).getClass().getSimpleName());
    }
    for (String name : Metrics.classNames()) {
      // the IoU metrics' num_classes and target_class_ids are required, as in Keras's constructors
      Config config = name.contains("IoU") && !name.equals("BinaryIoU")
          ? Config.fromJson("{\"num_classes\": 3, \"target_class_ids\": [0, 2]}") : new Config();
      if (name.contains("MeanIoU")) {
        config.remove("target_class_ids");
      }
      assertEquals(name, Metrics.factory(name).apply(config).getClass().getSimpleName());
    }
    assertEquals(Set.of("CosineDecay", "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay"),
        dev.tfkeras.optimizers.schedules.LearningRateSchedules.classNames());
  }

  /** The optimizer config a Keras 3.11.1 file holds (src/test/resources/keras/mnist_dense_keras_3_11_1.keras). */
  private static final String KERAS_3_11_ADAM = "{\"name\": \"adam\", \"learning_rate\": 0.0010000000474974513,"
      + " \"weight_decay\": null, \"clipnorm\": null, \"global_clipnorm\": null, \"clipvalue\": null,"
      + " \"use_ema\": false, \"ema_momentum\": 0.99, \"ema_overwrite_frequency\": null,"
      + " \"loss_scale_factor\": null, \"gradient_accumulation_steps\": null, \"beta_1\": 0.9,"
      + " \"beta_2\": 0.999, \"epsilon\": 1e-07, \"amsgrad\": false}";

  @Test
  void optimizersHaveKerasKeysAndValues() {
    assertEquals(Config.fromJson(KERAS_3_11_ADAM), new Adam().getConfig());
    assertEquals(new Adam().getConfig(), Adam.fromConfig(Config.fromJson(KERAS_3_11_ADAM)).getConfig());
    // keys in Keras's order: base_optimizer.get_config, then the class's own
    assertEquals(List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps",
        "momentum", "nesterov"), List.copyOf(new SGD().getConfig().keys()));
    // Keras's defaults (each optimizer's __init__)
    assertEquals(0.01, new SGD().getConfig().getDouble("learning_rate", 0), 1e-9);
    assertEquals(0.95, new Adadelta().getConfig().getDouble("rho", 0), 1e-9);
    assertEquals(0.99, new Lion().getConfig().getDouble("beta_2", 0), 1e-9);
    assertEquals(0.004, new AdamW().getConfig().getDouble("weight_decay", 0), 1e-9);
    assertEquals(-0.5, new Ftrl().getConfig().getDouble("learning_rate_power", 0), 1e-9);
    // a learning rate the training loop changed (ReduceLROnPlateau) is written as its current value
    Optimizer sgd = new SGD(0.1);
    sgd.setLearningRate(0.05);
    assertEquals((double) 0.05f, sgd.getConfig().getDouble("learning_rate", 0));
    // a schedule is written as Keras serializes it
    Config scheduled = new Adam(new ExponentialDecay(0.05, 10, 0.96, true).name("my_ed")).getConfig();
    assertEquals(Config.fromJson("{\"module\": \"keras.optimizers.schedules\", \"class_name\": \"ExponentialDecay\","
            + " \"config\": {\"initial_learning_rate\": 0.05, \"decay_steps\": 10, \"decay_rate\": 0.96,"
            + " \"staircase\": true, \"name\": \"my_ed\"}, \"registered_name\": null}"),
        scheduled.getConfig("learning_rate"));
    // EMA settings are kept (and written) when use_ema is off, as Keras keeps them
    Config emaOff = Config.fromJson("{\"use_ema\": false, \"ema_momentum\": 0.5, \"ema_overwrite_frequency\": 4}");
    Config read = RMSprop.fromConfig(emaOff).getConfig();
    assertEquals(false, read.get("use_ema"));
    assertEquals(0.5, read.getDouble("ema_momentum", 0));
    assertEquals(4, read.getInt("ema_overwrite_frequency", 0));
  }

  /** Each optimizer's own keys, in order, as its get_config in keras/src/optimizers/*.py adds them. */
  @Test
  void everyOptimizerHasKerasKeysInKerasOrder() {
    List<String> base = List.of("name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
        "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps");
    java.util.Map<Optimizer, List<String>> own = new java.util.LinkedHashMap<>();
    own.put(new Adam(), List.of("beta_1", "beta_2", "epsilon", "amsgrad"));
    own.put(new AdamW(), List.of("beta_1", "beta_2", "epsilon", "amsgrad")); // AdamW keeps Adam's get_config
    own.put(new Adamax(), List.of("beta_1", "beta_2", "epsilon"));
    own.put(new Nadam(), List.of("beta_1", "beta_2", "epsilon"));
    own.put(new Lion(), List.of("beta_1", "beta_2"));
    own.put(new Adadelta(), List.of("rho", "epsilon"));
    own.put(new Adagrad(), List.of("initial_accumulator_value", "epsilon"));
    own.put(new RMSprop(), List.of("rho", "momentum", "epsilon", "centered"));
    own.put(new SGD(), List.of("momentum", "nesterov"));
    own.put(new Ftrl(), List.of("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
        "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"));
    own.forEach((optimizer, keys) -> {
      List<String> expected = new ArrayList<>(base);
      expected.addAll(keys);
      assertEquals(expected, List.copyOf(optimizer.getConfig().keys()), optimizer.getClass().getSimpleName());
    });
    assertEquals(dev.tfkeras.optimizers.Optimizers.classNames().size(), own.size());
  }

  @Test
  void optimizersReadKerasFilesAndIdentifiers() {
    // tf.keras 2 (LegacyH5Fixture's training_config, its `decay` already dropped by the legacy reader):
    // class names are matched without regard to case and the file's name is kept, as Keras does
    Optimizer sgd = Serialization.deserialize(Config.fromJson("{\"class_name\": \"sgd\", \"config\": {\"name\": \"SGD\","
        + " \"learning_rate\": 0.009999999776482582, \"momentum\": 0.8999999761581421, \"nesterov\": false}}"), Optimizer.class);
    assertEquals("SGD", sgd.name());
    assertEquals(0.9f, ((SGD) sgd).momentum());
    assertEquals(0.01f, sgd.learningRate());
    Optimizer scheduled = Serialization.deserialize(Config.fromJson("{\"module\": \"keras.optimizers\", \"class_name\":"
        + " \"Adam\", \"config\": {\"learning_rate\": {\"module\": \"keras.optimizers.schedules\", \"class_name\":"
        + " \"PiecewiseConstantDecay\", \"config\": {\"boundaries\": [10, 20], \"values\": [1, 2, 3], \"name\":"
        + " \"my_pcd\"}, \"registered_name\": null}}, \"registered_name\": null}"), Optimizer.class);
    assertInstanceOf(PiecewiseConstantDecay.class, scheduled.learningRateSchedule().orElseThrow());
    assertEquals(2f, scheduled.learningRateSchedule().orElseThrow().valueAt(15));
    assertInstanceOf(Nadam.class, Serialization.deserialize("nadam", Optimizer.class));
  }

  @Test
  void schedulesHaveKerasKeysAndValues() {
    // keras/src/optimizers/schedules/learning_rate_schedule_test.py test_config values
    assertEquals(Config.fromJson("{\"boundaries\": [10, 20], \"values\": [1, 2, 3], \"name\": \"my_pcd\"}"),
        new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 2, 3}).name("my_pcd").getConfig());
    assertEquals(Config.fromJson("{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"end_learning_rate\": 0.005,"
            + " \"power\": 1.0, \"cycle\": false, \"name\": \"my_ld\"}"),
        new PolynomialDecay(0.1, 100, 0.005, 1.0, false).name("my_ld").getConfig());
    assertEquals(Config.fromJson("{\"initial_learning_rate\": 0.05, \"decay_steps\": 10, \"alpha\": 0.1,"
            + " \"name\": \"my_cd\", \"warmup_target\": 0.2, \"warmup_steps\": 2}"),
        new CosineDecay(0.05, 10, 0.1, 0.2, 2).name("my_cd").getConfig());
    // Keras's default names
    assertEquals("PiecewiseConstant", new PiecewiseConstantDecay(new long[] {1}, new double[] {1, 2}).name());
    assertEquals("CosineDecay", new CosineDecay(0.1, 10).getConfig().getString("name", null));
    assertEquals(0.1f, CosineDecay.fromConfig(Config.fromJson("{\"initial_learning_rate\": 0.1, \"decay_steps\": 10}")).valueAt(0));
  }

  @Test
  void lossesHaveKerasKeysAndValues() {
    // keras/src/losses/losses_test.py: Huber and LogCosh test_config
    assertEquals(Config.fromJson("{\"name\": \"huber\", \"reduction\": \"sum\", \"delta\": 2.0}"),
        new Huber(2.0).reduction("sum").name("huber").getConfig());
    assertEquals(Config.fromJson("{\"name\": \"logcosh_loss\", \"reduction\": \"sum\"}"),
        new LogCosh().reduction("sum").name("logcosh_loss").getConfig());
    assertEquals(Config.fromJson("{\"name\": \"binary_crossentropy\", \"reduction\": \"sum_over_batch_size\","
        + " \"from_logits\": false, \"label_smoothing\": 0.0, \"axis\": -1}"), new BinaryCrossentropy().getConfig());
    // axis left out: Keras 3.0 to 3.9 refuse it; Keras 3.10+ writes -1, which is read
    assertEquals(Config.fromJson("{\"name\": \"sparse_categorical_crossentropy\", \"reduction\": \"sum_over_batch_size\","
            + " \"from_logits\": true, \"ignore_class\": null}"),
        new SparseCategoricalCrossentropy(true).getConfig());
    assertEquals(new SparseCategoricalCrossentropy(true).getConfig(), SparseCategoricalCrossentropy.fromConfig(
        Config.fromJson("{\"from_logits\": true, \"ignore_class\": null, \"axis\": -1}")).getConfig());
    // tf.keras 2's training_config: reduction "auto" (its default) and the loss's function as `fn`
    Loss keras2 = Serialization.deserialize(Config.fromJson("{\"class_name\": \"CategoricalCrossentropy\", \"config\":"
        + " {\"reduction\": \"auto\", \"name\": \"categorical_crossentropy\", \"from_logits\": true,"
        + " \"label_smoothing\": 0.0, \"axis\": -1, \"fn\": \"categorical_crossentropy\"}}"), Loss.class);
    assertEquals(Reduction.SUM_OVER_BATCH_SIZE, keras2.reduction());
    assertTrue(((CategoricalCrossentropy) keras2).fromLogits());
    // reduction None is Keras's "no reduction"
    assertEquals(Reduction.NONE, dev.tfkeras.losses.MeanSquaredError.fromConfig(Config.fromJson("{\"reduction\": null}")).reduction());
    assertInstanceOf(dev.tfkeras.losses.MeanAbsoluteError.class, Serialization.deserialize("mae", Loss.class));
  }

  @Test
  void metricsHaveKerasKeysAndValues() {
    // keras/src/metrics/accuracy_metrics_test.py and confusion_metrics_test.py test_config
    assertEquals(Config.fromJson("{\"name\": \"accuracy\", \"dtype\": \"float32\"}"), new Accuracy().getConfig());
    assertEquals(Config.fromJson("{\"name\": \"top_k_categorical_accuracy\", \"dtype\": \"float32\", \"k\": 1}"),
        new TopKCategoricalAccuracy(1).getConfig());
    assertEquals(Config.fromJson("{\"name\": \"binary_accuracy\", \"dtype\": \"float32\", \"threshold\": 0.5}"),
        new BinaryAccuracy().getConfig());
    assertEquals(Config.fromJson("{\"name\": \"my_precision\", \"dtype\": \"float32\", \"thresholds\": [0.4, 0.9],"
        + " \"top_k\": 15, \"class_id\": 12}"), new Precision("my_precision", new double[] {0.4, 0.9}, 15, 12).getConfig());
    assertEquals(Config.fromJson("{\"name\": \"recall\", \"dtype\": \"float32\", \"thresholds\": null, \"top_k\": null,"
        + " \"class_id\": null}"), new Recall().getConfig());
    assertEquals(Config.fromJson("{\"name\": \"auc_1\", \"dtype\": \"float32\", \"num_thresholds\": 100, \"curve\": \"PR\","
            + " \"summation_method\": \"majoring\", \"multi_label\": false, \"num_labels\": null, \"label_weights\": null,"
            + " \"from_logits\": true}"),
        new AUC("auc_1", 100, AUC.Curve.PR, AUC.Summation.MAJORING, true).getConfig());
    // a single threshold as Keras takes it (a number)
    Precision one = Precision.fromConfig(Config.fromJson("{\"name\": \"p\", \"thresholds\": 0.7}"));
    assertEquals(0.7, one.getConfig().getDoubles("thresholds")[0], 1e-9);
    // Keras 3.16's from_sorted_ids, false, is accepted; "accuracy" is an identifier, saved as such
    assertEquals(3, SparseTopKCategoricalAccuracy.fromConfig(Config.fromJson(
        "{\"name\": \"s\", \"dtype\": \"float32\", \"k\": 3, \"from_sorted_ids\": false}")).k());
    Metric accuracy = Serialization.deserialize("accuracy", Metric.class);
    UnsupportedOperationException identifier = assertThrows(UnsupportedOperationException.class, accuracy::getConfig);
    assertTrue(identifier.getMessage().contains("saved as that identifier"), identifier.getMessage());
  }

  @Test
  void settingsTfkerasCannotRepresentAreRefusedByName() {
    IllegalArgumentException ignoreClass = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"name\": \"scce\","
            + " \"from_logits\": true, \"ignore_class\": 3, \"axis\": -1}}"), Loss.class));
    assertEquals("'scce' (SparseCategoricalCrossentropy) sets `ignore_class`=3, which tfkeras does not support yet;"
        + " only the default (null) is accepted.", ignoreClass.getMessage());
    IllegalArgumentException axis = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"axis\": 0}}"), Loss.class));
    assertTrue(axis.getMessage().startsWith("CategoricalCrossentropy has axis=0; tfkeras computes this loss over the"
        + " last axis only"), axis.getMessage());
    IllegalArgumentException accumulation = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"Adam\", \"config\": {\"name\": \"adam\", \"gradient_accumulation_steps\": 4}}"),
        Optimizer.class));
    assertEquals("'adam' (Adam) sets `gradient_accumulation_steps`=4, which tfkeras does not support yet; only the"
        + " default (null) is accepted.", accumulation.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"SGD\", \"config\": {\"momentum\": 0.5, \"decay\": 0.1}}"), Optimizer.class));
    assertTrue(unknown.getMessage().startsWith("SGD has config key(s) [decay] that tfkeras does not know for SGD"),
        unknown.getMessage());
    IllegalArgumentException multiLabel = assertThrows(IllegalArgumentException.class, () -> AUC.fromConfig(
        Config.fromJson("{\"name\": \"auc_1\", \"multi_label\": true, \"num_labels\": 2}").describes("AUC")));
    assertTrue(multiLabel.getMessage().startsWith("'auc_1' (AUC) sets multi_label=true"), multiLabel.getMessage());
    IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> Accuracy.fromConfig(
        Config.fromJson("{\"name\": \"a\", \"dtype\": \"float64\"}").describes("Accuracy")));
    assertTrue(dtype.getMessage().contains("`dtype`"), dtype.getMessage());
    IllegalArgumentException adamW = assertThrows(IllegalArgumentException.class, () -> AdamW.fromConfig(
        Config.fromJson("{\"weight_decay\": null}").describes("AdamW")));
    assertTrue(adamW.getMessage().startsWith("Argument `weight_decay` must be a float."), adamW.getMessage());
    IllegalArgumentException unknownClass = assertThrows(IllegalArgumentException.class, () -> Serialization.deserialize(
        Config.fromJson("{\"class_name\": \"Adafactor\", \"config\": {}}"), Optimizer.class));
    assertTrue(unknownClass.getMessage().contains("tfkeras's keras.optimizers: Adadelta, Adagrad, Adam, AdamW,"),
        unknownClass.getMessage());
  }

  /** A schedule of one's own, as a Keras user subclasses LearningRateSchedule. */
  public static final class Halving extends LearningRateSchedule {
    @Override
    public Operand<TFloat32> call(Ops tf, Operand<TInt64> step) {
      return tf.math.pow(tf.constant(0.5f), tf.dtypes.cast(step, TFloat32.class));
    }
  }

  @Test
  void aScheduleWithoutConfigSaysHowToMakeItSaveable() {
    UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
        () -> new Adam(new Halving()).getConfig());
    assertTrue(error.getMessage().contains("CustomObjects.register(\"Halving\", Halving::fromConfig)"), error.getMessage());
  }
}
