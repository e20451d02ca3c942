package org.jlip.certify;

import java.io.IOException;
import java.nio.file.Path;
import org.jlip.export.Inference;
import org.jlip.model.ModelBound;
import org.jlip.model.TrainedModel;

/** A jlip training run directory as a {@link CertifiedModel}: its inference graph and measured bound. */
public final class TrainedCertifiedModel implements CertifiedModel {
  private final TrainedModel trained;
  private final ModelBound bound;

  private TrainedCertifiedModel(TrainedModel trained) {
    this.trained = trained;
    this.bound = trained.model().bound(trained.session());
  }

  public static TrainedCertifiedModel open(Path runDir) throws IOException {
    TrainedModel t = TrainedModel.load(runDir);
    try {
      return new TrainedCertifiedModel(t);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  @Override
  public long[] inputShape() {
    return trained.model().spec().inputShapeArray();
  }

  @Override
  public int outputs() {
    return (int) trained.model().outputShape()[0];
  }

  @Override
  public float[] logits(float[] images, int n) {
    return Inference.run(trained.session(), trained.model().input(), trained.model().inferenceOutput(), images, n,
        inputShape());
  }

  @Override
  public CertificateRule rule() {
    return CertificateRule.forHead(outputs(), trained.model().disjointHead());
  }

  @Override
  public Double nominalLipschitz() {
    double n = trained.model().nominalLipschitz();
    return Double.isFinite(n) ? n : null;
  }

  @Override
  public ModelBound bound() {
    return bound;
  }

  @Override
  public String source() {
    return "jlip training run " + trained.dir();
  }

  /** The restored run (graph, session and model, e.g. to attack it). */
  public TrainedModel trained() {
    return trained;
  }

  @Override
  public void close() {
    trained.close();
  }
}
