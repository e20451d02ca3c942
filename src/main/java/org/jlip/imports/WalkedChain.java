package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Val;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a finished walk describes: the output must be the activation after the last step of one chain (branches
 * only inside merges); a final softmax (or sigmoid) is left out, since certificates use the logits before it.
 */
final class WalkedChain {
  private static final Logger LOG = LoggerFactory.getLogger(WalkedChain.class);

  private WalkedChain() {}

  /**
   * @param softmaxName what to call a final softmax that was left out ("softmax", or "log_softmax" for an ONNX
   *     LogSoftmax, which keeps the logits' differences too)
   * @param servedNchw whether a first transpose from NCHW marks a model that reads NCHW images (SavedModels of
   *     channels_first Keras models); jlip then feeds it NHWC images through a transpose
   */
  static ChainModel of(FunctionRebuilder walk, Val output, String source, long[] inputShape, String softmaxName,
      boolean servedNchw) throws IOException {
    if (!(output instanceof Act out)) {
      throw new UnsupportedModelException(source + ": the output does not depend on the input");
    }
    if (out.pos() != walk.steps.size() || !walk.valid(out)) {
      // Another output of a called function was walked past this one: those steps are not on the output's path.
      throw new UnsupportedModelException(source + ": the output is the activation after " + out.pos() + " of the "
          + walk.steps.size() + " steps rebuilt; jlip bounds chains whose branches meet at a merge");
    }
    walk.requireChain();
    String removed = walk.softmax ? softmaxName : null;
    if (removed == null && ChainModel.endsInSigmoid(walk.steps)) {
      walk.steps.remove(walk.steps.size() - 1);
      removed = "sigmoid";
    }
    long[] imageShape = inputShape;
    boolean nchw = false;
    if (servedNchw && inputShape.length == 3 && layout(walk.steps) == Layout.NCHW) {
      imageShape = new long[] {inputShape[1], inputShape[2], inputShape[0]};
      walk.steps.add(0, new Step.Transpose("nhwc_to_nchw", new int[] {2, 0, 1}));
      nchw = true;
      LOG.info("{}: the model reads NCHW images {}; jlip feeds it NHWC images {} through a transpose", source,
          Arrays.toString(inputShape), Arrays.toString(imageShape));
    }
    try {
      return new ChainModel(source, imageShape, walk.steps, false, removed, nchw);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A weight from elsewhere may hold anything (NaN, infinity) that leaves a layer without a bound.
      throw new MalformedModelException(source + ": cannot bound its layers: " + e.getMessage());
    }
  }

  /** What the first steps on the input say of its layout. */
  enum Layout { NCHW, UNDECIDED, OTHER }

  /**
   * NCHW when the first step that depends on the axes' order is TensorFlow's NCHW -> NHWC transpose, as the
   * SavedModel of a channels_first Keras model begins each convolution. Steps that treat every value alike (a
   * uniform scale or shift such as Rescaling, an activation) and padding or cropping leave it undecided and are
   * passed over; every branch of a merge must agree. Any other step decides against it.
   */
  static Layout layout(List<Step> steps) {
    for (Step step : steps) {
      if (step instanceof Step.Transpose t) {
        return Arrays.equals(t.perm(), new int[] {1, 2, 0}) ? Layout.NCHW : Layout.OTHER;
      }
      if (step instanceof Step.Merge m) {
        List<Layout> branches = m.branches().stream().map(WalkedChain::layout).toList();
        if (branches.contains(Layout.OTHER)) {
          return Layout.OTHER;
        }
        if (branches.contains(Layout.NCHW)) {
          return Layout.NCHW;
        }
      } else if (!(step instanceof Step.Elementwise || step instanceof Step.Pad || step instanceof Step.Crop
          || step instanceof Step.Scale sc && uniform(sc.s()) && uniform(sc.t())
          || step instanceof Step.Bias b && uniform(b.b()))) {
        return Layout.OTHER;
      }
    }
    return Layout.UNDECIDED;
  }

  private static boolean uniform(float[] v) {
    for (float x : v) {
      if (Float.compare(x, v[0]) != 0) {
        return false;
      }
    }
    return true;
  }
}
