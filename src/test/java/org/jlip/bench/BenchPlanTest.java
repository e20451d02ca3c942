package org.jlip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jlip.model.ModelJson;
import org.junit.jupiter.api.Test;

class BenchPlanTest {

  private static BenchPlan plan(String... only) {
    return BenchPlan.of(new BenchOptions(List.of(only), null, null, null, null, null, 0, 1, 1, 0, 1));
  }

  @Test
  void everyNameSelectsItsOwnMeasurement() {
    assertEquals(List.of("layer-dense"), List.copyOf(plan("layer-dense").workloads().keySet()));
    assertEquals(List.of("matmul", "layer-conv"), List.copyOf(plan("matmul", "layer-conv").workloads().keySet()));
  }

  @Test
  void exactConvAlsoMeasuresItsDefaultSide() {
    assertEquals(List.of("layer-spectral-conv", "exact-conv"),
        List.copyOf(plan("exact-conv").workloads().keySet()));
  }

  /** The Java bound is measured against the exhaustive method it replaced, on request only (slow steps). */
  @Test
  void boundDftAlsoMeasuresTheExhaustiveBoundAndIsNotADefault() {
    BenchPlan p = plan("bound-dft");
    assertEquals(List.of("bound-dft", "bound-dft-exhaustive"), List.copyOf(p.workloads().keySet()));
    assertTrue(p.ratios().stream().anyMatch(r -> r.name().equals("ratio-bound-dft")
        && r.numerator().equals("bound-dft") && r.denominator().equals("bound-dft-exhaustive")));
    assertTrue(!plan().workloads().containsKey("bound-dft"));
  }

  @Test
  void allByDefaultWithTheExampleModelsAndTheirRatio() {
    BenchPlan p = plan();
    assertEquals(List.of("matmul", "layer-dense", "layer-spectral-dense", "layer-conv", "layer-spectral-conv",
        "exact-conv", "model:examples/fmnist-hkr.json", "model:examples/fmnist-baseline.json"),
        List.copyOf(p.workloads().keySet()));
    BenchPlan.Ratio model = p.ratios().stream().filter(r -> r.name().equals("ratio-model")).findFirst()
        .orElseThrow();
    assertEquals("model:examples/fmnist-hkr.json", model.numerator());
    assertEquals("model:examples/fmnist-baseline.json", model.denominator());
    assertEquals(2.0, model.target());
    BenchPlan.Ratio conv = p.ratios().stream().filter(r -> r.name().equals("ratio-spectral-conv")).findFirst()
        .orElseThrow();
    assertEquals(1.3, conv.target());
  }

  /** Issue 4's 2x target compares a model with its same-layout baseline, not with any plain net. */
  @Test
  void modelTargetOnlyAgainstTheSameLayout() throws IOException {
    var hkr = ModelJson.read(Path.of("examples", "fmnist-hkr.json"));
    var baseline = ModelJson.read(Path.of("examples", "fmnist-baseline.json"));
    var plain = ModelJson.read(Path.of("examples", "plain-convnet.json"));
    assertTrue(BenchPlan.sameLayout(hkr, baseline));
    assertFalse(BenchPlan.sameLayout(hkr, plain));
    BenchPlan p = BenchPlan.of(new BenchOptions(List.of("models"), List.of(Path.of("examples", "fmnist-hkr.json"),
        Path.of("examples", "plain-convnet.json")), null, null, null, null, 0, 1,
        1, 0, 1));
    BenchPlan.Ratio r = p.ratios().stream().filter(x -> x.name().equals("ratio-model")).findFirst().orElseThrow();
    assertEquals("model:examples/plain-convnet.json", r.denominator());
    assertNull(r.target());
  }

  @Test
  void modelFileNamedInOnly() {
    assertEquals(List.of("model:examples/fmnist-baseline.json"),
        List.copyOf(plan("model:examples/fmnist-baseline.json").workloads().keySet()));
  }

  @Test
  void unknownNameIsRefusedListingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan("matmull"));
    assertTrue(e.getMessage().contains("'matmull'") && e.getMessage().contains("layer-spectral-conv"),
        e.getMessage());
  }
}
