package org.jlip.export;

/**
 * Output of an export's {@code certify} signature for n samples.
 *
 * @param logits n x outputs, row-major
 * @param labels predicted class per sample
 * @param radii certified L2 radius of the predicted class per sample (>= 0)
 * @param outputs logits per sample (1 for a binary model)
 */
public record CertifyResult(float[] logits, long[] labels, float[] radii, int outputs) {

  public int size() {
    return labels.length;
  }
}
