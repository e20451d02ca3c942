package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;

class SessionsTest {

  @Test
  void xlaTurnsOnAutoClusteringAndNothingElse() {
    ConfigProto plain = Sessions.config(2, 0);
    ConfigProto xla = Sessions.config(2, 0, true);
    assertFalse(plain.hasGraphOptions());
    assertEquals(OptimizerOptions.GlobalJitLevel.ON_1, xla.getGraphOptions().getOptimizerOptions().getGlobalJitLevel());
    assertEquals(plain, xla.toBuilder().clearGraphOptions().build());
    assertTrue(xla.getAllowSoftPlacement());
    assertTrue(xla.getUsePerSessionThreads());
  }
}
