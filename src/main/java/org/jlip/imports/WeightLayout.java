package org.jlip.imports;

import java.io.IOException;

/**
 * Where a layer's variables sit in a Keras HDF5 weights file: a Keras 3 {@code .keras} file's
 * {@code model.weights.h5} ({@link #KERAS_ZIP}) or a legacy {@code .h5} model file ({@link LegacyH5Layout}).
 */
interface WeightLayout {
  /** Keras 3's layout: {@code layers/<group>/vars/<index>}, groups named by {@link KerasLayerGraph}. */
  WeightLayout KERAS_ZIP = new WeightLayout() {
    @Override
    public String path(String group, String index, String layer) {
      return "layers/" + group + "/vars/" + index;
    }

    @Override
    public String source() {
      return "model.weights.h5";
    }
  };

  /**
   * The dataset path of variable {@code index} ("0", "1", ... in the layer's order, or a name such as "wbar") of
   * the layer named {@code layer} whose weight group is {@code group}.
   *
   * @throws MalformedModelException when the file lists no such variable for the layer
   * @throws UntrustedModelException when the list of variables declares more bytes than a config may hold
   */
  String path(String group, String index, String layer) throws IOException;

  /** Where in the file the weights are, for messages. */
  String source();
}
