package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
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
    if (servedNchw && inputShape.length == 3 && !walk.steps.isEmpty()
        && walk.steps.get(0) instanceof Step.Transpose t && Arrays.equals(t.perm(), new int[] {1, 2, 0})) {
      imageShape = walk.shapes.get(1);
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
}
