package org.jlip.attack;

import java.util.Arrays;
import org.jlip.model.LipschitzSequential;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Any differentiable image classifier held in a TensorFlow graph: an input [-1, H, W, C] float32 (a placeholder
 * or any op the session can be fed through), its logits [-1, K], and the session that holds its weights. jlip
 * models, exported models rebuilt in a graph and imported Python models all reduce to this, so the attacks are
 * written once. The attack ops (margin loss, input gradients) are added to the graph on first use and reused;
 * the classifier does not own the graph or session (the caller closes them).
 */
public final class Classifier {
  private final Graph graph;
  private final Session session;
  private final Operand<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final int numClasses;
  private final int height;
  private final int width;
  private final int channels;
  private AttackOps ops;

  /**
   * @param numClasses K, the logits' width; 1 means one binary logit (label 1 when the logit is > 0)
   * @throws IllegalArgumentException when a size is not positive or the graph's static shapes contradict them
   */
  public Classifier(Graph graph, Session session, Operand<TFloat32> input, Operand<TFloat32> logits,
      int numClasses, int height, int width, int channels) {
    if (graph == null || session == null || input == null || logits == null) {
      throw new IllegalArgumentException("graph, session, input and logits must not be null");
    }
    if (numClasses < 1 || height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException("numClasses, height, width, channels must be >= 1, got " + numClasses
          + ", " + height + "x" + width + "x" + channels);
    }
    checkStatic("input", input.shape(), new long[] {-1, height, width, channels});
    checkStatic("logits", logits.shape(), new long[] {-1, numClasses});
    this.graph = graph;
    this.session = session;
    this.input = input;
    this.logits = logits;
    this.numClasses = numClasses;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /**
   * Reads H, W, C and K from the static shapes of input [-1, H, W, C] and logits [-1, K].
   *
   * @throws IllegalArgumentException when a dimension other than the batch is unknown
   */
  public static Classifier of(Graph graph, Session session, Operand<TFloat32> input, Operand<TFloat32> logits) {
    Shape in = input.shape();
    Shape out = logits.shape();
    if (in.numDimensions() != 4 || out.numDimensions() != 2 || in.size(1) < 1 || in.size(2) < 1 || in.size(3) < 1
        || out.size(1) < 1) {
      throw new IllegalArgumentException("input must have a static shape [-1, H, W, C] and logits [-1, K], got "
          + in + " and " + out);
    }
    return new Classifier(graph, session, input, logits, (int) out.size(1), (int) in.size(1), (int) in.size(2),
        (int) in.size(3));
  }

  /** The inference output of a built jlip model (its weights live in {@code session}). */
  public static Classifier of(LipschitzSequential model, Graph graph, Session session) {
    return of(graph, session, model.input(), model.inferenceOutput());
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  public Operand<TFloat32> input() {
    return input;
  }

  public Operand<TFloat32> logits() {
    return logits;
  }

  public int numClasses() {
    return numClasses;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  /** Floats per image: H * W * C. */
  public int imageSize() {
    return height * width * channels;
  }

  /** The attack ops, built in the graph on first use. */
  synchronized AttackOps ops() {
    if (ops == null) {
      ops = new AttackOps(this);
    }
    return ops;
  }

  private static void checkStatic(String what, Shape actual, long[] expected) {
    if (actual.isUnknown()) {
      return;
    }
    boolean ok = actual.numDimensions() == expected.length;
    for (int i = 1; ok && i < expected.length; i++) {
      ok = actual.size(i) < 0 || actual.size(i) == expected[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(what + " shape " + actual + " does not match " + Arrays.toString(expected)
          + " (-1 = any)");
    }
  }
}
