package org.jlip.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * Circular padding followed by a convolution is a circular convolution on the image's torus, whose norm the DFT on
 * that grid gives exactly: far below the product of the two paddings' sqrt(2) and the convolution's own bound
 * (PyTorch's padding_mode="circular", deel-torchlip's SpectralConv2d with it, exported as Pad in mode wrap).
 */
final class CircularConvs {
  private CircularConvs() {}

  /**
   * The steps with each run of wrap gathers along H and W (either first) and a stride-1 "valid" convolution whose
   * window they pad exactly (k - 1 added values per axis) replaced by one {@link Step.CircularConv}; the gathers
   * commute (they act on different axes), so the fused step applies H first.
   */
  static List<Step> fuse(List<Step> steps) {
    List<Step> out = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      if (i + 2 < steps.size() && steps.get(i) instanceof Step.Gather g1
          && steps.get(i + 1) instanceof Step.Gather g2 && steps.get(i + 2) instanceof Step.Conv conv
          && g1.axis() + g2.axis() == 1 && (g1.axis() == 0 || g1.axis() == 1)
          && conv.sh() == 1 && conv.sw() == 1 && "valid".equalsIgnoreCase(conv.padding())) {
        Step.Gather rows = g1.axis() == 0 ? g1 : g2;
        Step.Gather cols = g1.axis() == 0 ? g2 : g1;
        if (wraps(rows.indices(), conv.kh()) && wraps(cols.indices(), conv.kw())) {
          out.add(new Step.CircularConv(conv.name(), rows, cols, conv));
          i += 2;
          continue;
        }
      }
      out.add(steps.get(i));
    }
    return out;
  }

  /**
   * Whether {@code idx} reads an axis of n = length - (k - 1) >= k values circularly: idx[o] = (o - b) mod n for
   * one b in [0, k - 1].
   */
  static boolean wraps(int[] idx, int k) {
    int n = idx.length - (k - 1);
    if (k < 1 || n < k || idx[0] < 0 || idx[0] >= n) {
      return false;
    }
    int b = Math.floorMod(-idx[0], n);
    if (b > k - 1) {
      return false;
    }
    for (int o = 0; o < idx.length; o++) {
      if (idx[o] != Math.floorMod(o - b, n)) {
        return false;
      }
    }
    return true;
  }
}
