package org.jlip.imports;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jlip.certify.OperatorNorms;
import org.jlip.normalize.ConvCoefficient;

/**
 * The weights of a Keras model file (a {@code .keras} file's {@code model.weights.h5} or a legacy {@code .h5}, as
 * its {@link WeightLayout} places them), the weights read per layer, and the checks
 * that constrained kernels keep their claimed norm; apart from {@link KerasFileImporter} so the layer mapping stays
 * readable.
 */
final class KerasWeights {
  /** Tolerance on the constrained weights' norms (deel-lip's Bjorck stops at 1e-3; exports measure 1.000-1.004). */
  static final double NORM_TOLERANCE = 1e-2;
  /** The most elements a weight may declare: as many float32 as the largest weights file jlip reads holds. */
  static final long MAX_ELEMENTS = KerasZip.MAX_WEIGHTS_BYTES / Float.BYTES;

  private final Path file;
  private final HdfFile h5;
  private final WeightLayout layout;
  private final Map<String, Map<String, Weight>> byLayer = new LinkedHashMap<>();

  KerasWeights(Path file, HdfFile h5, WeightLayout layout) {
    this.file = file;
    this.h5 = h5;
    this.layout = layout;
  }

  /** The weights read so far, per layer name then role (kernel, bias, gamma...), in reading order. */
  Map<String, Map<String, Weight>> byLayer() {
    return byLayer;
  }

  /** Variable {@code index} of the weight group: "1" is the bias, any other the kernel. */
  Weight read(String group, String index, String layer) throws IOException {
    return read(group, index, layer, index.equals("1") ? "bias" : "kernel");
  }

  /** Replaces the weight recorded as the layer's {@code role} (a kernel reordered at import). */
  void replace(String layer, String role, Weight w) {
    byLayer.computeIfAbsent(layer, x -> new LinkedHashMap<>()).put(role, w);
  }

  /** Variable {@code index} of the weight group, recorded in {@link #byLayer()} as the layer's {@code role}. */
  Weight read(String group, String index, String layer, String role) throws IOException {
    String path = layout.path(group, index, layer);
    Node node;
    try {
      node = h5.getByPath(path);
    } catch (RuntimeException e) {
      node = null;
    }
    if (!(node instanceof Dataset d)) {
      throw new MalformedModelException(file + ": layer '" + layer + "' has no weight " + path
          + " in " + layout.source());
    }
    if (d.getSize() > MAX_ELEMENTS) {
      // Compressed or fill-value storage lets a small file declare any size; jhdf would allocate all of it.
      throw new MalformedModelException(file + ": weight " + path + " declares " + d.getSize() + " elements, over"
          + " jlip's limit of " + MAX_ELEMENTS);
    }
    Object flat;
    try {
      flat = d.getDataFlat();
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + ": weight " + path + " cannot be read: " + e.getMessage(), e);
    }
    if (!(flat instanceof float[] values)) {
      throw new MalformedModelException(file + ": weight " + path + " is not float32");
    }
    long[] shape = Arrays.stream(d.getDimensions()).asLongStream().toArray();
    Weight w = new Weight(values, shape);
    byLayer.computeIfAbsent(layer, x -> new LinkedHashMap<>()).put(role, w);
    return w;
  }

  /**
   * A dense kernel [rows, units] must fit the vector input; SpectralDense (and a FrobeniusDense that is not
   * disjoint) must have spectral norm at most k, a disjoint FrobeniusDense every column norm at most k.
   */
  void checkDense(String type, String name, Weight w, int rows, int units, double k, boolean disjoint,
      long[] input) throws IOException {
    if (input.length != 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") reads an input of shape "
          + Arrays.toString(input) + "; Keras then applies it to the last axis only, jlip imports dense layers on"
          + " vectors: put a Flatten or a global pooling before it");
    }
    if (w.shape().length != 2 || w.shape()[1] != units || input.length != 1 || input[0] != rows) {
      throw new MalformedModelException(file + ": layer '" + name + "' kernel has shape "
          + Arrays.toString(w.shape()) + " for input " + Arrays.toString(input) + " and "
          + units + " units");
    }
    if (type.equals("SpectralDense") || (type.equals("FrobeniusDense") && !disjoint)) {
      requireNorm(name, "wbar spectral norm", OperatorNorms.spectralNorm(w.values(), rows, units), k);
    } else if (type.equals("FrobeniusDense")) {
      for (double col : OperatorNorms.columnNorms(w.values(), rows, units)) {
        requireNorm(name, "wbar column norm", col, k);
      }
    }
  }

  /**
   * A constrained conv kernel [kh, kw, cin, cout] on an NHWC input: its reshaped spectral norm (SpectralConv2D) or
   * Frobenius norm (FrobeniusConv2D) must be at most k times the conv coefficient; plain convolutions claim nothing.
   */
  void checkConv(String type, String name, Weight w, long[] kernelSize, long[] strides, long[] input, double k)
      throws MalformedModelException {
    if (!type.equals("SpectralConv2D") && !type.equals("FrobeniusConv2D")) {
      return;
    }
    long[] s = w.shape();
    double coef = ConvCoefficient.of((int) kernelSize[0], (int) kernelSize[1], (int) strides[0], (int) strides[1],
        input[0], input[1]);
    if (type.equals("SpectralConv2D")) {
      double sigma = OperatorNorms.spectralNorm(w.values(), (int) (s[0] * s[1] * s[2]), (int) s[3]);
      requireNorm(name, "reshaped wbar spectral norm", sigma, k * coef);
    } else {
      requireNorm(name, "wbar Frobenius norm", frobenius(w.values()), k * coef);
    }
  }

  private void requireNorm(String layer, String what, double value, double claimed) throws MalformedModelException {
    if (value > claimed * (1 + NORM_TOLERANCE)) {
      throw new MalformedModelException(file + ": layer '" + layer + "' " + what + " is " + value + ", above its"
          + " claimed " + claimed + " (+" + NORM_TOLERANCE + "): its constrained weights do not match its"
          + " certificate");
    }
  }

  private static double frobenius(float[] w) {
    double sum = 0;
    for (float v : w) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }
}
