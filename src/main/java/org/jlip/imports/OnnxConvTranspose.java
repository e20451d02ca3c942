package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;

/**
 * ONNX's ConvTranspose (PyTorch's nn.ConvTranspose2d) as TensorFlow's Conv2DBackpropInput with VALID padding to the
 * full size F = s (n - 1) + k + output_padding along each axis, then a crop of the pads [begin, F - end): the
 * output size ONNX defines, s (n - 1) + output_padding + k - begin - end. The last output_padding rows of the full
 * output are the ones no input reaches, as in PyTorch. Kernel [C_in, C_out, kh, kw] becomes [kh, kw, C_out, C_in].
 */
final class OnnxConvTranspose {
  private OnnxConvTranspose() {}

  static Activation of(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, true);
    long cin = x.shape()[2];
    Constant w = t.constant(n, 1);
    long[] d = w.dims();
    if (w.floats() == null || d.length != 4 || d[0] != cin) {
      throw new UnsupportedModelException(t.where(n) + ": kernel of dims " + Arrays.toString(d) + "; expected a"
          + " float32 [" + cin + ", out, kh, kw] kernel of a 2-D transposed convolution");
    }
    long[] strides = t.attrInts(n, "strides", new long[] {1, 1});
    long[] dil = t.attrInts(n, "dilations", new long[] {1, 1});
    long[] outputPadding = t.attrInts(n, "output_padding", new long[] {0, 0});
    long[] pads = t.attrInts(n, "pads", new long[] {0, 0, 0, 0});
    String autoPad = t.attrS(n, "auto_pad", "NOTSET");
    if (t.attrI(n, "group", 1) != 1 || !Arrays.equals(dil, new long[] {1, 1}) || strides.length != 2
        || strides[0] < 1 || strides[1] < 1 || strides[0] > 1 << 16 || strides[1] > 1 << 16
        || outputPadding.length != 2 || pads.length != 4
        || !autoPad.equals("NOTSET") || t.attrInts(n, "output_shape", null) != null
        || Arrays.stream(pads).anyMatch(p -> p < 0)
        || outputPadding[0] < 0 || outputPadding[0] >= strides[0] || outputPadding[1] < 0
        || outputPadding[1] >= strides[1]) {
      throw new UnsupportedModelException(t.where(n) + ": group " + t.attrI(n, "group", 1) + ", dilations "
          + Arrays.toString(dil) + ", strides " + Arrays.toString(strides) + ", pads " + Arrays.toString(pads)
          + ", output_padding " + Arrays.toString(outputPadding) + ", auto_pad " + autoPad + "; jlip reads transposed"
          + " convolutions with group 1, dilation 1, strides up to 2^16, explicit non-negative pads, output_padding"
          + " below the stride and no output_shape");
    }
    int kh = (int) d[2];
    int kw = (int) d[3];
    long cout = d[1];
    long fullH = strides[0] * (x.shape()[0] - 1) + kh + outputPadding[0];
    long fullW = strides[1] * (x.shape()[1] - 1) + kw + outputPadding[1];
    KerasResizeLayers.requireSize(t.where(n), fullH, fullW, new long[] {fullH, fullW, cout});
    long outH = fullH - pads[0] - pads[2];
    long outW = fullW - pads[1] - pads[3];
    if (outH < 1 || outW < 1) {
      throw new MalformedModelException(t.where(n) + ": pads " + Arrays.toString(pads) + " crop its " + fullH + " x "
          + fullW + " output to nothing");
    }
    float[] k = w.floats();
    float[] hwoi = new float[k.length];
    for (int i = 0; i < cin; i++) {
      for (int o = 0; o < cout; o++) {
        for (int y = 0; y < kh; y++) {
          for (int z = 0; z < kw; z++) {
            hwoi[((y * kw + z) * (int) cout + o) * (int) cin + i] = k[((i * (int) cout + o) * kh + y) * kw + z];
          }
        }
      }
    }
    Activation full = t.emit("Conv2DBackpropInput", n.name(), new long[] {fullH, fullW, cout}, true,
        Map.of("strides", OnnxTranslator.ints(1, strides[0], strides[1], 1), "padding",
            OnnxTranslator.string("VALID"), "data_format", OnnxTranslator.string("NHWC")),
        t.intArg(1, fullH, fullW, cout), t.arg(hwoi, kh, kw, cout, cin), x.ref());
    Activation y = OnnxImageSlices.crop(t, n, new OnnxImageSlices.Slice(full, new long[] {0, pads[0], pads[1]},
        new long[] {1, 1, 1}, new long[] {cout, outH, outW}));
    return OnnxConv.withBias(t, n, y, cout);
  }
}
