package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.attack.MinimalNorm;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.attack.MinimalNormResult;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.NpyWriter;
import org.jlip.data.Split;
import org.jlip.export.ExportOptions;
import org.jlip.export.SavedModelExporter;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Writes target/interop/minimal-norm for src/test/python/minimal_norm.py, which checks jlip's minimal-norm attack
 * with Python TensorFlow: every adversarial example jlip reports is misclassified by the exported SavedModel at
 * the reported norm, and an independent Carlini-Wagner attack finds no clearly smaller one. The model is the
 * unconstrained baseline (plain convs, cross-entropy), where attacks have the most room to be wrong.
 */
class MinimalNormInteropFixtureTest {
  private static final Path DIR = Path.of("target", "interop", "minimal-norm");
  private static final int N = 100;

  @Test
  void baselineAttackedByJlip() throws IOException {
    ModelSpec spec = ModelJson.read(Path.of("examples", "fmnist-baseline.json"));
    Dataset train = FashionMnist.load(Split.TRAIN).take(128 * 60);
    Dataset test = FashionMnist.load(Split.TEST).take(N);
    Path model = DIR.resolve("model");
    try (Trainer t = new Trainer(spec, new TrainOptions(spec.training(), 5, null, false, 0, 0, Device.CPU, null))) {
      t.session().initialize();
      train.batches(128, true).forEach(t::step);
      t.condense();
      SavedModelExporter.export(t.model(), t.session(), model,
          ExportOptions.fromBound(t.model().bound(t.session())).withOverwrite(true));
    }
    MinimalNormResult m;
    try (AttackTarget target = AttackTarget.open(model, 28, 28, 1)) {
      m = MinimalNorm.run(target.classifier, test.images(), test.labels(), MinimalNormConfig.defaults());
    }
    int found = 0;
    for (int i = 0; i < N; i++) {
      found += m.found(i) ? 1 : 0;
    }
    assertTrue(found > N / 2, "the attack broke only " + found + " of " + N + " baseline samples");
    NpyWriter.write(DIR.resolve("inputs.npy"), test.images(), new long[] {N, 28, 28, 1});
    NpyWriter.write(DIR.resolve("adversarial.npy"), m.adversarial(), new long[] {N, 28, 28, 1});
    ObjectNode out = ModelJson.mapper().createObjectNode();
    out.put("modelDir", model.toAbsolutePath().toString());
    ArrayNode labels = out.putArray("label");
    ArrayNode clean = out.putArray("cleanPrediction");
    ArrayNode norms = out.putArray("norm");
    for (int i = 0; i < N; i++) {
      labels.add(m.labels()[i]);
      clean.add(m.cleanPrediction()[i]);
      norms.add(m.found(i) ? m.norm()[i] : -1);
    }
    Files.writeString(DIR.resolve("attack.json"), ModelJson.mapper().writeValueAsString(out));
  }
}
