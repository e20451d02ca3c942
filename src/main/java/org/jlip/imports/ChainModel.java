package org.jlip.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jlip.certify.CertificateRule;
import org.jlip.io.Progress;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** A {@link LoadedModel} that is a chain of {@link Step}s; owns a private graph for {@link #logits}. */
final class ChainModel implements LoadedModel {
  private final String source;
  private final long[] inputShape;
  private final List<Step> steps;
  private final List<long[]> shapes = new ArrayList<>();
  private final ModelBound bound;
  private final CertificateRule rule;
  private final boolean nominalIsOne;
  private final String finalActivationRemoved;
  private final boolean servesNchw;
  private Graph graph;
  private Session session;
  private Placeholder<TFloat32> input;
  private Operand<TFloat32> output;

  /**
   * {@code finalActivationRemoved}: "softmax", "sigmoid" or null (see {@link #finalActivationRemoved});
   * {@code nominalIsOne}: the importer found every layer constrained or measured at most 1; the model then claims
   * L <= 1 unless its nominal coefficients multiply above 1; {@code servesNchw}: see {@link #servesNchw}.
   */
  ChainModel(String source, long[] inputShape, List<Step> steps, boolean nominalIsOne,
      String finalActivationRemoved, boolean servesNchw) {
    this.source = source;
    this.servesNchw = servesNchw;
    this.inputShape = inputShape.clone();
    List<Step> fused = CircularConvs.fuse(steps);
    int head = head(fused);
    this.steps = perOutputOnlyAtHead(fused, head);
    this.finalActivationRemoved = finalActivationRemoved;
    long[] shape = inputShape;
    List<LayerBound> bounds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    // Bounding a large network (a ResNet-18: a minute on 2 cores) shows its progress; small ones stay quiet.
    boolean large = this.steps.stream().mapToLong(ChainModel::weights).sum() > LARGE_WEIGHTS;
    try (Progress progress = large ? Progress.start("layer bounds of " + source, this.steps.size()) : null) {
      for (Step s : this.steps) {
        shapes.add(shape);
        bounds.add(s.bound(shape));
        names.add(s.name());
        shape = s.outputShape(shape);
        if (progress != null) {
          progress.step();
        }
      }
    }
    if (shape.length != 1) {
      throw new IllegalArgumentException(source + ": the output must be a vector of logits, got shape "
          + Arrays.toString(shape));
    }
    shapes.add(shape);
    boolean perOutput = head >= 0 && bounds.get(head).perOutput() && shape[0] > 1;
    this.bound = new ModelBound(names, bounds, perOutput);
    this.rule = shape[0] == 1 ? CertificateRule.BINARY : perOutput ? CertificateRule.DISJOINT : CertificateRule.SQRT2;
    // A k_coef_lip above 1 (or a disjoint layer inside the network) claims more than 1. Layers without a nominal
    // (infinite) were admitted by the importer only with a measured bound of at most 1.
    double claimed = bounds.stream().mapToDouble(LayerBound::nominal).filter(Double::isFinite)
        .reduce(1, (a, b) -> a * b);
    this.nominalIsOne = nominalIsOne && claimed <= 1 + 1e-9;
  }

  /** Weights above which bounding the layers shows its progress. */
  private static final long LARGE_WEIGHTS = 1L << 21;

  /** The number of weights of a step, its branches' included. */
  private static long weights(Step s) {
    if (s instanceof Step.Conv c) {
      return c.k().length;
    }
    if (s instanceof Step.CircularConv c) {
      return c.conv().k().length;
    }
    if (s instanceof Step.ConvTranspose c) {
      return c.k().length;
    }
    if (s instanceof Step.Linear l) {
      return l.w().length;
    }
    return s instanceof Step.Merge m
        ? m.branches().stream().flatMap(List::stream).mapToLong(ChainModel::weights).sum() : 0;
  }

  /**
   * The index of the head, the last step that is not a bias: a bias translates each output alone, so a
   * disjoint-neuron layer followed only by its bias still bounds each logit; -1 without one.
   */
  private static int head(List<Step> steps) {
    int i = steps.size() - 1;
    while (i >= 0 && steps.get(i) instanceof Step.Bias) {
      i--;
    }
    return i;
  }

  /**
   * The steps with every per-output (disjoint-neuron) dense layer other than the head bounded as a whole: a later
   * layer mixes its outputs, so only its spectral norm bounds it. Its nominal becomes k sqrt(units), the bound
   * that columns of norm k guarantee (the Frobenius norm).
   */
  private static List<Step> perOutputOnlyAtHead(List<Step> steps, int head) {
    List<Step> out = new ArrayList<>(steps);
    for (int i = 0; i < out.size(); i++) {
      if (i != head && out.get(i) instanceof Step.Linear l && l.perOutput()) {
        out.set(i, new Step.Linear(l.name(), l.w(), l.rows(), l.cols(), l.nominal() * Math.sqrt(l.cols()), false));
      }
    }
    return List.copyOf(out);
  }

  /**
   * True when {@code steps} end in a sigmoid, which an importer leaves out like a softmax: it is monotone, so the
   * logits' order and sign (sigmoid(z) > 1/2 exactly when z > 0) give the same decisions.
   */
  static boolean endsInSigmoid(List<Step> steps) {
    return !steps.isEmpty() && steps.get(steps.size() - 1) instanceof Step.Elementwise e
        && e.function() == ElementwiseFunction.SIGMOID;
  }

  List<Step> steps() {
    return steps;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public long[] inputShape() {
    return inputShape.clone();
  }

  @Override
  public int numClasses() {
    return (int) shapes.get(shapes.size() - 1)[0];
  }

  @Override
  public Operand<TFloat32> buildForward(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> y = x;
    for (int i = 0; i < steps.size(); i++) {
      y = steps.get(i).apply(tf.withSubScope("import_" + i), y, shapes.get(i));
    }
    return y;
  }

  @Override
  public synchronized float[][] logits(float[] inputs, int n) {
    long per = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    if (n < 0 || inputs.length != n * per) {
      throw new IllegalArgumentException("expected " + n + " x " + per + " input values for shape "
          + Arrays.toString(inputShape) + ", got " + inputs.length);
    }
    if (graph == null) {
      graph = new Graph();
      Ops tf = Ops.create(graph);
      long[] full = new long[inputShape.length + 1];
      full[0] = -1;
      System.arraycopy(inputShape, 0, full, 1, inputShape.length);
      input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(full)));
      output = buildForward(tf, input);
      session = new Session(graph);
    }
    int k = numClasses();
    float[] flat = new float[n * k];
    long[] full = new long[inputShape.length + 1];
    full[0] = n;
    System.arraycopy(inputShape, 0, full, 1, inputShape.length);
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(full), DataBuffers.of(inputs, true, false));
        var result = session.runner().feed(input, x).fetch(output).run()) {
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(flat, false, false));
    }
    float[][] out = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * k, out[i], 0, k);
    }
    return out;
  }

  @Override
  public double lipschitzBound() {
    return bound.measured();
  }

  @Override
  public String boundMethod() {
    Set<String> methods = new LinkedHashSet<>();
    bound.layers().forEach(b -> methods.add(b.method()));
    return "product of per-layer bounds (" + String.join(", ", methods) + ")";
  }

  @Override
  public ModelBound layerBounds() {
    return bound;
  }

  @Override
  public CertificateRule rule() {
    return rule;
  }

  @Override
  public boolean nominalIsOne() {
    return nominalIsOne;
  }

  @Override
  public Optional<String> finalActivationRemoved() {
    return Optional.ofNullable(finalActivationRemoved);
  }
  @Override
  public boolean servesNchw() {
    return servesNchw;
  }


  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
      session = null;
    }
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }
}
