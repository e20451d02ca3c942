package org.jlip.imports;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a legacy Keras {@code .h5} model file ({@code model.save("m.h5")}, Keras 2 or 3): one group per
 * top-level layer under {@code model_weights}, whose {@code weight_names} attribute lists the layer's variables in
 * order (trainable first), each stored at {@code model_weights/<layer>/<weight name>}. Keras 3 names a weight by its
 * path ("backbone/dense/kernel"), Keras 2 by its layer and variable ("dense/kernel:0"); a nested model's group lists
 * the weights of all its layers. Groups given to {@link #path} are layer-name paths ("backbone/dense").
 */
final class LegacyH5Layout implements WeightLayout {
  static final String ROOT = "model_weights";
  /** Keras splits an attribute over the HDF5 object-header limit into numbered chunks (weight_names0, ...). */
  private static final int MAX_CHUNKS = 1 << 16;

  private final Path file;
  private final HdfFile h5;
  private final Map<String, List<String>> namesByTop = new HashMap<>();

  LegacyH5Layout(Path file, HdfFile h5) {
    this.file = file;
    this.h5 = h5;
  }

  @Override
  public String source() {
    return ROOT;
  }

  @Override
  public String path(String group, String index, String layer) throws IOException {
    String[] parts = group.split("/");
    String top = parts[0];
    List<String> all = weightNames(top, layer);
    List<String> own = parts.length == 1 ? all : nestedNames(all, group, parts[parts.length - 1], layer);
    String name = pick(own, index);
    if (name == null) {
      throw new MalformedModelException(file + ": layer '" + layer + "' has no weight " + index + " in " + ROOT
          + "/" + top + " (the file lists " + own + " for it)");
    }
    return ROOT + "/" + top + "/" + name;
  }

  /**
   * The weights of a nested layer: those whose parent path ends with its group ("backbone/dense"), else (Keras 2
   * names a weight by its layer alone) with its name, if that names one layer only.
   */
  private List<String> nestedNames(List<String> all, String group, String name, String layer)
      throws MalformedModelException {
    List<String> byPath = all.stream().filter(n -> endsWithPath(parent(n), group)).toList();
    if (!byPath.isEmpty()) {
      return byPath;
    }
    List<String> byName = all.stream().filter(n -> endsWithPath(parent(n), name)).toList();
    if (byName.stream().map(LegacyH5Layout::parent).distinct().count() > 1) {
      throw new MalformedModelException(file + ": the weights of layer '" + layer + "' cannot be told apart from"
          + " another layer's of the same name in " + ROOT + ": " + byName);
    }
    return byName;
  }

  private static boolean endsWithPath(String path, String suffix) {
    return path.equals(suffix) || path.endsWith("/" + suffix);
  }

  private static String parent(String weightName) {
    int slash = weightName.lastIndexOf('/');
    return slash < 0 ? "" : weightName.substring(0, slash);
  }

  /**
   * The variable at position {@code index}, or the one whose own name (":0" dropped) is {@code index}. deel-lip 1.x
   * creates wbar as an unnamed {@code tf.Variable}, which Keras 2 lists as "Variable": taken for wbar when it is the
   * layer's only such variable (the importer then checks its shape and norm like any wbar).
   */
  private static String pick(List<String> names, String index) {
    if (index.chars().allMatch(Character::isDigit)) {
      int i = Integer.parseInt(index);
      return i < names.size() ? names.get(i) : null;
    }
    List<String> unnamed = new ArrayList<>();
    for (String n : names) {
      String own = n.substring(n.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "");
      if (own.equals(index)) {
        return n;
      }
      if (own.matches("Variable(_\\d+)?")) {
        unnamed.add(n);
      }
    }
    return index.equals("wbar") && unnamed.size() == 1 ? unnamed.get(0) : null;
  }

  private List<String> weightNames(String top, String layer) throws IOException {
    List<String> cached = namesByTop.get(top);
    if (cached != null) {
      return cached;
    }
    Node node;
    try {
      node = h5.getByPath(ROOT + "/" + top);
    } catch (RuntimeException e) {
      node = null;
    }
    if (!(node instanceof Group g)) {
      throw new MalformedModelException(file + ": layer '" + layer + "' has no weight group " + ROOT + "/" + top);
    }
    List<String> names = new ArrayList<>();
    Attribute whole = g.getAttribute("weight_names");
    if (whole != null) {
      names.addAll(strings(whole, g.getPath()));
    } else {
      for (int k = 0; k < MAX_CHUNKS && g.getAttribute("weight_names" + k) != null; k++) {
        names.addAll(strings(g.getAttribute("weight_names" + k), g.getPath()));
      }
    }
    namesByTop.put(top, names);
    return names;
  }

  /** A string-list attribute; h5py writes an empty list as an empty float array. */
  private List<String> strings(Attribute a, String where) throws IOException {
    Object data;
    try {
      if (a.getSizeInBytes() > KerasZip.MAX_CONFIG_BYTES) {
        throw new UntrustedModelException(file + ": attribute " + a.getName() + " of " + where + " declares "
            + a.getSizeInBytes() + " bytes, over the limit of " + KerasZip.MAX_CONFIG_BYTES);
      }
      data = a.getData();
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + ": attribute " + a.getName() + " of " + where + " cannot be read: "
          + e.getMessage(), e);
    }
    if (data instanceof String s) {
      return List.of(s);
    }
    if (data instanceof String[] s) {
      return Arrays.asList(s);
    }
    if (data != null && data.getClass().isArray() && java.lang.reflect.Array.getLength(data) == 0) {
      return List.of();
    }
    throw new MalformedModelException(file + ": attribute " + a.getName() + " of " + where
        + " is not a list of weight names");
  }
}
