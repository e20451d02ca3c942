package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.junit.jupiter.api.Test;

class RadiiTest {
  private static final float[] NORMS = {0.5f, 1.0f, 0.8f};
  private static final float[] LOGITS = {2.0f, 0.5f, 1.5f, -1.0f, 0.2f, 0.1f};

  private static ModelBound disjoint(float[] norms) {
    return new ModelBound(List.of("body", "head"), List.of(new LayerBound(1, 2.0, 2.0, "svd", false),
        new LayerBound(1, 1.0, 1.0, "column-norms", true)), true, norms);
  }

  @Test
  void pairwiseRadiusFollowsTheFormulaAndIsNeverBelowThePlainRule() {
    ModelBound b = disjoint(NORMS);
    float[] r = Radii.againstLabels(LOGITS, new int[] {0, 1}, 3, CertificateRule.DISJOINT, b);
    // sample 0, class 0 against 1 and 2: (2-0.5)/(2*(0.5+1)) = 0.5, (2-1.5)/(2*(0.5+0.8)) = 0.19231
    assertEquals(0.5 / 2.6, r[0], 1e-6);
    // sample 1, class 1 (0.2) against 0 (-1) and 2 (0.1): 1.2/(2*1.5) = 0.4, 0.1/(2*1.8) = 0.02778
    assertEquals(0.1 / 3.6, r[1], 1e-6);
    float[] plain = Radii.againstLabels(LOGITS, new int[] {0, 1}, 3, CertificateRule.DISJOINT,
        new ModelBound(b.layerNames(), b.layers(), true));
    for (int i = 0; i < r.length; i++) {
      assertTrue(r[i] >= plain[i] - 1e-7, "pairwise " + r[i] + " below the plain rule " + plain[i]);
    }
    PredictedRadii p = Radii.predicted(LOGITS, 2, 3, CertificateRule.DISJOINT, b);
    assertArrayEquals(new long[] {0, 1}, p.labels());
    assertArrayEquals(r, p.radius(), 1e-7f);
  }

  @Test
  void withoutNeuronNormsTheRuleOfTheHeadApplies() {
    ModelBound b = new ModelBound(List.of("m"), List.of(new LayerBound(1, 1.25, 1.25, "svd", false)), false);
    float[] r = Radii.againstLabels(LOGITS, new int[] {0, 1}, 3, CertificateRule.SQRT2, b);
    assertEquals(0.5 / (Math.sqrt(2) * 1.25), r[0], 1e-6);
  }
}
