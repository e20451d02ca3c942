package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliChecksTest {

  @Test
  void reportModelNamesStayInsideTheOutputFolderAndAreUnique() {
    assertEquals(Map.of("hkr", Path.of("runs/a"), "base.v2", Path.of("b=c")),
        CliChecks.namedModels(List.of("hkr=runs/a", "base.v2=b=c")));
    for (String bad : List.of("../escaped=m", "a/b=m", "=m", ".=m", "..=m", "-x=m", "name", "name=")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CliChecks.namedModels(List.of(bad)), bad);
      assertTrue(e.getMessage().contains("--model"), e.getMessage());
    }
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> CliChecks.namedModels(List.of("a=m", "a=n")));
    assertTrue(twice.getMessage().contains("'a' is given twice"), twice.getMessage());
  }

  @Test
  void radiiMustBeFiniteAndPositive() {
    assertDoesNotThrow(() -> CliChecks.radii(null));
    assertDoesNotThrow(() -> CliChecks.radii(List.of(0.1, 36.0 / 255)));
    for (double bad : new double[] {-0.1, 0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> CliChecks.radii(List.of(bad)), Double.toString(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> CliChecks.atLeastOne("--n", 0));
  }

  @Test
  void imagesMustHaveTheModelsLayoutUnlessFlat() {
    long[] image = {28, 28, 1};
    assertDoesNotThrow(() -> CliChecks.imagesFit(image, 28, 28, 1, "x.npy"));
    assertDoesNotThrow(() -> CliChecks.imagesFit(image, 1, 784, 1, "flat.npy"));
    assertDoesNotThrow(() -> CliChecks.imagesFit(new long[] {784}, 28, 28, 1, "x.npy"));
    // The same 784 values as [28, 1, 28] or NCHW [3, 32, 32] for a [32, 32, 3] model: a reshape would scramble them.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CliChecks.imagesFit(image, 28, 1, 28, "t.npy"));
    assertTrue(e.getMessage().contains("[28, 28, 1] (NHWC)") && e.getMessage().contains("[28, 1, 28]"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CliChecks.imagesFit(new long[] {32, 32, 3}, 3, 32, 32, "c"));
    assertThrows(IllegalArgumentException.class, () -> CliChecks.imagesFit(image, 32, 32, 1, "big.npy"));
  }
}
