package org.jlip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** numpy.interp's values at hand-computed points; what a schedule may name and hold; its JSON round trip. */
class LossParamScheduleTest {

  @Test
  void valuesFollowNumpyInterp() {
    LossParamSchedule s = new LossParamSchedule("alpha", List.of(10L, 20L, 40L), List.of(1.0, 3.0, -1.0));
    assertEquals(1.0, s.at(0));
    assertEquals(1.0, s.at(10));
    assertEquals(2.0, s.at(15), 1e-12);
    assertEquals(3.0, s.at(20));
    assertEquals(2.0, s.at(25), 1e-12);
    assertEquals(-1.0, s.at(40));
    assertEquals(-1.0, s.at(1_000_000));
    LossParamSchedule one = new LossParamSchedule("tau", List.of(5L), List.of(7.0));
    assertEquals(7.0, one.at(0));
    assertEquals(7.0, one.at(9));
  }

  @Test
  void badSchedulesAreRefusedNamingTheParameter() {
    for (Runnable r : List.<Runnable>of(
        () -> new LossParamSchedule("alpha", List.of(0L, 0L), List.of(1.0, 2.0)),
        () -> new LossParamSchedule("alpha", List.of(-1L), List.of(1.0)),
        () -> new LossParamSchedule("alpha", List.of(0L, 5L), List.of(1.0)),
        () -> new LossParamSchedule("alpha", List.of(), List.of()),
        () -> new LossParamSchedule("alpha", List.of(0L), List.of(Double.NaN)))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }
  }

  @Test
  void aTrainingBlockSchedulesOnlyItsLossesParametersOnce() {
    LossParamSchedule temperature = new LossParamSchedule("temperature", List.of(0L), List.of(1.0));
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> new TrainingSpec(LossSpec.of("MulticlassHKR"), null, null, null, null, null, null, null,
            List.of(temperature)));
    assertTrue(other.getMessage().contains("MulticlassHKR has no parameter temperature")
        && other.getMessage().contains("[alpha, minMargin]"), other.getMessage());
    LossParamSchedule alpha = new LossParamSchedule("alpha", List.of(0L), List.of(1.0));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> new TrainingSpec(LossSpec.of("HKR"), null, null, null, null, null, null, null, List.of(alpha, alpha)));
    assertTrue(twice.getMessage().contains("alpha is scheduled twice"), twice.getMessage());
    assertNull(new TrainingSpec(LossSpec.of("HKR"), null, null, null, null, null, null, null, List.of())
        .lossSchedule(), "an empty schedule is none, and writes no field");
  }

  @Test
  void aModelFilesScheduleRoundTrips() {
    String json = "{\"name\": \"m\", \"inputShape\": [4], \"layers\": [{\"type\": \"SpectralDense\", \"units\": 2}],"
        + " \"training\": {\"loss\": {\"type\": \"MulticlassSoftHKR\"}, \"lossSchedule\": [{\"param\":"
        + " \"temperature\", \"steps\": [0, 100], \"values\": [1, 20]}]}}";
    ModelSpec spec = ModelJson.parse(json);
    LossParamSchedule s = spec.training().schedules().get(0);
    assertEquals(10.5, s.at(50), 1e-12);
    assertEquals(spec.training(), ModelJson.parse(ModelJson.toJson(spec)).training());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        json.replace("\"steps\"", "\"xp\"")));
    assertTrue(unknown.getMessage().contains("xp"), unknown.getMessage());
  }
}
