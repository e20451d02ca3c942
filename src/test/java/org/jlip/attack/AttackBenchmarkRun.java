package org.jlip.attack;

import java.util.List;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.ReLUConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Not a test (surefire runs only *Test classes): prints PGD-20 against inference throughput, batch 256, on an
 * MLP 784-256-256-10 with random weights and random inputs. Run with the test classpath:
 * {@code java -cp target/classes:target/test-classes:<deps> org.jlip.attack.AttackBenchmarkRun [samples]}.
 */
public final class AttackBenchmarkRun {
  private AttackBenchmarkRun() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
    ModelSpec spec = new ModelSpec(null, List.of(28, 28, 1), List.of(new FlattenConfig(), new DenseConfig(256),
        new ReLUConfig(null), new DenseConfig(256), new ReLUConfig(null), new DenseConfig(10)), null, true, null,
        null);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      LipschitzSequential model = new LipschitzSequential(spec);
      model.build(Ops.create(g), 1);
      s.initialize();
      Classifier c = Classifier.of(model, g, s);
      float[] x = TestClassifiers.uniform(n * 784, 2);
      // The model's own predictions as labels: nothing starts misclassified.
      int[] y = MinimalNorm.run(c, x, new int[n], MinimalNormConfig.defaults().withSearch(0, 1, 1)
          .withBatchSize(256)).cleanPrediction();
      AttackBenchmark.Throughput t = AttackBenchmark.measure(c, x, y, 256, 20);
      System.out.println(t);
    }
  }
}
