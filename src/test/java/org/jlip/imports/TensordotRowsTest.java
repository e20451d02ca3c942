package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jlip.certify.OperatorNorms;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.FunctionRebuilder.Rows;
import org.jlip.imports.FunctionRebuilder.Val;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.NodeDef;

/**
 * A Dense layer on an image or a sequence, as Keras exports it: TensorFlow's tensordot, whose rows mix the samples
 * of a batch, read as a 1x1 convolution per sample (src/test/python/make_keras_fixtures.py:
 * dense_on_image_*_export, dense_on_sequence). The exports must give Keras's logits and the .keras files' bounds.
 */
class TensordotRowsTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int SIZE = 12 * 10 * 3;

  @Test
  void theExportsOfADenseOnAnImageGiveKerassLogitsAndTheFilesBound() throws IOException {
    check("dense_on_image_channels_last", Fixtures.pattern(SIZE), 50);
    check("dense_on_image_channels_first", Fixtures.nchwPattern(3, 12, 10), 51);
  }

  @Test
  void aDenseOnASequenceIsReadFromTheFileAndTheExport() throws IOException {
    check("dense_on_sequence", Fixtures.pattern(SIZE), 52);
  }

  @Test
  void theMatMulIsBoundedByItsKernelsSpectralNorm() throws IOException {
    try (ImportedModel file = KerasFileImporter.read(RESOURCES.resolve("dense_on_image_channels_last.keras"));
        LoadedModel export = ModelLoader.load(RESOURCES.resolve("dense_on_image_channels_last_export"))) {
      Weight k = file.weights().get("dense_on_image").get("kernel");
      double norm = OperatorNorms.spectralNorm(k.values(), (int) k.shape()[0], (int) k.shape()[1]);
      var names = export.layerBounds().layerNames();
      int i = names.indexOf(names.stream().filter(s -> s.endsWith("Tensordot/MatMul")).findFirst().orElseThrow());
      assertEquals(norm, export.layerBounds().layers().get(i).measured(), 1e-6 * norm);
    }
  }

  @Test
  void onlyAReshapeOfTheWholeLastAxisMakesRows() {
    long[] image = {12, 10, 3};
    assertTrue(TensordotRows.mergesBatch(new long[] {-1, 3}, image));
    assertFalse(TensordotRows.mergesBatch(new long[] {-1, 360}, image), "a flatten keeps the batch");
    assertFalse(TensordotRows.mergesBatch(new long[] {-1, 10}, image), "not the last axis");
    assertFalse(TensordotRows.mergesBatch(new long[] {-1, 3}, new long[] {1, 3}), "one row per sample");
    assertFalse(TensordotRows.mergesBatch(new long[] {-1, 3}, new long[] {3}));
  }

  @Test
  void rowsReadByAnythingButTheKernelABiasAndTheReshapeBackAreRefused() throws IOException {
    FunctionRebuilder w = new FunctionRebuilder(Map.of(), v -> null, new long[] {4, 5, 3});
    Rows rows = TensordotRows.rows(w, w.current(false), "here");
    var relu = assertThrows(UnsupportedModelException.class,
        () -> OpRules.apply(w, node("Relu"), List.of(rows), "Relu (node 'n')"));
    assertTrue(relu.getMessage().contains("Relu (node 'n'): reads a tensordot's rows"), relu.getMessage());
    Const wrongBack = new Const(null, new long[] {-1, 20, 3}, new long[] {3});
    var back = assertThrows(UnsupportedModelException.class,
        () -> OpRules.apply(w, node("Reshape"), List.<Val>of(rows, wrongBack), "Reshape (node 'n')"));
    assertTrue(back.getMessage().contains("not back to [-1, 4, 5, 3]"), back.getMessage());
    Const kernel = new Const(new float[3 * 2], null, new long[] {3, 2});
    List<Val> out = OpRules.apply(w, node("MatMul"), List.of(rows, kernel), "MatMul (node 'n')");
    Const ok = new Const(null, new long[] {-1, 4, 5, 2}, new long[] {4});
    List<Val> act = OpRules.apply(w, node("Reshape"), List.of(out.get(0), ok), "Reshape (node 'n')");
    assertEquals(w.current(false), act.get(0));
    assertEquals(List.of(4L, 5L, 2L), java.util.Arrays.stream(w.shape).boxed().toList());
  }

  private static NodeDef node(String op) {
    return NodeDef.newBuilder().setOp(op).setName("n").build();
  }

  private static void check(String name, float[] pattern, long seed) throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile()).path(name);
    try (LoadedModel file = ModelLoader.load(RESOURCES.resolve(name + ".keras"));
        LoadedModel export = ModelLoader.load(RESOURCES.resolve(name + "_export"))) {
      for (LoadedModel m : new LoadedModel[] {file, export}) {
        float[] got = m.logits(pattern, 1)[0];
        for (int k = 0; k < refs.size(); k++) {
          assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
              name + " " + m.source() + " logit " + k);
        }
      }
      assertEquals(file.lipschitzBound(), export.lipschitzBound(), 1e-6 * file.lipschitzBound(), name);
      int n = 16;
      float[] xs = Fixtures.pairs(n, SIZE, new Random(seed));
      // The rebuilt graphs (what the attacks differentiate) agree on a batch: no row mixes two samples.
      Fixtures.assertSameInputGradient(export, file, xs, 2 * n, 1e-5);
      double worst = Fixtures.steepestChange(xs, export.logits(xs, 2 * n), n, SIZE);
      assertTrue(worst > 0 && worst <= export.lipschitzBound(), name + ": " + worst + " vs " + export.lipschitzBound());
    }
  }
}
