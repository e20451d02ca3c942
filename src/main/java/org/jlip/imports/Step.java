package org.jlip.imports;

import java.util.Arrays;
import java.util.List;
import org.jlip.certify.DftBound;
import org.jlip.certify.OperatorNorms;
import org.jlip.layers.LayerBound;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.layers.TransposedConvolution;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * One operation of an imported feed-forward chain, with its weights as plain arrays: it can be built into any
 * graph (as constants) and bounded without one. Shapes never include the batch axis; images are NHWC.
 */
sealed interface Step {

  /** Where the operation came from (node or layer name), for bound tables and errors. */
  String name();

  long[] outputShape(long[] in);

  /** Builds the step on {@code x}, whose shape without the batch axis is {@code in}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in);

  /** The Lipschitz bound of this step on inputs of shape {@code in}. */
  LayerBound bound(long[] in);

  /**
   * x W with W [rows, cols] row-major. {@code perOutput}: a disjoint-neuron head, bounded per logit by its
   * largest column norm; otherwise by its spectral norm (SVD in double precision).
   */
  record Linear(String name, float[] w, int rows, int cols, double nominal, boolean perOutput) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in.length != 1 || in[0] != rows) {
        throw new IllegalArgumentException(name + ": dense kernel [" + rows + ", " + cols + "] needs a flat input of "
            + rows + ", got " + Arrays.toString(in));
      }
      return new long[] {cols};
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.linalg.matMul(x, constant(tf, w, rows, cols));
    }

    @Override
    public LayerBound bound(long[] in) {
      if (perOutput) {
        double max = Arrays.stream(OperatorNorms.columnNorms(w, rows, cols)).max().orElse(0);
        return new LayerBound(nominal, max, max, "column-norms", true);
      }
      double s = OperatorNorms.spectralNorm(w, rows, cols);
      return new LayerBound(nominal, s, s, "svd", false);
    }
  }

  /**
   * 2-D cross-correlation (NHWC, kernel [kh, kw, cin, cout]). Bound: the DFT bound (guaranteed, Sedghi et al.)
   * on the layer's input size; estimate: power iteration on the actual operator and its transpose.
   */
  record Conv(String name, float[] k, int kh, int kw, int cin, int cout, int sh, int sw, String padding,
      double nominal) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in.length != 3 || in[2] != cin) {
        boolean grouped = in.length == 3 && in[2] > cin && in[2] % cin == 0;
        throw new IllegalArgumentException(name + ": conv with " + cin + " input channels needs [H, W, " + cin
            + "], got " + Arrays.toString(in) + (grouped ? " (a grouped convolution whose groups do not divide its output channels)"
            : ""));
      }
      return new long[] {outSize(in[0], kh, sh, padding), outSize(in[1], kw, sw, padding), cout};
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.nn.conv2d(x, constant(tf, k, kh, kw, cin, cout), Arrays.asList(1L, (long) sh, (long) sw, 1L),
          padding.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public LayerBound bound(long[] in) {
      int h = (int) in[0];
      int w = (int) in[1];
      double upper = OperatorNorms.convDftBound(k, kh, kw, cin, cout, h, w, sh, sw, padding);
      double lower = OperatorNorms.convNormEstimate(k, kh, kw, cin, cout, h, w, sh, sw, padding, 0);
      return new LayerBound(nominal, upper, Math.min(lower, upper), "dft", false);
    }
  }

  /**
   * A transposed convolution (kernel [kh, kw, filters, cin], NHWC) to an output of outH x outW x filters: the
   * adjoint of the convolution of that output back to the input, so its bound is that convolution's (an operator
   * and its adjoint have the same norm), from the same DFT bound and estimate as {@link Conv}.
   */
  record ConvTranspose(String name, float[] k, int kh, int kw, int filters, int cin, int sh, int sw, String padding,
      long outH, long outW, double nominal) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in.length != 3 || in[2] != cin || outSize(outH, kh, sh, padding) != in[0]
          || outSize(outW, kw, sw, padding) != in[1]) {
        throw new IllegalArgumentException(name + ": a transposed convolution to [" + outH + ", " + outW + ", "
            + filters + "] (kernel " + kh + "x" + kw + ", strides " + sh + "x" + sw + ", " + padding + ") needs ["
            + outSize(outH, kh, sh, padding) + ", " + outSize(outW, kw, sw, padding) + ", " + cin + "], got "
            + Arrays.toString(in));
      }
      return new long[] {outH, outW, filters};
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return TransposedConvolution.apply(tf, x, constant(tf, k, kh, kw, filters, cin), kh, kw, cin, sh, sw, padding,
          in[0], in[1], outH, outW);
    }

    @Override
    public LayerBound bound(long[] in) {
      return TransposedConvolution.bound(nominal, k, kh, kw, filters, cin, sh, sw, padding, outH, outW);
    }
  }

  /**
   * A convolution of the image padded circularly by exactly its window ({@link CircularConvs}): a circular
   * convolution on the H x W torus, bounded exactly by the largest singular value of the kernel's DFT on that grid.
   */
  record CircularConv(String name, Gather rows, Gather cols, Conv conv) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return conv.outputShape(cols.outputShape(rows.outputShape(in)));
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      long[] mid = rows.outputShape(in);
      return conv.apply(tf, cols.apply(tf, rows.apply(tf, x, in), mid), cols.outputShape(mid));
    }

    @Override
    public LayerBound bound(long[] in) {
      double exact = DftBound.onGrid(conv.k(), conv.kh(), conv.kw(), conv.cin(), conv.cout(), Math.toIntExact(in[0]),
          Math.toIntExact(in[1]));
      return new LayerBound(conv.nominal(), exact, exact / (1 + DftBound.SLACK), "dft-circular", false);
    }
  }

  /** x + b along the last axis: a translation, 1-Lipschitz. */
  record Bias(String name, float[] b) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in[in.length - 1] != b.length && b.length != 1) {
        throw new IllegalArgumentException(name + ": bias of " + b.length + " values on " + Arrays.toString(in));
      }
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      // BiasAdd (not Add) lets TensorFlow fuse it with the MatMul or Conv2D before it: measured 2x on an MLP.
      return b.length == in[in.length - 1] ? tf.nn.biasAdd(x, constant(tf, b, b.length))
          : tf.math.add(x, constant(tf, b, b.length));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /** Inference batch normalisation x * s + t per channel (s = gamma / sqrt(var + eps)): bound max |s|. */
  record Scale(String name, float[] s, float[] t) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in[in.length - 1] != s.length) {
        throw new IllegalArgumentException(name + ": scale of " + s.length + " values on " + Arrays.toString(in));
      }
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.math.add(tf.math.mul(x, constant(tf, s, s.length)), constant(tf, t, t.length));
    }

    @Override
    public LayerBound bound(long[] in) {
      double max = 0;
      for (float v : s) {
        max = Math.max(max, Math.abs(v));
      }
      return new LayerBound(Double.POSITIVE_INFINITY, max, max, "diagonal", false);
    }
  }

  /** An element-wise activation, {@code param} its parameter where it has one: bound sup |f'|. */
  record Elementwise(String name, ElementwiseFunction function, float param) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return function.apply(tf, x, param);
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(function.lipschitz(param));
    }
  }

  /**
   * Max or average pooling (NHWC). Max: 1 when windows do not overlap, else sqrt(c) with c = ceil(kh/sh) *
   * ceil(kw/sw) the most windows covering one pixel (each window's max moves by at most the window's largest
   * change, and summing squares counts each pixel c times). Average: sqrt(c / m), m the fewest values averaged
   * (kh*kw, or fewer at "same" borders): exact, 1/sqrt(kh*kw), for non-overlapping "valid" windows.
   */
  record Pool(String name, boolean max, int kh, int kw, int sh, int sw, String padding) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return new long[] {outSize(in[0], kh, sh, padding), outSize(in[1], kw, sw, padding), in[2]};
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      var ksize = Arrays.asList(1L, (long) kh, (long) kw, 1L);
      var strides = Arrays.asList(1L, (long) sh, (long) sw, 1L);
      String p = padding.toUpperCase(java.util.Locale.ROOT);
      return max ? tf.nn.maxPool(x, tf.constant(new int[] {1, kh, kw, 1}), tf.constant(new int[] {1, sh, sw, 1}), p)
          : tf.nn.avgPool(x, ksize, strides, p);
    }

    @Override
    public LayerBound bound(long[] in) {
      double cover = Math.ceil((double) kh / sh) * Math.ceil((double) kw / sw);
      if (max) {
        double l = Math.sqrt(cover);
        return new LayerBound(Double.POSITIVE_INFINITY, l, 1, cover == 1 ? "exact" : "overlap", false);
      }
      double fewest = (double) fewestValid(in[0], kh, sh) * fewestValid(in[1], kw, sw);
      double l = Math.sqrt(cover / fewest);
      boolean exact = cover == 1 && fewest == kh * kw;
      // A constant image stays constant (TensorFlow averages the in-image values only), so ||A 1|| / ||1|| =
      // sqrt(outputs / inputs) is a lower estimate of the operator norm.
      long[] out = outputShape(in);
      double constant = Math.min(l, Math.sqrt((double) out[0] * out[1] / (in[0] * in[1])));
      return new LayerBound(Double.POSITIVE_INFINITY, l, exact ? l : constant, exact ? "exact" : "overlap", false);
    }

    /** The fewest in-image values of any window along one axis (TensorFlow's padding puts the odd one after). */
    private long fewestValid(long n, int k, int s) {
      long out = outSize(n, k, s, padding);
      long before = "same".equalsIgnoreCase(padding) ? Math.max((out - 1) * s + k - n, 0) / 2 : 0;
      long fewest = k;
      for (long o = 0; o < out; o++) {
        long start = o * s - before;
        fewest = Math.min(fewest, Math.min(start + k, n) - Math.max(start, 0));
      }
      return Math.max(fewest, 1);
    }
  }

  /**
   * Keras's GlobalMaxPooling2D, the largest value of each channel over H and W: bound exactly 1, since per channel
   * |max a - max b| <= max |a - b| <= ||a - b||, and summing squares over channels keeps it.
   */
  record GlobalMax(String name) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return channelsOf(name + ": a global max pooling", in);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.max(x, tf.constant(new int[] {1, 2}));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /** Reshape to {@code shape} (no batch axis): same values in the same order, an isometry. */
  record Reshape(String name, long[] shape) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      long a = Arrays.stream(in).reduce(1, (p, q) -> p * q);
      long b = Arrays.stream(shape).reduce(1, (p, q) -> p * q);
      if (a != b) {
        throw new IllegalArgumentException(name + ": cannot reshape " + Arrays.toString(in) + " to "
            + Arrays.toString(shape));
      }
      return shape;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      long[] full = new long[shape.length + 1];
      full[0] = -1;
      System.arraycopy(shape, 0, full, 1, shape.length);
      return tf.reshape(x, tf.constant(full));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * A permutation of the axes after the batch axis ({@code perm[i]} is the input axis of output axis i, without
   * batch): it moves values without changing them, an isometry, bound 1, exact.
   */
  record Transpose(String name, int[] perm) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      boolean[] seen = new boolean[in.length];
      boolean ok = perm.length == in.length;
      for (int i = 0; ok && i < perm.length; i++) {
        ok = perm[i] >= 0 && perm[i] < in.length && !seen[perm[i]];
        if (ok) {
          seen[perm[i]] = true;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(name + ": " + Arrays.toString(perm) + " is not a permutation of the "
            + in.length + " axes of " + Arrays.toString(in));
      }
      long[] out = new long[in.length];
      for (int i = 0; i < perm.length; i++) {
        out[i] = in[perm[i]];
      }
      return out;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      int[] full = new int[perm.length + 1];
      for (int i = 0; i < perm.length; i++) {
        full[i + 1] = perm[i] + 1;
      }
      return tf.linalg.transpose(x, tf.constant(full));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * Branches from one input, each a chain of steps (an empty one is the identity), joined by Keras's Add,
   * Subtract (first minus second), Average or Concatenate (on {@code axis} of the shape after the batch axis).
   * Bound, from the branches' product bounds L_i: the sum for Add and Subtract, the sum over n for Average,
   * sqrt(sum L_i^2) for Concatenate on any axis (the squared norms of the parts add up). Nominal and estimate
   * combine the branches' own the same way.
   */
  record Merge(String name, MergeKind kind, List<List<Step>> branches, int axis) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      long[] out = null;
      for (List<Step> b : branches) {
        long[] s = in;
        for (Step step : b) {
          s = step.outputShape(s);
        }
        if (out == null) {
          out = s.clone();
          if (kind == MergeKind.CONCATENATE && (axis < 0 || axis >= out.length)) {
            throw new IllegalArgumentException(name + ": concatenation axis " + axis + " of " + Arrays.toString(out));
          }
        } else if (kind == MergeKind.CONCATENATE && sameBut(s, out, axis)) {
          out[axis] += s[axis];
        } else if (kind == MergeKind.CONCATENATE || !Arrays.equals(s, out)) {
          throw new IllegalArgumentException(name + ": " + kind.name().toLowerCase(java.util.Locale.ROOT)
              + " of branches ending in shapes " + Arrays.toString(out) + " and " + Arrays.toString(s));
        }
      }
      return out;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      List<Operand<TFloat32>> outs = new java.util.ArrayList<>();
      for (List<Step> b : branches) {
        Operand<TFloat32> y = x;
        long[] s = in;
        for (Step step : b) {
          y = step.apply(tf, y, s);
          s = step.outputShape(s);
        }
        outs.add(y);
      }
      return switch (kind) {
        case CONCATENATE -> tf.concat(outs, tf.constant(axis + 1));
        case SUBTRACT -> tf.math.sub(outs.get(0), outs.get(1));
        case MAXIMUM, MINIMUM -> {
          Operand<TFloat32> m = outs.get(0);
          for (int i = 1; i < outs.size(); i++) {
            m = kind == MergeKind.MAXIMUM ? tf.math.maximum(m, outs.get(i)) : tf.math.minimum(m, outs.get(i));
          }
          yield m;
        }
        case ADD, AVERAGE -> {
          Operand<TFloat32> sum = outs.get(0);
          for (int i = 1; i < outs.size(); i++) {
            sum = tf.math.add(sum, outs.get(i));
          }
          yield kind == MergeKind.ADD ? sum : tf.math.mul(sum, tf.constant(1f / outs.size()));
        }
      };
    }

    @Override
    public LayerBound bound(long[] in) {
      double[] nominal = new double[branches.size()];
      double[] measured = new double[branches.size()];
      double[] estimate = new double[branches.size()];
      for (int i = 0; i < branches.size(); i++) {
        nominal[i] = 1;
        measured[i] = 1;
        estimate[i] = 1;
        long[] s = in;
        for (Step step : branches.get(i)) {
          LayerBound b = step.bound(s);
          nominal[i] *= b.nominal();
          measured[i] *= b.measured();
          estimate[i] *= b.estimate();
          s = step.outputShape(s);
        }
      }
      return new LayerBound(kind.combine(nominal), kind.combine(measured), kind.combine(estimate), "branches",
          false);
    }
  }

  private static boolean sameBut(long[] a, long[] b, int axis) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (i != axis && a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * How {@link Merge} joins its branches, and how their bounds combine. An element-wise maximum or minimum moves by
   * at most the largest move of its inputs at that element, so its squared change is at most the sum of the
   * branches' squared changes: sqrt(sum L_i^2), as for a concatenation.
   */
  enum MergeKind {
    ADD, SUBTRACT, AVERAGE, CONCATENATE, MAXIMUM, MINIMUM;

    double combine(double[] bounds) {
      double sum = 0;
      double squares = 0;
      for (double b : bounds) {
        sum += b;
        squares += b * b;
      }
      return switch (this) {
        case ADD, SUBTRACT -> sum;
        case AVERAGE -> sum / bounds.length;
        case CONCATENATE, MAXIMUM, MINIMUM -> Math.sqrt(squares);
      };
    }
  }

  /**
   * Padding by {@code before[i]} and {@code after[i]} copies of {@code value} on each axis i after the batch axis
   * (Keras's ZeroPadding2D, TensorFlow's Pad and PadV2): two inputs' padded forms differ only where the inputs do,
   * so it is exactly 1-Lipschitz whatever the value.
   */
  record Pad(String name, long[] before, long[] after, float value) implements Step {
    Pad(String name, long[] before, long[] after) {
      this(name, before, after, 0f);
    }

    @Override
    public long[] outputShape(long[] in) {
      requireAxes(name, "padding", in, before, after);
      long[] out = in.clone();
      for (int i = 0; i < in.length; i++) {
        if (before[i] < 0 || after[i] < 0) {
          throw new IllegalArgumentException(name + ": negative padding " + Arrays.toString(before) + ", "
              + Arrays.toString(after));
        }
        out[i] = in[i] + before[i] + after[i];
      }
      return out;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      int[] p = new int[2 * (in.length + 1)];
      for (int i = 0; i < in.length; i++) {
        p[2 * i + 2] = Math.toIntExact(before[i]);
        p[2 * i + 3] = Math.toIntExact(after[i]);
      }
      return tf.pad(x, tf.constant(Shape.of(in.length + 1, 2), DataBuffers.of(p, true, false)),
          tf.constant(value));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * The values at {@code indices} along axis {@code axis} after the batch axis (a padding that copies border values,
   * {@link CopyPadding}): each output is one input, so G^T G is diagonal with how often each input is read, and the
   * bound sqrt(the largest such count) is exact.
   */
  record Gather(String name, int axis, int[] indices) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (axis < 0 || axis >= in.length || Arrays.stream(indices).anyMatch(i -> i < 0 || i >= in[axis])) {
        throw new IllegalArgumentException(name + ": gathers indices up to "
            + Arrays.stream(indices).max().orElse(-1) + " along axis " + axis + " of " + Arrays.toString(in));
      }
      long[] out = in.clone();
      out[axis] = indices.length;
      return out;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.gather(x, tf.constant(indices), tf.constant(axis + 1));
    }

    @Override
    public LayerBound bound(long[] in) {
      int[] count = new int[Math.toIntExact(in[axis])];
      int most = 0;
      for (int i : indices) {
        most = Math.max(most, ++count[i]);
      }
      return LayerBound.exact(Math.sqrt(most));
    }
  }

  /**
   * The block of {@code size[i]} values from {@code begin[i]} on each axis i after the batch axis (Keras's
   * Cropping2D, a StridedSlice with unit strides): a projection, exactly 1-Lipschitz.
   */
  record Crop(String name, long[] begin, long[] size) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      requireAxes(name, "crop", in, begin, size);
      for (int i = 0; i < in.length; i++) {
        if (begin[i] < 0 || size[i] < 1 || begin[i] + size[i] > in[i]) {
          throw new IllegalArgumentException(name + ": crops " + size[i] + " values from " + begin[i] + " on axis "
              + (i + 1) + " of " + Arrays.toString(in) + "; the block must be inside the input and not empty");
        }
      }
      return size.clone();
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      // int32: the C++ gradient of Slice subtracts them from an int32 Shape.
      int[] b = new int[in.length + 1];
      int[] s = new int[in.length + 1];
      s[0] = -1;
      for (int i = 0; i < in.length; i++) {
        b[i + 1] = Math.toIntExact(begin[i]);
        s[i + 1] = Math.toIntExact(size[i]);
      }
      return tf.slice(x, tf.constant(b), tf.constant(s));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * Image resizing to [height, width] (TensorFlow's ResizeBilinear or ResizeNearestNeighbor; Keras's Resizing and
   * UpSampling2D), run as R_h X R_w^T on each channel with the matrices of {@link Interpolation}. It is linear,
   * the same map on every channel, and its bound ||R_h|| ||R_w|| is exact.
   */
  record Resize(String name, boolean nearest, int height, int width, boolean alignCorners, boolean halfPixel)
      implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (in.length != 3 || height < 1 || width < 1) {
        throw new IllegalArgumentException(name + ": resizes an [H, W, C] image to " + height + "x" + width
            + ", got " + Arrays.toString(in));
      }
      return new long[] {height, width, in[2]};
    }

    float[] rows(long[] in) {
      return matrix(Math.toIntExact(in[0]), height);
    }

    float[] cols(long[] in) {
      return matrix(Math.toIntExact(in[1]), width);
    }

    private float[] matrix(int from, int to) {
      return nearest ? Interpolation.nearest(from, to, alignCorners, halfPixel)
          : Interpolation.bilinear(from, to, alignCorners, halfPixel);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      long h = in[0];
      long w = in[1];
      long c = in[2];
      // [N, H, W, C] -> [N, W, C, H] x R_h^T -> [N, H', W, C] -> [N, H', C, W] x R_w^T -> [N, H', W', C]
      Operand<TFloat32> t = tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 3, 1}));
      t = tf.linalg.matMul(tf.reshape(t, tf.constant(new long[] {-1, h})), constant(tf, rows(in), height, h),
          MatMul.transposeB(true));
      t = tf.reshape(t, tf.constant(new long[] {-1, w, c, height}));
      t = tf.linalg.transpose(t, tf.constant(new int[] {0, 3, 2, 1}));
      t = tf.linalg.matMul(tf.reshape(t, tf.constant(new long[] {-1, w})), constant(tf, cols(in), width, w),
          MatMul.transposeB(true));
      t = tf.reshape(t, tf.constant(new long[] {-1, height, c, width}));
      return tf.linalg.transpose(t, tf.constant(new int[] {0, 1, 3, 2}));
    }

    @Override
    public LayerBound bound(long[] in) {
      outputShape(in);
      double l = OperatorNorms.spectralNorm(rows(in), height, Math.toIntExact(in[0]))
          * OperatorNorms.spectralNorm(cols(in), width, Math.toIntExact(in[1]));
      return new LayerBound(l, l, l, "svd", false);
    }
  }

  /**
   * TensorFlow's Tile: the input repeated {@code multiples[i]} times along axis i after the batch axis. Each value
   * appears prod(multiples) times, so the bound sqrt(prod(multiples)) is exact. (tf.repeat, which Keras's
   * UpSampling2D uses, is ExpandDims, Tile and Reshape.)
   */
  record Tile(String name, long[] multiples) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (multiples.length != in.length || Arrays.stream(multiples).anyMatch(m -> m < 1)) {
        throw new IllegalArgumentException(name + ": tiles " + Arrays.toString(multiples) + " times an input of"
            + " shape " + Arrays.toString(in) + "; expected one positive count per axis after the batch axis");
      }
      long[] out = in.clone();
      for (int i = 0; i < in.length; i++) {
        out[i] = in[i] * multiples[i];
      }
      return out;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      long[] full = new long[multiples.length + 1];
      full[0] = 1;
      System.arraycopy(multiples, 0, full, 1, multiples.length);
      return tf.tile(x, tf.constant(full));
    }

    @Override
    public LayerBound bound(long[] in) {
      outputShape(in);
      return LayerBound.exact(Math.sqrt(Arrays.stream(multiples).reduce(1, (a, b) -> a * b)));
    }
  }

  /**
   * PReLU: x where x >= 0, alpha x below, alpha broadcast from {@code alphaShape} (the input's shape with 1 on shared
   * axes, NHWC): bound max(1, max |alpha|), exact for a diagonal piecewise-linear map. Built as relu(x) - alpha
   * relu(-x), which has graph gradients for the attacks.
   */
  record PRelu(String name, float[] alpha, long[] alphaShape) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      boolean fits = alphaShape.length == in.length;
      for (int i = 0; fits && i < in.length; i++) {
        fits = alphaShape[i] == 1 || alphaShape[i] == in[i];
      }
      if (!fits) {
        throw new IllegalArgumentException(name + ": alpha of shape " + Arrays.toString(alphaShape)
            + " does not broadcast over " + Arrays.toString(in));
      }
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return tf.math.sub(tf.nn.relu(x), tf.math.mul(constant(tf, alpha, alphaShape), tf.nn.relu(tf.math.neg(x))));
    }

    @Override
    public LayerBound bound(long[] in) {
      double max = 1;
      for (float a : alpha) {
        max = Math.max(max, Math.abs(a));
      }
      return LayerBound.exact(max);
    }
  }

  /**
   * deel-lip's Householder activation on the halves z1, z2 of axis {@code axis} (of the shape without batch): where
   * s = z1 sin(theta/2) - z2 cos(theta/2) > 0 the pair is reflected across the line at angle theta/2, i.e.
   * (z1, z2) - 2 s (sin(theta/2), -cos(theta/2)); else kept. The reflection is an isometry that fixes the line s =
   * 0, so the map is continuous and piecewise orthogonal: bound 1, exact. Built with relu(s) in place of a select.
   */
  record Householder(String name, float[] theta, int axis) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (axis >= in.length || in[axis] != 2L * theta.length) {
        throw new IllegalArgumentException(name + ": " + theta.length + " angles need " + 2 * theta.length
            + " values on axis " + axis + ", got input " + Arrays.toString(in));
      }
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      float[] sin = new float[theta.length];
      float[] cos = new float[theta.length];
      for (int i = 0; i < theta.length; i++) {
        sin[i] = (float) Math.sin(0.5 * theta[i]);
        cos[i] = (float) Math.cos(0.5 * theta[i]);
      }
      // The angles run along the split axis; trailing ones broadcast over the axes after it.
      long[] shape = new long[in.length - axis];
      Arrays.fill(shape, 1);
      shape[0] = theta.length;
      Operand<TFloat32> sinHalf = constant(tf, sin, shape);
      Operand<TFloat32> cosHalf = constant(tf, cos, shape);
      var halves = tf.split(tf.constant(axis + 1), x, 2L).output();
      Operand<TFloat32> z1 = halves.get(0);
      Operand<TFloat32> z2 = halves.get(1);
      Operand<TFloat32> twiceS = tf.math.mul(tf.constant(2f),
          tf.nn.relu(tf.math.sub(tf.math.mul(z1, sinHalf), tf.math.mul(z2, cosHalf))));
      Operand<TFloat32> a = tf.math.sub(z1, tf.math.mul(twiceS, sinHalf));
      Operand<TFloat32> b = tf.math.add(z2, tf.math.mul(twiceS, cosHalf));
      return tf.concat(java.util.List.of(a, b), tf.constant(axis + 1));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * concat(min(a, b), max(a, b)) of the halves a, b of axis {@code axis} (of the shape without batch): deel-lip's
   * GroupSort2 as its SavedModel computes it, on the pairs it reshapes onto a last axis of length 2. A permutation of
   * each pair, so bound 1, exact.
   */
  record HalfSort(String name, int axis) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      if (axis < 0 || axis >= in.length || in[axis] % 2 != 0) {
        throw new IllegalArgumentException(name + ": cannot split axis " + axis + " of " + Arrays.toString(in)
            + " in halves");
      }
      return in;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      var halves = tf.split(tf.constant(axis + 1), x, 2L).output();
      return tf.concat(java.util.List.of(tf.math.minimum(halves.get(0), halves.get(1)),
          tf.math.maximum(halves.get(0), halves.get(1))), tf.constant(axis + 1));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(1.0);
    }
  }

  /**
   * sqrt(avgpool(x^2) + eps) (NHWC): deel-lip's L2 pooling before its coefficient. Each output is 1/sqrt(m) times
   * the norm of its window (with sqrt(m eps) appended), m the values averaged, so it moves by at most
   * 1/sqrt(m) times its window's change: the average pooling's bound sqrt(c / m) holds ({@link Pool}).
   */
  record L2Pool(String name, int kh, int kw, int sh, int sw, String padding, float eps) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return average().outputShape(in);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      return safeSqrt(tf, tf.math.add(average().apply(tf, tf.math.square(x), in), tf.constant(eps)));
    }

    @Override
    public LayerBound bound(long[] in) {
      return average().bound(in);
    }

    private Pool average() {
      return new Pool(name, false, kh, kw, sh, sw, padding);
    }
  }

  /**
   * sqrt(sum (or mean) over H, W of x^2 + eps) per channel: deel-lip's global L2 pooling before its coefficient.
   * Each channel's output is the norm of that channel (with sqrt(eps) appended), scaled by 1/sqrt(H W) for the
   * mean: bound 1 or 1/sqrt(H W), exact.
   */
  record GlobalL2(String name, boolean mean, float eps) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return channelsOf(name + ": a global L2 pooling", in);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      Operand<TFloat32> sq = tf.math.square(x);
      Operand<TFloat32> r = mean ? tf.math.mean(sq, tf.constant(new int[] {1, 2}))
          : tf.reduceSum(sq, tf.constant(new int[] {1, 2}));
      return safeSqrt(tf, tf.math.add(r, tf.constant(eps)));
    }

    @Override
    public LayerBound bound(long[] in) {
      return LayerBound.exact(mean ? 1 / Math.sqrt((double) in[0] * in[1]) : 1.0);
    }
  }

  /** A weight-free jlip layer (GroupSort, L2 pooling, Flatten...), built fresh in each graph. */
  record Layer(String name, LayerConfig config) implements Step {
    @Override
    public long[] outputShape(long[] in) {
      return config.create().build(null, in, 0);
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, long[] in) {
      LipLayer layer = config.create();
      layer.build(tf, in, 0);
      return layer.call(tf, x, false);
    }

    @Override
    public LayerBound bound(long[] in) {
      LipLayer layer = config.create();
      layer.build(null, in, 0);
      double l = layer.nominalLipschitz();
      return new LayerBound(l, l, l, "exact", false);
    }
  }

  /**
   * sqrt(max(v, 1e-30)): the square root of a sum of squares whose gradient stays finite (zero) where the sum is 0,
   * as deel-lip's custom gradient keeps it; the value moves by at most 1e-15, and max(norm, 1e-15) is still
   * 1-Lipschitz in the norm.
   */
  static Operand<TFloat32> safeSqrt(Ops tf, Operand<TFloat32> v) {
    return tf.math.sqrt(tf.math.maximum(v, tf.constant(1e-30f)));
  }

  /** [C] for an [H, W, C] input of a global pooling ({@code what}); refuses any other shape. */
  static long[] channelsOf(String what, long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(what + " needs an [H, W, C] input, got " + Arrays.toString(in));
    }
    return new long[] {in[2]};
  }

  private static void requireAxes(String name, String what, long[] in, long[] a, long[] b) {
    if (a.length != in.length || b.length != in.length) {
      throw new IllegalArgumentException(name + ": " + what + " for " + a.length + " axes on an input of shape "
          + Arrays.toString(in));
    }
  }

  static long outSize(long n, int k, int s, String padding) {
    if (s < 1 || k < 1 || !"same".equalsIgnoreCase(padding) && n < k) {
      throw new IllegalArgumentException("a window of " + k + " with stride " + s + " on " + n + " positions ("
          + padding + " padding) leaves no output");
    }
    return "same".equalsIgnoreCase(padding) ? (n + s - 1) / s : (n - k) / s + 1;
  }

  static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }
}
