package org.jlip.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertifiedModel;
import org.jlip.certify.PredictedRadii;
import org.jlip.certify.Radii;
import org.jlip.model.ModelBound;

/**
 * Certified predictions for a serving path: per input, the predicted class, its certified L2 radius and the
 * logits. The radius divides the logit margin by the Lipschitz bound measured from the model's weights when it was
 * opened (with the rule of its head: margin / (sqrt(2) L), the pairwise rule of a disjoint head, |f| / L for one
 * logit), so it holds even where a layer's normalisation leaves its constant above the nominal 1.
 *
 * <p>Inputs are row-major in the model's {@link #inputShape()} (NHWC for images) with the scaling the model was
 * trained on ([0, 1] for jlip's examples). One certifier may serve several threads at once: a call runs the model's
 * TensorFlow session and shares no other state (tested with 4 threads on a jlip export and a deel-lip file).
 */
public final class Certifier implements AutoCloseable {
  private final CertifiedModel model;
  private final ModelBound bound;
  private final int inputSize;

  /** Certifies with {@code model}, which the certifier closes. */
  public Certifier(CertifiedModel model) {
    this.model = model;
    this.bound = model.bound();
    this.inputSize = Math.toIntExact(Arrays.stream(model.inputShape()).reduce(1, Math::multiplyExact));
  }

  /**
   * Opens any model {@link CertifiedModels} reads (a Keras SavedModel through serving_default; for another
   * signature, {@code new Certifier(CertifiedModels.open(path, signature))}).
   */
  public static Certifier open(Path path) throws IOException {
    return new Certifier(CertifiedModels.open(path));
  }

  /** Input shape without the batch axis. */
  public long[] inputShape() {
    return model.inputShape();
  }

  /** Number of logits (1 for a binary head). */
  public int outputs() {
    return model.outputs();
  }

  public CertificateRule rule() {
    return model.rule();
  }

  /** The Lipschitz bound the radii divide by (for a disjoint head, the bound of each logit). */
  public double lipschitz() {
    return bound.measured();
  }

  /** What the model claims (1 for deel-lip and jlip models), or null: for comparison only, never used. */
  public Double nominalLipschitz() {
    return model.nominalLipschitz();
  }

  public String source() {
    return model.source();
  }

  /** One input of {@link #inputShape()}. */
  public Certified certify(float[] input) {
    return certify(input, 1).get(0);
  }

  /**
   * {@code n} inputs laid out one after the other.
   *
   * @throws IllegalArgumentException when the length is not n inputs of {@link #inputShape()}, or a value is NaN
   *     or infinite (its logits, and so its radius, would mean nothing)
   */
  public List<Certified> certify(float[] inputs, int n) {
    if (n < 1 || (long) n * inputSize != inputs.length) {
      throw new IllegalArgumentException("expected " + n + " input(s) of shape " + Arrays.toString(inputShape())
          + " (" + (long) n * inputSize + " values), got " + inputs.length + " values");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (!Float.isFinite(inputs[i])) {
        throw new IllegalArgumentException("input " + i / inputSize + " holds " + inputs[i] + " at position "
            + i % inputSize + ": inputs must be finite");
      }
    }
    int k = model.outputs();
    float[] logits = model.logits(inputs, n);
    PredictedRadii radii = Radii.predicted(logits, n, k, model.rule(), bound);
    List<Certified> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Certified((int) radii.labels()[i], radii.radius()[i],
          Arrays.copyOfRange(logits, i * k, (i + 1) * k)));
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
