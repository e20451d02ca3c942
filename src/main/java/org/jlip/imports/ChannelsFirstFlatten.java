package org.jlip.imports;

/**
 * Keras's Flatten with its default data_format (channels_last) applied to a channels_first [C, H, W] tensor: it
 * flattens in (C, H, W) order, while jlip, which holds the tensor as [H, W, C], flattens in (H, W, C) order. The
 * two vectors hold the same values in another order, so the Dense layer that reads the vector sees the same
 * function once its kernel rows are put in jlip's order. (Flatten(data_format="channels_first") moves the channel
 * axis last first: its order is jlip's already.)
 */
final class ChannelsFirstFlatten {
  private ChannelsFirstFlatten() {}

  /** Whether flattening this [H, W, C] tensor in (C, H, W) order differs from (H, W, C) order. */
  static boolean reorders(long[] hwc) {
    return hwc.length == 3 && hwc[2] > 1 && hwc[0] * hwc[1] > 1;
  }

  /**
   * The dense kernel [H*W*C, units] whose rows are in (H, W, C) order: row (h W + w) C + c is the Keras kernel's
   * row (c H + h) W + w.
   */
  static Weight kernelRowsToHwc(Weight kernel, long[] hwc) {
    int h = (int) hwc[0];
    int w = (int) hwc[1];
    int c = (int) hwc[2];
    int units = (int) kernel.shape()[1];
    float[] in = kernel.values();
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          System.arraycopy(in, ((ch * h + y) * w + x) * units, out, ((y * w + x) * c + ch) * units, units);
        }
      }
    }
    return new Weight(out, kernel.shape());
  }
}
