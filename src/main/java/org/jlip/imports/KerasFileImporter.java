package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jlip.layers.Conv2DConfig;
import org.jlip.layers.Conv2DTransposeConfig;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.HouseholderConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.ReLUConfig;
import org.jlip.model.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a Keras 3 {@code .keras} file (or a legacy Keras {@code .h5} model file, {@link LegacyH5File}) holding a
 * Sequential, or a Functional model whose layers form a chain
 * with merges ({@link KerasLayerGraph}), of deel-lip layers (SpectralDense, SpectralConv2D, FrobeniusDense,
 * FrobeniusConv2D, GroupSort/GroupSort2/FullSort, MaxMin, ScaledL2NormPooling2D, ScaledAveragePooling2D, the two
 * scaled global poolings, Flatten) or Keras layers (their vanilla twins Dense and Conv2D, GlobalAveragePooling2D,
 * ReLU, Activation, Dropout, a final softmax or sigmoid, which certification leaves out), channels_first or
 * channels_last. Plain Keras MaxPooling2D, AveragePooling2D, BatchNormalization (inference), Reshape, Rescaling,
 * LeakyReLU, ELU, ReLU with a negative slope or a max_value, and the leaky_relu, relu6, tanh, sigmoid (other than
 * last), elu, selu and softplus activations are certified with bounds measured from their configuration and weights ({@link
 * KerasInferenceLayers}); jlip has no training layer for them, so such a file cannot be converted ({@link
 * ImportedModel#notConvertibleReason()}).
 * Constrained layers contribute their inference kernel {@code vars/wbar}; the weights are read with jhdf from
 * {@code model.weights.h5} ({@link KerasWeights}), whose groups are named by Keras's own scheme (snake-cased class
 * name, numbered per class in layer order: dense, dense_1, ...), not by layer name; a legacy file's by layer name
 * ({@link LegacyH5Layout}).
 *
 * <p>The result is NHWC: channels_first models are converted, not transposed at run time. Keras 3's
 * Flatten(channels_first) already flattens in (H, W, C) order, so a flatten stays a plain reshape; deel-lip's
 * GroupSort sorts along the last axis of its input, which in an NCHW tensor is the image width: axis 2 in NHWC.
 */
public final class KerasFileImporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(KerasFileImporter.class);
  static final String ACTIVATIONS = "linear, relu, leaky_relu, relu6, tanh, sigmoid, elu, selu, softplus, gelu,"
      + " silu/swish, mish, softsign, hard_sigmoid, hard_silu/hard_swish, softmax last";

  private final Path file;
  private final KerasWeights weights;
  private final List<LayerConfig> layers = new ArrayList<>();
  /** The steps being imported: the model's, or a merge branch's while it is read. */
  private List<Step> steps = new ArrayList<>();
  private boolean channelsFirst;
  private boolean lipschitzOnly = true;
  private String finalActivationRemoved;
  private String notConvertible;
  private Step firstInferenceOnly;
  private long[] shape;
  /**
   * [H, W, C] of a channels_first tensor that Keras's default Flatten flattened in (C, H, W) order
   * ({@link ChannelsFirstFlatten}), until the Dense reading it is imported with its kernel rows reordered.
   */
  private long[] chwFlattened;
  /** How many times each layer has been added: a shared layer is added once per call. */
  private final Map<JsonNode, Integer> calls = new IdentityHashMap<>();

  private KerasFileImporter(Path file, HdfFile h5, WeightLayout layout) {
    this.file = file;
    this.weights = new KerasWeights(file, h5, layout);
  }

  /**
   * A Keras 3 {@code .keras} zip or a legacy Keras HDF5 model file ({@code .h5}, Keras 2 or 3), told apart by their
   * first bytes.
   *
   * @throws UntrustedModelException for unsafe zip entries or sizes
   * @throws MalformedModelException for a corrupt file or a missing weight (the message names the layer and path)
   * @throws UnsupportedModelException for a layer or option jlip cannot import
   */
  public static ImportedModel read(Path file) throws IOException {
    if (LegacyH5File.isHdf5(file)) {
      LegacyH5File legacy = LegacyH5File.open(file);
      try (HdfFile h5 = legacy.h5()) {
        return read(file, legacy.config(), h5, new LegacyH5Layout(file, h5));
      }
    }
    Map<String, byte[]> entries = KerasZip.read(file);
    JsonNode config;
    try {
      config = JSON.readTree(entries.get("config.json"));
    } catch (IOException e) {
      throw new MalformedModelException(file + "!config.json is not valid JSON: " + e.getMessage(), e);
    }
    HdfFile h5;
    try {
      h5 = HdfFile.fromBytes(entries.get("model.weights.h5"));
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + "!model.weights.h5 is not a readable HDF5 file: " + e.getMessage(), e);
    }
    try (h5) {
      return read(file, config, h5, WeightLayout.KERAS_ZIP);
    }
  }

  private static ImportedModel read(Path file, JsonNode config, HdfFile h5, WeightLayout layout) throws IOException {
    try {
      KerasFileImporter im = new KerasFileImporter(file, h5, layout);
      im.parse(config, layout != WeightLayout.KERAS_ZIP);
      // Without a jlip equivalent for every layer there is no architecture to rebuild: the chain alone certifies.
      ModelSpec spec = im.notConvertible != null ? null : new ModelSpec(config.path("config").path("name")
          .asText(null), java.util.Arrays.stream(im.inputShapeNhwc).mapToObj(d -> (int) d).toList(), im.layers,
          null, !im.lipschitzOnly, null, null);
      ChainModel chain = new ChainModel(file.toString(), im.inputShapeNhwc, im.steps, im.lipschitzOnly,
          im.finalActivationRemoved, false);
      return new ImportedModel(chain, spec, im.notConvertible, im.weights.byLayer(), im.channelsFirst);
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + ": cannot read the model: " + e.getMessage(), e);
    }
  }

  private long[] inputShapeNhwc;

  private void parse(JsonNode root, boolean byName) throws IOException {
    List<KerasLayerGraph.Item> items = byName ? KerasLayerGraph.flattenByName(file, root)
        : KerasLayerGraph.flatten(file, root);
    List<JsonNode> list = KerasLayerGraph.leaves(items);
    String flattenOnly = null;
    for (JsonNode l : list) {
      if (l.path("config").path("data_format").asText().equals("channels_first")) {
        channelsFirst = true;
        boolean flatten = l.path("class_name").asText().equals("Flatten");
        flattenOnly = flatten && (flattenOnly == null || !flattenOnly.isEmpty())
            ? l.path("config").path("name").asText("flatten") : "";
      }
    }
    refuseAmbiguousLayout(list, flattenOnly);
    process(root, items);
    if (chwFlattened != null) {
      throw new UnsupportedModelException(file + ": the model's output is a Flatten of a channels_first tensor in"
          + " (C, H, W) order; jlip flattens in (H, W, C) order and reorders only the kernel of a Dense layer after"
          + " it");
    }
    if (finalActivationRemoved == null && ChainModel.endsInSigmoid(steps)) {
      finalActivationRemoved = "sigmoid";
      notConvertible = steps.remove(steps.size() - 1) == firstInferenceOnly ? null : notConvertible;
    }
    if (finalActivationRemoved != null) {
      LOG.info("{}: the model ends with a {}; certificates use the logits before it", file, finalActivationRemoved);
    }
    if (shape.length != 1) {
      throw new UnsupportedModelException(file + ": the model's output has shape " + Arrays.toString(shape)
          + " per sample; jlip certifies classifiers whose output is a vector of logits (a Dense on an image acts"
          + " on its last axis only: put a Flatten or a global pooling before the head)");
    }
  }

  private void process(JsonNode root, List<KerasLayerGraph.Item> items) throws IOException {
    for (KerasLayerGraph.Item item : items) {
      JsonNode l = item.layer();
      String type = l.path("class_name").asText();
      JsonNode c = item instanceof KerasLayerGraph.Merge ? l.path("config") : laterCallRenamed(l, l.path("config"));
      if (finalActivationRemoved != null) {
        throw new UnsupportedModelException(file + ": layer '" + c.path("name").asText() + "' follows a softmax;"
            + " a softmax is supported only as the model's last operation");
      }
      if (type.equals("InputLayer")) {
        if (shape != null) {
          throw new UnsupportedModelException(file + ": a second InputLayer '" + c.path("name").asText() + "'");
        }
        setInput(c.has("batch_shape") ? c.path("batch_shape") : c.path("batch_input_shape"));
        continue;
      }
      if (shape == null) {
        // No InputLayer: Keras 2 puts the shape on the first layer, a built Sequential in build_input_shape.
        JsonNode own = c.has("batch_input_shape") ? c.path("batch_input_shape") : c.path("batch_shape");
        setInput(own.isArray() ? own : root.path("config").path("build_input_shape"));
      }
      if (shape == null) {
        throw new UnsupportedModelException(file + ": no input shape: the first layer must be an InputLayer with a"
            + " batch_shape, or the model must record build_input_shape");
      }
      if (item instanceof KerasLayerGraph.Merge m) {
        addMerge(root, m);
      } else {
        addLayer(type, c, item.group());
      }
    }
  }

  /** A grouped Conv2D's kernel [kh, kw, C/groups, out] as the equivalent full kernel, recorded as the layer's. */
  private Weight groupedKernel(String name, Weight g, int groups) throws IOException {
    long[] s = g.shape();
    if (s.length != 4 || shape.length != 3 || s[2] * groups != shape[2] || s[3] % groups != 0 || groups < 1) {
      throw new MalformedModelException(file + ": layer '" + name + "' (Conv2D, groups " + groups + ") has a kernel"
          + " of shape " + Arrays.toString(s) + " on an input of shape " + Arrays.toString(shape) + "; expected [kh,"
          + " kw, C/groups, out] with out a multiple of groups");
    }
    Weight full = new Weight(DepthwiseKernels.grouped(g.values(), (int) s[0], (int) s[1], (int) s[2], (int) s[3],
        groups), new long[] {s[0], s[1], s[2] * groups, s[3]});
    weights.replace(name, "kernel", full);
    return full;
  }

  /**
   * Keras applies a Dense layer on an image to its last axis: here a 1x1 convolution, bounded by the kernel's
   * spectral norm (exactly). In a channels_first model that axis is the width, which jlip holds second: the
   * convolution runs between transposes that put it last and back. A disjoint FrobeniusDense claims nothing there:
   * its columns' norms bound each output alone, not the layer. On a sequence [T, C] (after a Reshape) the
   * convolution runs on it as a [1, T, C] image.
   */
  private void addDenseOnImage(String type, String name, Weight w, int units, double k, boolean disjoint,
      String group, boolean bias) throws IOException {
    int axis = shape.length == 2 ? 1 : channelsFirst ? 1 : 2;
    weights.checkDense(type, name, w, (int) shape[axis], units, k, disjoint, new long[] {shape[axis]});
    double nominal = type.equals("Dense") || disjoint ? Double.POSITIVE_INFINITY : k;
    lipschitzOnly &= nominal <= 1;
    Step conv = new Step.Conv(name, w.values(), 1, 1, (int) shape[axis], units, 1, 1, "valid", nominal);
    String what = "layer '" + name + "' (" + type + ") on " + (shape.length == 2 ? "a sequence" : "an image");
    if (shape.length == 2) {
      long rows = shape[0];
      addInferenceOnly(new Step.Reshape(name + "/as_image", new long[] {1, rows, shape[1]}), what);
      steps.add(conv);
      shape = conv.outputShape(shape);
      addBias(group, name, bias);
      addInferenceOnly(new Step.Reshape(name + "/as_sequence", new long[] {rows, units}), what);
    } else if (channelsFirst) {
      addInferenceOnly(new Step.Transpose(name + "/width_last", new int[] {0, 2, 1}), what);
      steps.add(conv);
      shape = conv.outputShape(shape);
      addBias(group, name, bias);
      addInferenceOnly(new Step.Transpose(name + "/width_back", new int[] {0, 2, 1}), what);
    } else {
      addInferenceOnly(conv, what);
      addBias(group, name, bias);
    }
  }

  /** Conv1D as a [1, k] convolution on the sequence seen as a [1, T, C] image ({@link KerasSequenceLayers}). */
  private void addConv1D(JsonNode c, String group, String name) throws IOException {
    String what = "layer '" + name + "' (Conv1D)";
    lipschitzOnly = false;
    for (Step step : KerasSequenceLayers.conv(file, name, c, shape, weights.read(group, "0", name))) {
      addInferenceOnly(step, what);
    }
    addBias(group, name, c.path("use_bias").asBoolean(true));
    addInferenceOnly(KerasSequenceLayers.back(name, shape), what);
    addActivation(c.path("activation"), name);
  }

  private void addConvTranspose(String type, JsonNode c, String group, String name, double k) throws IOException {
    boolean spectral = type.startsWith("Spectral");
    Weight kernel = weights.read(group, spectral ? "wbar" : "0", name, "kernel");
    lipschitzOnly &= spectral;
    Step.ConvTranspose step = KerasTransposedConv.of(file, type, name, c, shape, kernel, k);
    boolean bias = c.path("use_bias").asBoolean(true);
    add(new Conv2DTransposeConfig(step.filters(), List.of(step.kh(), step.kw()), List.of(step.sh(), step.sw()),
        step.padding(), bias, name));
    shape = step.outputShape(shape);
    steps.add(step);
    addBias(group, name, bias);
    addActivation(c.path("activation"), name);
  }

  /**
   * The config of a layer's second and later calls named "name.callK" (a name Keras does not generate), so the
   * converted model holds one layer per call, each with the shared weights, under distinct names.
   */
  private JsonNode laterCallRenamed(JsonNode layer, JsonNode c) {
    int call = calls.merge(layer, 1, Integer::sum);
    if (call == 1 || !(c instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
      return c;
    }
    return o.deepCopy().put("name", c.path("name").asText() + ".call" + call);
  }

  /** Each branch imported on its own from the fork's shape, then one {@link Step.Merge} of them. */
  private void addMerge(JsonNode root, KerasLayerGraph.Merge m) throws IOException {
    String name = m.layer().path("config").path("name").asText();
    if (chwFlattened != null) {
      // The first branch's Dense would take the reordering, and the others would read the values unordered.
      throw new UnsupportedModelException(file + ": merge layer '" + name + "' reads a Flatten of a channels_first"
          + " tensor in (C, H, W) order; jlip reorders only the kernel of one Dense layer after it. Use"
          + " Flatten(data_format=\"channels_first\"), whose order is jlip's");
    }
    List<Step> outer = steps;
    long[] fork = shape;
    List<List<Step>> branches = new ArrayList<>();
    for (List<KerasLayerGraph.Item> b : m.branches()) {
      steps = new ArrayList<>();
      shape = fork;
      process(root, b);
      if (chwFlattened != null || finalActivationRemoved != null) {
        throw new UnsupportedModelException(file + ": a branch of merge layer '" + name + "' ends in a "
            + (chwFlattened != null ? "channels_first Flatten" : finalActivationRemoved) + "; jlip reads those only"
            + " before a Dense layer or at the model's output");
      }
      branches.add(steps);
    }
    steps = outer;
    shape = fork;
    Step.Merge merge = KerasMerges.of(file, name, m.layer().path("class_name").asText(), m.layer().path("config"),
        branches, shape, channelsFirst);
    // The branches' layers have already updated the claim; of the merges only an Average of branches bounded by 1
    // stays within 1 whatever they are, and measuring here would compute every branch's bounds a second time.
    lipschitzOnly &= merge.kind() == Step.MergeKind.AVERAGE || merge.branches().size() == 1;
    addInferenceOnly(merge, "merge layer '" + name + "'");
  }

  /**
   * A Flatten(data_format="channels_first") is the only channels_first layer and the input looks channels_last
   * (more than 4 values on its first axis, at most 4 on its last): the file does not say which layout its images
   * have. Keras would flatten (H, W, C) images as (W, C, H); reading them as channels_first would transpose them.
   */
  private void refuseAmbiguousLayout(List<JsonNode> list, String flattenOnly) throws UnsupportedModelException {
    if (flattenOnly == null || flattenOnly.isEmpty() || list.isEmpty()) {
      return;
    }
    JsonNode c = list.get(0).path("config");
    JsonNode shape = c.has("batch_shape") ? c.path("batch_shape") : c.path("batch_input_shape");
    if (shape.isArray() && shape.size() == 4 && shape.get(1).asLong() > 4 && shape.get(3).asLong() <= 4) {
      throw new UnsupportedModelException(file + ": layer '" + flattenOnly + "' is a Flatten with data_format"
          + " channels_first, but the input " + shape + " looks channels_last and no convolution or pooling says"
          + " which layout the images have; save the model with one data_format throughout");
    }
  }

  /** [batch, dims...] -> the NHWC input shape; leaves it unset for a missing or malformed shape. */
  private void setInput(JsonNode batchShape) {
    if (!batchShape.isArray() || batchShape.size() < 2) {
      return;
    }
    long[] s = ints(batchShape, 1);
    inputShapeNhwc = channelsFirst && s.length == 3 ? new long[] {s[1], s[2], s[0]} : s;
    shape = inputShapeNhwc;
  }

  private void addLayer(String type, JsonNode c, String group) throws IOException {
    String name = c.path("name").asText(group);
    double k = c.path("k_coef_lip").asDouble(1.0);
    if (chwFlattened != null && !keepsOrder(type, c) && !DENSE.contains(type)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") reads a Flatten of a"
          + " channels_first tensor in (C, H, W) order; jlip flattens in (H, W, C) order and can reorder only the"
          + " kernel of the Dense layer after it (with Dropout or element-wise activations between them). Use"
          + " Flatten(data_format=\"channels_first\"), whose order is jlip's");
    }
    if (AUGMENTATIONS.contains(type)) {
      LOG.debug("{}: layer '{}' ({}) augments in training only: the identity at inference", file, name, type);
      return;
    }
    switch (type) {
      case "Flatten" -> {
        if (channelsFirst && !c.path("data_format").asText("channels_last").equals("channels_first")
            && ChannelsFirstFlatten.reorders(shape)) {
          chwFlattened = shape;
        }
        add(new FlattenConfig(name));
      }
      case "Dense", "SpectralDense", "FrobeniusDense" -> {
        int units = c.path("units").asInt();
        boolean bias = c.path("use_bias").asBoolean(true);
        Weight w = weights.read(group, type.equals("Dense") ? "0" : "wbar", name);
        if (chwFlattened != null) {
          w = ChannelsFirstFlatten.kernelRowsToHwc(w, chwFlattened);
          weights.replace(name, "kernel", w);
          chwFlattened = null;
        }
        int rows = (int) w.shape()[0];
        boolean disjoint = type.equals("FrobeniusDense") && c.path("disjoint_neurons").asBoolean(true);
        if (shape.length == 2 || shape.length == 3) {
          addDenseOnImage(type, name, w, units, k, disjoint, group, bias);
          addActivation(c.path("activation"), name);
          return;
        }
        weights.checkDense(type, name, w, rows, units, k, disjoint, shape);
        lipschitzOnly &= !type.equals("Dense");
        add(new DenseConfig(units, bias, name));
        steps.add(new Step.Linear(name, w.values(), rows, units, type.equals("Dense") ? Double.POSITIVE_INFINITY : k,
            disjoint && units > 1));
        shape = new long[] {units};
        addBias(group, name, bias);
        addActivation(c.path("activation"), name);
      }
      case "Conv2D", "SpectralConv2D", "FrobeniusConv2D", "DepthwiseConv2D", "SeparableConv2D" -> {
        long[] ks = ints(c.path("kernel_size"), 0);
        long[] st = ints(c.path("strides"), 0);
        String padding = c.path("padding").asText("valid");
        int groups = c.path("groups").asInt(1);
        boolean plain = !type.startsWith("Spectral") && !type.startsWith("Frobenius");
        int[] dilation = pair(c.path("dilation_rate"));
        boolean dilated = dilation == null || dilation[0] != 1 || dilation[1] != 1;
        if ((dilated && (!plain || dilation == null || !allOnes(c.path("strides"))))
            || (groups != 1 && !type.equals("Conv2D"))) {
          throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") has dilation_rate "
              + c.path("dilation_rate") + ", strides " + c.path("strides") + " and groups " + c.path("groups")
              + "; jlip imports dilation (one or two positive rates, stride 1) in plain convolutions only, and"
              + " groups only in a plain Conv2D");
        }
        Weight w = switch (type) {
          case "Conv2D" -> groups == 1 ? weights.read(group, "0", name)
              : groupedKernel(name, weights.read(group, "0", name), groups);
          case "DepthwiseConv2D", "SeparableConv2D" -> {
            // A separable layer's vars/1 is its pointwise kernel, not a bias: both are recorded as the kernel,
            // which the folded one replaces.
            Weight d = DepthwiseKernels.asConv(file, type, name, c, shape, weights.read(group, "0", name),
                type.equals("SeparableConv2D") ? weights.read(group, "1", name, "kernel") : null);
            weights.replace(name, "kernel", d);
            yield d;
          }
          default -> weights.read(group, "wbar", name);
        };
        if (dilated) {
          w = DepthwiseKernels.dilated(w, dilation[0], dilation[1]);
          weights.replace(name, "kernel", w);
          ks = new long[] {w.shape()[0], w.shape()[1]};
        }
        long[] s = w.shape();
        weights.checkConv(type, name, w, ks, st, shape, k);
        lipschitzOnly &= !plain;
        boolean bias = c.path("use_bias").asBoolean(true);
        add(new Conv2DConfig((int) s[3], List.of((int) ks[0], (int) ks[1]), List.of((int) st[0], (int) st[1]),
            padding, bias, name));
        Step conv = new Step.Conv(name, w.values(), (int) s[0], (int) s[1], (int) s[2], (int) s[3], (int) st[0],
            (int) st[1], padding, plain ? Double.POSITIVE_INFINITY : k);
        shape = conv.outputShape(shape);
        steps.add(conv);
        if (bias) {
          steps.add(new Step.Bias(name + "/bias",
              weights.read(group, type.equals("SeparableConv2D") ? "2" : "1", name, "bias").values()));
        }
        addActivation(c.path("activation"), name);
      }
      case "Conv1D" -> addConv1D(c, group, name);
      case "Conv2DTranspose", "SpectralConv2DTranspose" -> addConvTranspose(type, c, group, name, k);
      case "MaxPooling1D", "AveragePooling1D", "GlobalAveragePooling1D", "GlobalMaxPooling1D" -> {
        List<Step> pooling = type.startsWith("Global") ? KerasSequenceLayers.global(file, type, name, c, shape)
            : KerasSequenceLayers.pool(file, type, name, c, shape);
        for (Step step : pooling) {
          addElementwise(step, "layer '" + name + "' (" + type + ")");
        }
      }
      case "ZeroPadding1D" -> addInferenceOnly(KerasSequenceLayers.zeroPadding(file, name, c, shape),
          "layer '" + name + "' (" + type + ")");
      case "ScaledL2NormPooling2D", "ScaledAveragePooling2D" ->
          add(KerasWeightFreeLayers.scaledPooling(file, type, name, c, k));
      case "GroupSort", "GroupSort2", "FullSort", "MaxMin" ->
          add(KerasWeightFreeLayers.sortLike(file, type, c, name, shape, channelsFirst));
      case "ScaledGlobalAveragePooling2D", "ScaledGlobalL2NormPooling2D", "GlobalAveragePooling2D" ->
          add(KerasWeightFreeLayers.globalPooling(file, type, name, c, shape, k));
      case "Activation" -> addActivation(c.path("activation"), name);
      case "PReLU" -> addElementwise(KerasParametricActivations.prelu(file, name, shape, channelsFirst,
          weights.read(group, "0", name, "alpha")), "layer '" + name + "' (PReLU)");
      case "Householder" -> {
        Step.Householder h = KerasParametricActivations.householder(file, name, c, shape, channelsFirst,
            weights.read(group, "0", name, "theta"));
        if (h.axis() == shape.length - 1) {
          // jlip's Householder layer splits the last axis too: the file converts, its angles becoming the layer's.
          layers.add(new HouseholderConfig(null, name));
          shape = h.outputShape(shape);
          steps.add(h);
        } else {
          addElementwise(h, "layer '" + name + "' (Householder on the width of a channels_first image)");
        }
      }
      case "ReLU", "LeakyReLU", "ELU" -> {
        Step.Elementwise f = KerasInferenceLayers.activationLayer(file, type, name, c);
        if (f.function() == ElementwiseFunction.RELU) {
          add(new ReLUConfig(name));
        } else {
          addElementwise(f, "layer '" + name + "' (" + type + ")");
        }
      }
      case "MaxPooling2D", "AveragePooling2D" -> {
        Step.Pool pool = KerasInferenceLayers.pool(file, type, name, c, shape, channelsFirst);
        // Weight-free: a pool bounded by 1 (disjoint max windows, valid disjoint averages) keeps a 1-Lipschitz
        // model's claim; overlapping windows (bound sqrt(windows per pixel)) do not.
        lipschitzOnly &= pool.bound(shape).measured() <= 1;
        addInferenceOnly(pool, "layer '" + name + "' (" + type + ")");
      }
      case "BatchNormalization" -> {
        lipschitzOnly = false;
        addInferenceOnly(KerasInferenceLayers.batchNormalization(file, name, c, shape, channelsFirst,
            (index, role) -> weights.read(group, index, name, role)), "layer '" + name + "' (" + type + ")");
      }
      case "GlobalMaxPooling2D" -> {
        KerasInferenceLayers.requireImage(file, type, name, c, shape);
        addInferenceOnly(new Step.GlobalMax(name), "layer '" + name + "' (" + type + ")");
      }
      case "Rescaling" -> {
        Step.Scale rescale = KerasInferenceLayers.rescaling(file, name, c, shape);
        lipschitzOnly &= rescale.bound(shape).measured() <= 1;
        addInferenceOnly(rescale, "layer '" + name + "' (" + type + ")");
      }
      case "Reshape" -> addInferenceOnly(KerasInferenceLayers.reshape(file, name, c, shape, channelsFirst),
          "layer '" + name + "' (" + type + ")");
      case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "AlphaDropout",
          "GaussianNoise", "ActivityRegularization", "Identity" ->
          LOG.debug("{}: layer '{}' ({}) is the identity at inference", file, name, type);
      case "Softmax" -> {
        if (c.path("axis").isArray() ? !c.path("axis").toString().equals("[-1]") : c.path("axis").asInt(-1) != -1) {
          throw new UnsupportedModelException(file + ": layer '" + name + "' (Softmax) has axis " + c.path("axis")
              + "; jlip reads a softmax over the last axis only");
        }
        finalActivationRemoved = "softmax";
      }
      case "ZeroPadding2D" -> addInferenceOnly(KerasLayoutLayers.zeroPadding(file, name, c, shape),
          "layer '" + name + "' (" + type + ")");
      case "Cropping2D" -> addInferenceOnly(KerasLayoutLayers.cropping(file, name, c, shape),
          "layer '" + name + "' (" + type + ")");
      case "Permute" -> addInferenceOnly(KerasLayoutLayers.permute(file, name, c, shape, channelsFirst),
          "layer '" + name + "' (" + type + ")");
      case "Resizing", "UpSampling2D" -> {
        List<Step> resize = type.equals("Resizing") ? KerasResizeLayers.resizing(file, name, c, shape)
            : List.of(KerasResizeLayers.upSampling(file, name, c, shape));
        for (Step step : resize) {
          lipschitzOnly &= step.bound(shape).measured() <= 1;
          addInferenceOnly(step, "layer '" + name + "' (" + type + ")");
        }
      }
      case "CenterCrop" -> addInferenceOnly(KerasResizeLayers.centerCrop(file, name, c, shape),
          "layer '" + name + "' (" + type + ")");
      case "Normalization" -> {
        Step.Scale norm = KerasNormalization.of(file, name, c, shape, channelsFirst,
            (index, role) -> weights.read(group, index, name, role));
        lipschitzOnly &= norm.bound(shape).measured() <= 1;
        addInferenceOnly(norm, "layer '" + name + "' (" + type + ")");
      }
      case "InvertibleDownSampling", "InvertibleUpSampling" -> throw new UnsupportedModelException(file + ": layer '"
          + name + "' (" + type + ") is not imported: deel-lip's versions order its channels differently (slices"
          + " concatenated position-major, or reshaped channel-major) and the file does not say which one wrote it;"
          + " a wrong guess would permute the next layer's inputs silently");
      default -> throw new UnsupportedModelException(file + ": layer '" + name + "' of type " + type
          + " is not supported" + KerasUnsupported.reason(type)
          + " (supported: Spectral/Frobenius/plain Dense and Conv2D, DepthwiseConv2D,"
          + " SeparableConv2D, Conv2DTranspose, SpectralConv2DTranspose, Conv1D, MaxPooling1D, AveragePooling1D,"
          + " GlobalAveragePooling1D, GlobalMaxPooling1D, ZeroPadding1D, GroupSort, GroupSort2,"
          + " FullSort, MaxMin, ScaledL2NormPooling2D, ScaledAveragePooling2D, ScaledGlobalAveragePooling2D,"
          + " ScaledGlobalL2NormPooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D,"
          + " AveragePooling2D,"
          + " BatchNormalization, Normalization, Flatten, Reshape, Rescaling, ZeroPadding2D, Cropping2D, Permute,"
          + " Resizing and UpSampling2D (bilinear or nearest), CenterCrop,"
          + " ReLU, LeakyReLU, ELU, PReLU, Householder, Activation(" + ACTIVATIONS + "), Softmax, the dropout and"
          + " noise layers, ActivityRegularization, Identity, the Random* augmentations but RandomCrop)");
    }
  }

  private static final Set<String> DENSE = Set.of("Dense", "SpectralDense", "FrobeniusDense");

  /**
   * Keras 3's random image augmentations, which return their input unchanged at inference (measured with Keras
   * 3.15 on each). RandomCrop is not among them: its output size at inference differs between Keras versions.
   */
  static final Set<String> AUGMENTATIONS = Set.of("RandomBrightness", "RandomColorDegeneration", "RandomColorJitter",
      "RandomContrast", "RandomElasticTransform", "RandomErasing", "RandomFlip", "RandomGaussianBlur",
      "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective", "RandomPosterization", "RandomRotation",
      "RandomSaturation", "RandomSharpness", "RandomShear", "RandomTranslation", "RandomZoom");

  /** Layers that act on each value alone, so a flattened vector's order passes through them unchanged. */
  private static boolean keepsOrder(String type, JsonNode c) {
    if (AUGMENTATIONS.contains(type)) {
      return true;
    }
    return switch (type) {
      case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "AlphaDropout",
          "GaussianNoise", "ActivityRegularization", "Identity", "ReLU", "LeakyReLU", "ELU" -> true;
      case "Activation" -> c.path("activation").isTextual() && !c.path("activation").asText().equals("softmax");
      default -> false;
    };
  }

  /**
   * A weight-free step without a jlip layer (an activation, a 1-D pooling): a bound of at most 1 keeps a 1-Lipschitz
   * model's claim.
   */
  private void addElementwise(Step step, String what) {
    lipschitzOnly &= step.bound(shape).measured() <= 1;
    addInferenceOnly(step, what);
  }

  /** A step with no jlip training layer: certifiable, but the file can no longer be converted. */
  private void addInferenceOnly(Step step, String what) {
    if (notConvertible == null) {
      notConvertible = what + " has no jlip equivalent";
      firstInferenceOnly = step;
    }
    shape = step.outputShape(shape);
    steps.add(step);
  }

  private void add(LayerConfig config) {
    layers.add(config);
    if (!(config instanceof DenseConfig) && !(config instanceof Conv2DConfig)
        && !(config instanceof Conv2DTransposeConfig)) {
      Step s = new Step.Layer(config.name() == null ? config.type() : config.name(), config);
      shape = s.outputShape(shape);
      steps.add(s);
    }
  }

  private void addBias(String group, String name, boolean bias) throws IOException {
    if (bias) {
      Weight b = weights.read(group, "1", name);
      steps.add(new Step.Bias(name + "/bias", b.values()));
    }
  }

  private void addActivation(JsonNode act, String layer) throws IOException {
    if (act.isMissingNode() || act.isNull() || act.asText().equals("linear")) {
      return;
    }
    if (act.isTextual()) {
      String a = act.asText();
      Step.Elementwise step = KerasInferenceLayers.activation(a, layer + "/" + a);
      if (a.equals("relu")) {
        add(new ReLUConfig(null));
      } else if (a.equals("softmax")) {
        finalActivationRemoved = a;
      } else if (step != null) {
        addElementwise(step, "activation '" + a + "' of layer '" + layer + "'");
      } else {
        throw new UnsupportedModelException(file + ": activation '" + a + "' of layer '" + layer + "' is not"
            + " supported (" + ACTIVATIONS + ", deel-lip GroupSort/GroupSort2)");
      }
      return;
    }
    add(KerasWeightFreeLayers.sortLike(file, act.path("class_name").asText(), act.path("config"), null, shape,
        channelsFirst));
  }

  /** One int or a list of two, each 1 to 1024, as two ints; {1, 1} when missing or null; null otherwise. */
  static int[] pair(JsonNode n) {
    int[] d = n.isMissingNode() || n.isNull() ? new int[] {1, 1}
        : n.isIntegralNumber() ? new int[] {n.asInt(), n.asInt()}
        : n.isArray() && n.size() == 2 && n.get(0).isIntegralNumber() && n.get(1).isIntegralNumber()
            ? new int[] {n.get(0).asInt(), n.get(1).asInt()} : null;
    return d == null || d[0] < 1 || d[1] < 1 || d[0] > 1024 || d[1] > 1024 ? null : d;
  }

  /** A missing field, 1, or an array of ones. */
  private static boolean allOnes(JsonNode n) {
    if (n.isArray()) {
      for (JsonNode v : n) {
        if (v.asInt() != 1) {
          return false;
        }
      }
      return true;
    }
    return n.isMissingNode() || n.isNull() || n.asInt() == 1;
  }

  /** The integers of a JSON array from index {@code skip} on. */
  static long[] ints(JsonNode array, int skip) {
    List<Long> out = new ArrayList<>();
    for (int i = skip; i < array.size(); i++) {
      out.add(array.get(i).asLong());
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
