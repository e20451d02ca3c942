package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.jlip.certify.OperatorNorms;
import org.jlip.layers.TransposedConvolution;
import org.jlip.normalize.ConvCoefficient;

/**
 * Keras's Conv2DTranspose and deel-lip's SpectralConv2DTranspose as a {@link Step.ConvTranspose}. deel-lip's layer
 * runs its constrained kernel (vars/wbar) at inference; that kernel is checked against the layer's claim the way
 * deel-lip builds it: its [kh, kw, C_in, filters] transpose reshaped to rows of kh * kw * C_in has a spectral norm of
 * at most k_coef_lip times the conv coefficient of the layer's input size.
 */
final class KerasTransposedConv {
  private KerasTransposedConv() {}

  /** The step of layer {@code name} on the NHWC input {@code shape}, with {@code kernel} read by the caller. */
  static Step.ConvTranspose of(Path file, String type, String name, JsonNode c, long[] shape, Weight kernel,
      double kCoefLip) throws UnsupportedModelException, MalformedModelException {
    String what = file + ": layer '" + name + "' (" + type + ")";
    int[] ks = pair(what, "kernel_size", c.path("kernel_size"));
    int[] st = pair(what, "strides", c.path("strides"));
    int[] dilation = pair(what, "dilation_rate", c.path("dilation_rate"));
    JsonNode outputPadding = c.path("output_padding");
    if (dilation[0] != 1 || dilation[1] != 1 || !(outputPadding.isMissingNode() || outputPadding.isNull())) {
      throw new UnsupportedModelException(what + " has dilation_rate " + c.path("dilation_rate")
          + " and output_padding " + outputPadding + "; jlip imports transposed convolutions with dilation 1 and"
          + " output_padding None");
    }
    String padding = c.path("padding").asText("valid").toLowerCase(Locale.ROOT);
    if (!padding.equals("same") && !padding.equals("valid")) {
      throw new UnsupportedModelException(what + " has padding '" + padding + "'; expected same or valid");
    }
    if (shape == null || shape.length != 3) {
      throw new UnsupportedModelException(what + " needs an image input [H, W, C], got "
          + (shape == null ? "an unknown shape" : Arrays.toString(shape)));
    }
    int filters = c.path("filters").asInt(-1);
    long[] k = kernel.shape();
    if (k.length != 4 || k[0] != ks[0] || k[1] != ks[1] || k[2] != filters || k[3] != shape[2]) {
      throw new MalformedModelException(what + " has a kernel of shape " + Arrays.toString(k) + "; expected ["
          + ks[0] + ", " + ks[1] + ", " + filters + ", " + shape[2] + "] (kernel_size, filters, input channels)");
    }
    boolean spectral = type.startsWith("Spectral");
    if (spectral) {
      float[] rows = TransposedConvolution.channelsSwapped(kernel.values(), ks[0], ks[1], filters, (int) shape[2]);
      double sigma = OperatorNorms.spectralNorm(rows, (int) (ks[0] * ks[1] * shape[2]), filters);
      double claimed = kCoefLip * ConvCoefficient.of(ks[0], ks[1], st[0], st[1], shape[0], shape[1]);
      if (sigma > claimed * (1 + KerasWeights.NORM_TOLERANCE)) {
        throw new MalformedModelException(what + " reshaped wbar spectral norm is " + sigma + ", above its claimed "
            + claimed + " (+" + KerasWeights.NORM_TOLERANCE + "): its constrained weights do not match its"
            + " certificate");
      }
    }
    long outH = TransposedConvolution.outputSize(shape[0], ks[0], st[0], padding);
    long outW = TransposedConvolution.outputSize(shape[1], ks[1], st[1], padding);
    KerasResizeLayers.requireSize(what, outH, outW, new long[] {outH, outW, filters});
    return new Step.ConvTranspose(name, kernel.values(), ks[0], ks[1], filters, (int) shape[2], st[0], st[1],
        padding, outH, outW, spectral ? kCoefLip : Double.POSITIVE_INFINITY);
  }

  /** {@link KerasFileImporter#pair}, refused naming the key when it is not one. */
  private static int[] pair(String what, String key, JsonNode n) throws UnsupportedModelException {
    int[] p = KerasFileImporter.pair(n);
    if (p == null) {
      throw new UnsupportedModelException(what + " has " + key + " " + n + "; expected one or two positive integers"
          + " up to 1024");
    }
    return p;
  }
}
