package org.jlip.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jlip.testing.GraphEval;
import org.jlip.testing.LipschitzHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class GroupSortTest {

  @Test
  void matchesReferenceVectors() {
    JsonNode ref = GraphEval.referenceLayers().get("groupsort");
    float[] x = GraphEval.flat(ref.get("input"));
    long[] shape = {4};
    assertArrayEquals(GraphEval.flat(ref.get("n2")),
        GraphEval.run(new long[] {4, 4}, x, GraphEval.layer(new GroupSortConfig(2), shape)), 1e-6f);
    assertArrayEquals(GraphEval.flat(ref.get("n4")),
        GraphEval.run(new long[] {4, 4}, x, GraphEval.layer(new GroupSortConfig(4), shape)), 1e-6f);
    assertArrayEquals(GraphEval.flat(ref.get("n2")),
        GraphEval.run(new long[] {4, 4}, x, GraphEval.layer(new GroupSort2Config(), shape)), 1e-6f);
  }

  @Test
  void sortsAlongAnyAxis() {
    long[] full = {2, 4, 6, 3};
    float[] x = random(2 * 4 * 6 * 3, 1);
    long[] shape = {4, 6, 3};
    assertArrayEquals(groupSort(x, full, 1, 2),
        GraphEval.run(full, x, GraphEval.layer(new GroupSortConfig(2, 1, null, null), shape)), 1e-6f);
    assertArrayEquals(groupSort(x, full, 2, 3),
        GraphEval.run(full, x, GraphEval.layer(new GroupSortConfig(3, -2, null, null), shape)), 1e-6f);
    assertArrayEquals(groupSort(x, full, 3, 3),
        GraphEval.run(full, x, GraphEval.layer(new GroupSortConfig(3, 3, null, null), shape)), 1e-6f);
  }

  @Test
  void fullSortSortsTheWholeAxisAndKeepsItsConfig() {
    FullSortConfig config = new FullSortConfig(null, null, null);
    GroupSort layer = (GroupSort) config.create();
    assertSame(config, layer.config());
    assertEquals("FullSort", layer.config().type());
    try (Graph g = new Graph()) {
      layer.build(Ops.create(g), new long[] {7}, 0L);
    }
    assertEquals(7, layer.n());
    float[] x = random(3 * 7, 2);
    assertArrayEquals(groupSort(x, new long[] {3, 7}, 1, 7),
        GraphEval.run(new long[] {3, 7}, x, GraphEval.layer(config, new long[] {7})), 1e-6f);
  }

  @Test
  void groupSort2KeepsItsOwnConfig() {
    GroupSort2Config config = new GroupSort2Config();
    LipLayer layer = config.create();
    assertSame(config, layer.config());
    assertEquals("GroupSort2", layer.config().type());
    assertEquals("group_sort2", layer.name());
  }

  @Test
  void sortingNetworkSortsEveryZeroOneInput() {
    assertEquals(1, GroupSort.sortingNetwork(2).size());
    assertEquals(5, GroupSort.sortingNetwork(4).size());
    for (int n = 1; n <= 12; n++) {
      List<int[]> net = GroupSort.sortingNetwork(n);
      for (int bits = 0; bits < (1 << n); bits++) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = (bits >> i) & 1;
        }
        for (int[] c : net) {
          int lo = Math.min(v[c[0]], v[c[1]]);
          v[c[1]] = Math.max(v[c[0]], v[c[1]]);
          v[c[0]] = lo;
        }
        for (int i = 1; i < n; i++) {
          assertTrue(v[i - 1] <= v[i], "network for n = " + n + " fails on " + Integer.toBinaryString(bits));
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (int n : new int[] {2, 4}) {
      int size = 24;
      float[] x = random(size, 3 + n);
      float[] w = random(size, 7 + n);
      LipschitzHarness.Fn f = GraphEval.layer(new GroupSortConfig(n), new long[] {3, 8});
      float[] grad = GraphEval.gradient(new long[] {1, 3, 8}, x, f, w);
      // one batch holding x + h e_i and x - h e_i for every i; h is below the gaps between values of x
      float h = 1e-3f;
      float[] batch = new float[2 * size * size];
      for (int i = 0; i < size; i++) {
        System.arraycopy(x, 0, batch, 2 * i * size, size);
        System.arraycopy(x, 0, batch, (2 * i + 1) * size, size);
        batch[2 * i * size + i] += h;
        batch[(2 * i + 1) * size + i] -= h;
      }
      float[] out = GraphEval.run(new long[] {2 * size, 3, 8}, batch, f);
      for (int i = 0; i < size; i++) {
        double plus = 0;
        double minus = 0;
        for (int j = 0; j < size; j++) {
          plus += (double) w[j] * out[2 * i * size + j];
          minus += (double) w[j] * out[(2 * i + 1) * size + j];
        }
        assertEquals((plus - minus) / (2 * h), grad[i], 2e-3, "n = " + n + ", input " + i);
      }
    }
  }

  @Test
  void groupSort2IsAHandfulOfOps() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 16)));
      LipLayer layer = new GroupSort2Config().create();
      layer.build(tf, new long[] {28, 28, 16}, 0L);
      int before = count(g);
      layer.call(tf, x, true);
      // reshape, split, sub, relu, sub, add, concat, reshape + 4 small constants (shapes, axes)
      assertTrue(count(g) - before <= 12, "GroupSort2 added " + (count(g) - before) + " ops");
    }
  }

  @Test
  void coefficientScalesOutputAndBound() {
    GroupSortConfig config = new GroupSortConfig(2, null, 1.5, null);
    float[] x = {3, 1, -2, 5};
    assertArrayEquals(new float[] {1.5f, 4.5f, -3f, 7.5f},
        GraphEval.run(new long[] {1, 4}, x, GraphEval.layer(config, new long[] {4})), 1e-6f);
    LipLayer layer = config.create();
    assertEquals(1.5, layer.nominalLipschitz(), 0);
    assertEquals(LayerBound.exact(1.5), layer.bound(null));
  }

  @Test
  void harnessFindsTheBound() {
    long[] shape = {4, 4, 8};
    for (LayerConfig config : List.<LayerConfig>of(new GroupSortConfig(2), new GroupSortConfig(4),
        new GroupSortConfig(2, null, 1.5, null), new FullSortConfig(2, null, null))) {
      double bound = config.create().nominalLipschitz();
      double est = LipschitzHarness.estimate(shape, GraphEval.layer(config, shape),
          LipschitzHarness.Options.defaults().withSteps(100));
      System.out.printf("harness %s: %.5f (bound %.3f)%n", config, est, bound);
      assertTrue(est <= 1.02 * bound && est >= 0.9 * bound, config + ": estimate " + est + ", bound " + bound);
    }
  }

  @Test
  void badConfigurationNamesParameterAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GroupSortConfig(3).create().build(null, new long[] {4, 4, 8}, 0L));
    assertTrue(e.getMessage().contains("n = 3") && e.getMessage().contains("8"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GroupSortConfig(2, 4, null, null).create().build(null, new long[] {4, 4, 8}, 0L));
    assertTrue(e.getMessage().contains("axis") && e.getMessage().contains("got 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GroupSortConfig(0));
    assertTrue(e.getMessage().contains("n must be > 0, got 0"), e.getMessage());
  }

  private static int count(Graph g) {
    int n = 0;
    for (var it = g.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /** Reference: sorts groups of n along {@code axis} of a row-major array of shape {@code full}. */
  static float[] groupSort(float[] x, long[] full, int axis, int n) {
    int outer = 1;
    int inner = 1;
    for (int i = 0; i < axis; i++) {
      outer *= (int) full[i];
    }
    for (int i = axis + 1; i < full.length; i++) {
      inner *= (int) full[i];
    }
    int len = (int) full[axis];
    float[] out = x.clone();
    float[] group = new float[n];
    for (int o = 0; o < outer; o++) {
      for (int in = 0; in < inner; in++) {
        for (int g = 0; g < len / n; g++) {
          for (int t = 0; t < n; t++) {
            group[t] = x[(o * len + g * n + t) * inner + in];
          }
          Arrays.sort(group);
          for (int t = 0; t < n; t++) {
            out[(o * len + g * n + t) * inner + in] = group[t];
          }
        }
      }
    }
    return out;
  }

  static float[] random(int size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) (rnd.nextDouble() * 4 - 2);
    }
    return x;
  }

}
