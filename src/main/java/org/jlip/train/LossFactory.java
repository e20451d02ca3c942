package org.jlip.train;

import org.jlip.losses.CategoricalHinge;
import org.jlip.losses.HKR;
import org.jlip.losses.HingeMargin;
import org.jlip.losses.KR;
import org.jlip.losses.LipLoss;
import org.jlip.losses.MultiMargin;
import org.jlip.losses.MulticlassHKR;
import org.jlip.losses.MulticlassHinge;
import org.jlip.losses.MulticlassKR;
import org.jlip.losses.MulticlassSoftHKR;
import org.jlip.losses.TauBinaryCrossentropy;
import org.jlip.losses.TauCategoricalCrossentropy;
import org.jlip.model.LossSpec;

/** Makes a loss from a model file's loss block; unset parameters take the loss's own defaults. */
public final class LossFactory {
  private LossFactory() {}

  public static LipLoss create(LossSpec s) {
    try {
      return make(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("training.loss (" + s.type() + "): " + e.getMessage(), e);
    }
  }

  private static LipLoss make(LossSpec s) {
    return switch (s.type()) {
      case "KR" -> new KR();
      case "HingeMargin" -> new HingeMargin(or(s.minMargin(), 1.0));
      case "HKR" -> new HKR(or(s.alpha(), HKR.ALPHA_DEFAULT), or(s.minMargin(), HKR.MIN_MARGIN_DEFAULT));
      case "MulticlassKR" -> new MulticlassKR();
      case "MulticlassHinge" -> new MulticlassHinge(or(s.minMargin(), 1.0));
      case "MulticlassHKR" -> new MulticlassHKR(
          or(s.alpha(), MulticlassHKR.ALPHA_DEFAULT), or(s.minMargin(), MulticlassHKR.MIN_MARGIN_DEFAULT));
      case "MultiMargin" -> new MultiMargin(or(s.minMargin(), 1.0));
      case "CategoricalHinge" -> new CategoricalHinge(or(s.minMargin(), 1.0));
      case "TauCategoricalCrossentropy" -> new TauCategoricalCrossentropy(or(s.tau(), 1.0));
      // The trainer feeds one-hot labels, on which the sparse loss is the dense one (the class index is the
      // one-hot's argmax): the sparse class itself takes index labels, for callers that have them.
      case "TauSparseCategoricalCrossentropy" -> new TauCategoricalCrossentropy(or(s.tau(), 1.0));
      case "TauBinaryCrossentropy" -> new TauBinaryCrossentropy(or(s.tau(), 1.0));
      // Plain softmax cross-entropy (unconstrained baselines) is the tau = 1 case.
      case "CategoricalCrossentropy" -> new TauCategoricalCrossentropy(1.0);
      case "MulticlassSoftHKR" -> new MulticlassSoftHKR(
          or(s.alpha(), MulticlassSoftHKR.ALPHA_DEFAULT),
          or(s.minMargin(), MulticlassSoftHKR.MIN_MARGIN_DEFAULT),
          or(s.alphaMean(), MulticlassSoftHKR.ALPHA_MEAN_DEFAULT),
          or(s.temperature(), MulticlassSoftHKR.TEMPERATURE_DEFAULT));
      default -> throw new IllegalArgumentException("unknown loss type " + s.type());
    };
  }

  /** The Kantorovich-Rubinstein term matching a loss's head: binary for one column, else multi-class. */
  public static LipLoss krTerm(long outputs) {
    return outputs == 1 ? new KR() : new MulticlassKR();
  }

  private static double or(Double v, double def) {
    return v == null ? def : v;
  }
}
