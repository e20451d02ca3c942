package org.jlip.certify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.export.ExportedBounds;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelBound;
import org.jlip.model.TrainedModel;
import org.tensorflow.Session;

/**
 * An upper bound of a jlip model's Lipschitz constant computed from the weights used at inference, layer by
 * layer: dense kernels by an SVD in double precision, convolutions by the largest singular value over the
 * frequencies of the kernel's 2-D DFT (beside a Lanczos lower estimate), weight-free layers by their exact
 * coefficients; a disjoint head per neuron. Certificates divide by this measured bound by default.
 */
public final class LipschitzBound {
  private LipschitzBound() {}

  /** The bound of a built model with the weights held in {@code session}. */
  public static ModelBound of(LipschitzSequential model, Session session) {
    return model.bound(session);
  }

  /** The bound of a jlip training directory (model.json + checkpoint/) or of a jlip SavedModel export. */
  public static ModelBound of(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return ExportedBounds.of(dir);
    }
    try (TrainedModel trained = TrainedModel.load(dir)) {
      return trained.model().bound(trained.session());
    }
  }
}
