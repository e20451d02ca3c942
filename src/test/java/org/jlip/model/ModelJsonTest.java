package org.jlip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jlip.layers.Conv2DConfig;
import org.jlip.layers.Conv2DTransposeConfig;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusConv2DConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.FullSortConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.GroupSortConfig;
import org.jlip.layers.HouseholderConfig;
import org.jlip.layers.InvertibleDownSamplingConfig;
import org.jlip.layers.InvertibleUpSamplingConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LayerRegistry;
import org.jlip.layers.MaxMinConfig;
import org.jlip.layers.MaxPooling2DConfig;
import org.jlip.layers.ReLUConfig;
import org.jlip.layers.ScaledAveragePooling2DConfig;
import org.jlip.layers.ScaledGlobalAveragePooling2DConfig;
import org.jlip.layers.ScaledGlobalL2NormPooling2DConfig;
import org.jlip.layers.ScaledL2NormPooling2DConfig;
import org.jlip.layers.SpectralConv2DConfig;
import org.jlip.layers.SpectralConv2DTransposeConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

  private static ModelSpec everyLayerType() {
    List<LayerConfig> layers = List.of(
        new SpectralConv2DConfig(8, List.of(3, 3), List.of(1, 1), "same", false, 2.0, 1e-4, 5, 1e-4, 12, 0.4,
            true, "conv_a"),
        new FrobeniusConv2DConfig(8, List.of(5, 5), true, null, null),
        new GroupSortConfig(4, 2, null, null),
        new GroupSort2Config(),
        new FullSortConfig(null, 1.5, null),
        new MaxMinConfig(null, null, "mm"),
        new HouseholderConfig(0.25, "hh"),
        new ScaledL2NormPooling2DConfig(),
        new ScaledAveragePooling2DConfig(List.of(2, 1), null, null),
        new InvertibleDownSamplingConfig(List.of(2, 2), null),
        new InvertibleUpSamplingConfig(List.of(1, 2), "up2"),
        new Conv2DConfig(4, List.of(3, 3), List.of(2, 2), "valid", false, null),
        new SpectralConv2DTransposeConfig(4, List.of(3, 3), List.of(2, 2), "same", false, 0.5, 1e-4, 5, 1e-4, 12,
            0.4, true, "up"),
        new Conv2DTransposeConfig(4, List.of(2, 2), List.of(2, 1), "valid", true, null),
        new ReLUConfig(null),
        new MaxPooling2DConfig(List.of(1, 1), null),
        new ScaledGlobalL2NormPooling2DConfig(),
        new ScaledGlobalAveragePooling2DConfig(),
        new FlattenConfig(),
        new SpectralDenseConfig(16),
        new DenseConfig(12),
        new FrobeniusDenseConfig(10, false, true, null, "head"));
    return new ModelSpec("all", List.of(28, 28, 1), layers, 2.0, true, List.of("a", "b"),
        new TrainingSpec(new LossSpec("MulticlassHKR", 100.0, 0.5, null, null, null), null, 1e-3, null, null,
            0.9, 64, 3));
  }

  @Test
  void configToJsonToConfigIsTheIdentity() {
    ModelSpec spec = everyLayerType();
    String json = ModelJson.toJson(spec);
    ModelSpec back = ModelJson.parse(json);
    assertEquals(spec, back);
    assertEquals(json, ModelJson.toJson(back));
    // Every registered layer type takes part in the round trip.
    assertEquals(LayerRegistry.typeNames(),
        spec.layers().stream().map(LayerConfig::type).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void defaultsAreFilledInFromDeelLip() {
    ModelSpec spec = ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"SpectralDense\",\"units\":3}]}");
    SpectralDenseConfig c = (SpectralDenseConfig) spec.layers().get(0);
    assertEquals(1e-3, c.epsSpectral());
    assertEquals(10, c.maxIterSpectral());
    assertEquals(15, c.maxIterBjorck());
    assertEquals(0.5, c.betaBjorck());
    assertEquals(1.0, c.kCoefLip());
    assertTrue(c.useBias());
  }

  @Test
  void unknownTypeNamesTheIndexAndTheAllowedTypes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"Flatten\"},{\"type\":\"SpectralDence\",\"units\":3}]}"));
    assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
    assertTrue(e.getMessage().contains("SpectralDence"), e.getMessage());
    assertTrue(e.getMessage().contains("SpectralDense"), e.getMessage());
  }

  @Test
  void unknownFieldNamesTheFieldAndTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[28,28,1],\"layers\":[{\"type\":\"SpectralConv2D\",\"filter\":3}]}"));
    assertTrue(e.getMessage().contains("layer 0 (SpectralConv2D)"), e.getMessage());
    assertTrue(e.getMessage().contains("'filter'"), e.getMessage());
    assertTrue(e.getMessage().contains("filters"), e.getMessage());
  }

  @Test
  void badParameterValueNamesTheLayerTheFieldAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"SpectralDense\",\"units\":3,\"betaBjorck\":0.7}]}"));
    assertTrue(e.getMessage().contains("layer 0 (SpectralDense)"), e.getMessage());
    assertTrue(e.getMessage().contains("betaBjorck"), e.getMessage());
    assertTrue(e.getMessage().contains("0.7"), e.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"SpectralDense\",\"units\":0}]}"));
    assertTrue(zero.getMessage().contains("units must be > 0, got 0"), zero.getMessage());
  }

  @Test
  void badTrainingBlockAndTopLevelFieldsAreNamed() {
    IllegalArgumentException loss = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"Flatten\"}],"
            + "\"training\":{\"loss\":{\"type\":\"KR\",\"alpha\":3}}}"));
    assertTrue(loss.getMessage().contains("KR takes no parameter alpha"), loss.getMessage());
    IllegalArgumentException top = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layer\":[]}"));
    assertTrue(top.getMessage().contains("'layer'"), top.getMessage());
  }

  /** A fractional count is refused rather than truncated; broken JSON names the line and column only. */
  @Test
  void fractionalCountsAndBrokenJsonAreRefusedClearly() {
    IllegalArgumentException units = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"SpectralDense\",\"units\":10.5}]}"));
    assertTrue(units.getMessage().contains("layer 0 (SpectralDense)") && units.getMessage().contains("10.5"),
        units.getMessage());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(
        "{\"inputShape\":[4],\"layers\":[{\"type\":\"Flatten\"}]"));
    assertTrue(broken.getMessage().startsWith("not valid JSON at line 1, column ")
        && !broken.getMessage().contains("Source"), broken.getMessage());
  }

  /**
   * A hand-written file's slips are refused, not settled silently: a number written as text, text written as a
   * number, a duplicate key (Jackson would keep the last), text after the object.
   */
  @Test
  void valuesOfAnotherJsonTypeDuplicateKeysAndTrailingTextAreRefused() {
    String dense = "{\"inputShape\":[4],\"layers\":[{\"type\":\"SpectralDense\",";
    String[][] cases = {
        {dense + "\"units\":\"10\"}]}", "layer 0 (SpectralDense): field 'units' must be an integer, got \"10\""},
        {dense + "\"units\":3,\"useBias\":\"false\"}]}", "field 'useBias' must be true or false, got \"false\""},
        {dense + "\"units\":3,\"name\":5}]}", "field 'name' must be a string, got 5"},
        {"{\"name\":7," + dense.substring(1) + "\"units\":3}]}", "field 'name' must be a string, got 7"},
        {"{\"kCoefLip\":\"x\"," + dense.substring(1) + "\"units\":3}]}", "field 'kCoefLip' has the wrong type"},
        {dense + "\"units\":3}],\"training\":{\"epochs\":\"3\"}}",
            "training: field 'epochs' must be an integer, got \"3\""},
        {dense + "\"units\":3}],\"training\":{\"reprojectKernel\":\"yes\"}}",
            "training: field 'reprojectKernel' must be true or false, got \"yes\""},
        {dense + "\"units\":3,\"units\":5}]}", "Duplicate field 'units'"},
        {dense + "\"units\":3}]} x", "not valid JSON at line 1"}};
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.parse(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
    // Jackson writes an infinite alpha (the hinge alone) as text; the description still reads back.
    ModelSpec hinge = ModelJson.parse(dense + "\"units\":3}],\"training\":{\"loss\":{\"type\":\"MulticlassHKR\","
        + "\"alpha\":\"Infinity\"}}}");
    assertEquals(Double.POSITIVE_INFINITY, hinge.training().loss().alpha());
    assertEquals(hinge, ModelJson.parse(ModelJson.toJson(hinge)));
    assertEquals(false, hinge.training().reprojectKernel(), "off unless asked for");
    ModelSpec reprojected = ModelJson.parse(dense + "\"units\":3}],\"training\":{\"reprojectKernel\":true}}");
    assertEquals(true, reprojected.training().reprojectKernel());
    assertEquals(reprojected, ModelJson.parse(ModelJson.toJson(reprojected)));
  }
}
