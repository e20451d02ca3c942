package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossParamSchedule;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loss parameters scheduled by step, as deel-lip's LossParamScheduler sets them before each batch. */
class LossScheduleTrainingTest {
  private static Dataset train;
  private static Dataset validation;

  @BeforeAll
  static void data() throws IOException {
    train = FashionMnist.load(Split.TRAIN).take(1000);
    validation = FashionMnist.load(Split.TEST).take(200);
  }

  private static ModelSpec model() {
    return new ModelSpec("scheduled", List.of(28, 28, 1),
        List.of(new FlattenConfig(), new SpectralDenseConfig(32), new GroupSort2Config(), new FrobeniusDenseConfig(10)),
        null, false, null, null);
  }

  /** MulticlassHKR(alpha, 0.5), batch 100 (10 steps an epoch), with an optional alpha schedule. */
  private static TrainOptions options(double alpha, List<LossParamSchedule> schedule, int epochs, Path out,
      boolean resume) {
    TrainingSpec t = new TrainingSpec(new LossSpec("MulticlassHKR", alpha, 0.5, null, null, null), null, 3e-3, null,
        null, null, 100, epochs, schedule);
    return new TrainOptions(t, 7, out, resume, 1, 1, Device.CPU, null);
  }

  /** The step losses, then the validation loss of each epoch. */
  private static List<Float> losses(TrainOptions o) throws IOException {
    try (Trainer t = new Trainer(model(), o)) {
      List<EpochMetrics> history = t.fit(train, validation);
      List<Float> out = new ArrayList<>(t.stepLosses());
      history.forEach(m -> out.add(m.valLoss().floatValue()));
      return out;
    }
  }

  /**
   * A schedule holding alpha at 10 trains and validates exactly like alpha = 10 whatever the loss block says; one
   * that jumps to 100 after step 12 leaves steps 0-12 as they were and changes step 13.
   */
  @Test
  void aScheduleSetsTheParameterBeforeEachStep() throws IOException {
    List<Float> fixed = losses(options(10, null, 2, null, false));
    assertEquals(22, fixed.size(), "20 steps and 2 validations");
    assertEquals(fixed, losses(options(50, List.of(new LossParamSchedule("alpha", List.of(0L), List.of(10.0))), 2,
        null, false)));
    List<Float> jump = losses(options(10, List.of(new LossParamSchedule("alpha", List.of(0L, 12L, 13L),
        List.of(10.0, 10.0, 100.0))), 2, null, false));
    assertEquals(fixed.subList(0, 13), jump.subList(0, 13));
    assertNotEquals(fixed.get(13), jump.get(13));
  }

  /** The value is a function of the run's step, so a resumed run continues the schedule where it stopped. */
  @Test
  void aResumedRunContinuesTheSchedule(@TempDir Path dir) throws IOException {
    List<LossParamSchedule> ramp = List.of(new LossParamSchedule("alpha", List.of(0L, 19L), List.of(5.0, 100.0)),
        new LossParamSchedule("minMargin", List.of(10L, 19L), List.of(0.5, 1.5)));
    List<float[]> straight;
    try (Trainer t = new Trainer(model(), options(10, ramp, 2, dir.resolve("a"), false))) {
      t.fit(train, validation);
      straight = TrainerTest.weights(t);
    }
    try (Trainer t = new Trainer(model(), options(10, ramp, 1, dir.resolve("b"), false))) {
      t.fit(train, validation);
    }
    try (Trainer t = new Trainer(model(), options(10, ramp, 2, dir.resolve("b"), true))) {
      t.fit(train, validation);
      List<float[]> resumed = TrainerTest.weights(t);
      for (int i = 0; i < straight.size(); i++) {
        assertArrayEquals(straight.get(i), resumed.get(i), 1e-6f, "variable " + i);
      }
    }
  }

}
