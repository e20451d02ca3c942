package org.jlip.imports;

import java.util.Set;

/**
 * The operations a SavedModel may contain. Anything else, file, network, process and Python ops included, is
 * refused before TensorFlow sees the model. Pure math/NN/variable ops run anywhere; the checkpoint ops (which
 * read and write the variables files) only in the saver's part of the model.
 */
final class OpAllowlist {
  private OpAllowlist() {}

  /** Pure computation, variables, calls and control-flow-free structure. */
  static final Set<String> PURE = Set.of(
      // structure, constants, variables
      "Const", "Identity", "IdentityN", "NoOp", "Placeholder", "PlaceholderWithDefault", "StopGradient",
      "Snapshot", "PreventGradient", "CheckNumerics", "StatefulPartitionedCall", "PartitionedCall",
      "VarHandleOp", "ReadVariableOp", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
      "VarIsInitializedOp", "VariableV2", "Assign", "AssignAdd", "AssignSub", "IsVariableInitialized",
      "DestroyResourceOp", "DisableCopyOnRead",
      // random initialisers (a TF Java export keeps its initialisers)
      "RandomUniform", "RandomStandardNormal", "TruncatedNormal", "StatelessRandomUniformV2",
      "StatelessRandomNormalV2", "StatelessTruncatedNormalV2", "StatelessRandomGetKeyCounter",
      // linear algebra and NN
      "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Einsum", "Conv2D", "Conv2DBackpropInput",
      "DepthwiseConv2dNative", "BiasAdd", "Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Softplus", "Softsign",
      "Sigmoid", "Tanh", "Erfc", "Softmax", "LogSoftmax", "MaxPool", "MaxPoolV2", "AvgPool", "FusedBatchNorm",
      "FusedBatchNormV2", "FusedBatchNormV3", "TopKV2", "L2Loss",
      // element-wise and reductions
      "Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div", "DivNoNan", "FloorDiv", "FloorMod", "Neg", "Abs",
      "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Log1p", "Pow", "Sin", "Cos", "Maximum", "Minimum", "Reciprocal",
      "SquaredDifference", "Sum", "Mean", "Max", "Min", "Prod", "ArgMax", "ArgMin", "Cast", "Equal", "NotEqual",
      "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Select",
      "SelectV2", "ClipByValue", "ZerosLike", "OnesLike", "Fill", "Range",
      // shapes
      "Reshape", "Transpose", "Squeeze", "ExpandDims", "ConcatV2", "Concat", "Pack", "Unpack", "Split", "SplitV",
      "Slice", "StridedSlice", "Shape", "ShapeN", "Size", "Rank", "Tile", "Pad", "PadV2", "MirrorPad",
      "GatherV2", "BroadcastTo", "BroadcastArgs", "SpaceToDepth", "DepthToSpace",
      // images
      "ResizeBilinear", "ResizeNearestNeighbor");

  /** The checkpoint ops: allowed only in the saver's subgraph (what saves and restores the variables). */
  static final Set<String> SAVER = Set.of(
      "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec", "StringJoin",
      "StaticRegexFullMatch", "StaticRegexReplace", "Select", "Pack", "Const", "Identity", "NoOp");

  /** Named in refusals so a user sees why; all are outside both lists anyway. */
  static final Set<String> KNOWN_DANGEROUS = Set.of(
      "ReadFile", "WriteFile", "MatchingFiles", "PyFunc", "PyFuncStateless", "EagerPyFunc", "ImmutableConst",
      "LoadAndRemapMatrix", "TFRecordDataset", "FixedLengthRecordDataset", "TextLineDataset", "PrintV2", "Print",
      "DecodeProtoV2", "EncodeProto", "DebugIdentity", "Save", "SaveSlices", "Restore", "RestoreSlice");

  static boolean allowed(String op, boolean inSaver) {
    return PURE.contains(op) || (inSaver && SAVER.contains(op));
  }
}
