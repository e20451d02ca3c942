package org.jlip.imports;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SavedModel;

/**
 * Checks an untrusted SavedModel folder before TensorFlow loads it: TensorFlow runs the model's own restore and
 * init ops while loading, so a hostile file could read or write files, or call Python, just by being loaded.
 *
 * <p>Refused: a missing, empty or unparsable saved_model.pb; a missing variables folder, index or data shard, or an
 * empty one; any op of the graph or of any library function outside {@link OpAllowlist#PURE}, except the
 * checkpoint ops in the saver's own subgraph (the top-level nodes that the SaverDef's restore op and save tensor
 * depend on, and the functions only they call). Restoring never needs SaveV2, so the restore side may not hold it.
 * Also refused as malformed: a node that does not fit its op's registered definition ({@link NodeDefCheck}).
 */
public final class SavedModelGuard {
  /** saved_model.pb larger than this is refused (the fixtures are under 300 kB; weights live in variables/). */
  static final long MAX_GRAPH_BYTES = 256L << 20;

  private SavedModelGuard() {}

  /**
   * Checks the folder and returns the parsed SavedModel.
   *
   * @throws MalformedModelException if a file is missing, empty, truncated or unparsable
   * @throws UntrustedModelException if an op outside the allowlist is present (the message names the op, and the
   *     node and function holding it)
   */
  public static SavedModel check(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new MalformedModelException("SavedModel folder not found: " + dir);
    }
    SavedModel model = parse(dir.resolve("saved_model.pb"));
    if (model.getMetaGraphsCount() == 0) {
      throw new MalformedModelException(dir.resolve("saved_model.pb") + " holds no MetaGraphDef");
    }
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      checkOps(meta);
      checkNodes(meta, dir);
    }
    VariablesCheck.check(dir.resolve("variables"));
    return model;
  }

  private static SavedModel parse(Path pb) throws IOException {
    if (!Files.isRegularFile(pb)) {
      throw new MalformedModelException("missing " + pb);
    }
    long size = Files.size(pb);
    if (size == 0) {
      throw new MalformedModelException(pb + " is empty (0 bytes)");
    }
    if (size > MAX_GRAPH_BYTES) {
      throw new MalformedModelException(pb + " is " + size + " bytes, over the limit of " + MAX_GRAPH_BYTES);
    }
    try (InputStream in = Files.newInputStream(pb)) {
      return SavedModel.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedModelException(pb + " is not a valid SavedModel protocol buffer: " + e.getMessage(), e);
    }
  }

  /** Checks every node of the graph and every function of its library. */
  static void checkOps(MetaGraphDef meta) throws UntrustedModelException {
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Map<String, FunctionDef> functions = new HashMap<>();
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
    SaverDef saver = meta.getSaverDef();
    Set<String> restoreNodes = closure(nodes, nodeName(saver.getRestoreOpName()));
    Set<String> saveNodes = closure(nodes, nodeName(saver.getSaveTensorName()));
    List<String> refused = new ArrayList<>();
    Set<String> outsideCalls = new HashSet<>();
    Set<String> restoreCalls = new HashSet<>();
    Set<String> saveCalls = new HashSet<>();
    for (NodeDef n : nodes.values()) {
      boolean inRestore = restoreNodes.contains(n.getName());
      boolean inSave = saveNodes.contains(n.getName());
      checkOp(n, inRestore, inSave, functions, "graph node '" + n.getName() + "'", refused);
      Set<String> target = inRestore ? restoreCalls : inSave ? saveCalls : outsideCalls;
      target.addAll(calledFunctions(n, functions));
    }
    Set<String> restore = reachable(restoreCalls, functions);
    Set<String> save = reachable(saveCalls, functions);
    // Functions called from the ordinary graph, or from nowhere, get the strict list.
    restore.removeAll(reachable(outsideCalls, functions));
    save.removeAll(reachable(outsideCalls, functions));
    for (FunctionDef f : functions.values()) {
      String name = f.getSignature().getName();
      boolean inRestore = restore.contains(name) && !save.contains(name);
      boolean inSave = save.contains(name) && !restore.contains(name);
      for (NodeDef n : f.getNodeDefList()) {
        checkOp(n, inRestore, inSave, functions, "node '" + n.getName() + "' of function '" + name + "'", refused);
      }
    }
    if (!refused.isEmpty()) {
      // Dangerous ops first, so the message leads with the reason that matters.
      refused.sort(Comparator.comparing((String r) -> !r.contains("(it can touch")).thenComparing(r -> r));
      throw new UntrustedModelException("refusing to load SavedModel: " + String.join("; ", refused));
    }
  }

  /** Every node against TensorFlow's op registry ({@link NodeDefCheck}); the first problems are named. */
  static void checkNodes(MetaGraphDef meta, Path dir) throws MalformedModelException {
    Set<String> functions = new HashSet<>();
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.add(f.getSignature().getName()));
    List<String> problems = new ArrayList<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      NodeDefCheck.check(n, "graph node '" + n.getName() + "'", functions.contains(n.getOp()), problems);
    }
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef n : f.getNodeDefList()) {
        NodeDefCheck.check(n, "node '" + n.getName() + "' of function '" + f.getSignature().getName() + "'",
            functions.contains(n.getOp()), problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new MalformedModelException(dir + ": malformed graph (" + problems.size() + " nodes): "
          + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }
  }

  private static void checkOp(NodeDef n, boolean inRestore, boolean inSave, Map<String, FunctionDef> functions,
      String where, List<String> refused) {
    String op = n.getOp();
    if (functions.containsKey(op) || OpAllowlist.PURE.contains(op)) {
      return;
    }
    boolean saverOp = OpAllowlist.SAVER.contains(op);
    if (saverOp && inSave) {
      return;
    }
    if (saverOp && inRestore && !op.equals("SaveV2") && !op.equals("MergeV2Checkpoints")) {
      return;
    }
    String why = OpAllowlist.KNOWN_DANGEROUS.contains(op) ? " (it can touch files, processes or Python)"
        : saverOp ? " (a checkpoint op outside the saver's restore/save subgraph)"
        : op.equals("SpaceToBatchND") || op.equals("BatchToSpaceND")
            ? " (TensorFlow's form of a dilated convolution, which jlip reads from .keras and .h5 files only)"
        : " (not on jlip's allowlist of pure math/NN/variable ops)";
    refused.add("op " + op + " in " + where + why);
  }

  /** Functions named by a node: its op when the op is a library function, and every function-valued attr. */
  private static List<String> calledFunctions(NodeDef n, Map<String, FunctionDef> functions) {
    List<String> called = new ArrayList<>();
    if (functions.containsKey(n.getOp())) {
      called.add(n.getOp());
    }
    for (AttrValue a : n.getAttrMap().values()) {
      if (a.hasFunc()) {
        called.add(a.getFunc().getName());
      }
      a.getList().getFuncList().forEach(f -> called.add(f.getName()));
    }
    return called;
  }

  private static Set<String> reachable(Set<String> roots, Map<String, FunctionDef> functions) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String f = todo.pop();
      FunctionDef def = functions.get(f);
      if (def == null || !seen.add(f)) {
        continue;
      }
      for (NodeDef n : def.getNodeDefList()) {
        todo.addAll(calledFunctions(n, functions));
      }
    }
    return seen;
  }

  /** The top-level node and everything it depends on (data and control inputs). */
  private static Set<String> closure(Map<String, NodeDef> nodes, String root) {
    Set<String> seen = new HashSet<>();
    if (root.isEmpty()) {
      return seen;
    }
    Deque<String> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef n = nodes.get(name);
      if (n == null || !seen.add(name)) {
        continue;
      }
      n.getInputList().forEach(i -> todo.push(nodeName(i)));
    }
    return seen;
  }

  /** "^name", "name:0" -> "name". */
  static String nodeName(String tensor) {
    String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
