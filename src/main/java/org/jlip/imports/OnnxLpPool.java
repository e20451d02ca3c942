package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;
import org.jlip.imports.OnnxTranslator.Value;

/**
 * L2 pooling as PyTorch exports it: {@code nn.LPPool2d(2, k)} (deel-torchlip's ScaledL2NormPool2d and what its
 * {@code vanilla_export} leaves) becomes Pow(x, 2), AveragePool, Sign(a) * Relu(Abs(a)), Mul(k_h k_w),
 * Pow(., 0.5); a hand-written {@code sqrt(avg_pool2d(x ** 2))} ends in Sqrt instead. The pieces are tracked as
 * values of their own and the whole is written as sqrt(c) Sqrt(AvgPool(Square(x))), which the walk bounds as an L2
 * pooling ({@link Step.L2Pool}) followed by a constant factor. Sign(a) Relu(Abs(a)) equals a here, a mean of
 * squares being at least 0. Any other use of the pieces is refused with the reason.
 */
final class OnnxLpPool {
  private OnnxLpPool() {}

  /** A piece of the pattern: {@code what} says which, for refusals. */
  interface Piece extends Value {
    String what();
  }

  /** Square(x), already emitted as {@code squares}. */
  record Squares(Activation squares) implements Piece {
    @Override
    public String what() {
      return "the square of an activation";
    }
  }

  /** c * AvgPool(Square(x)), the pool emitted as {@code mean}; c is applied after the square root. */
  record MeanSquares(Activation mean, float c) implements Piece {
    @Override
    public String what() {
      return "a mean of squares";
    }
  }

  /** Sign ({@code sign}) or Abs, or Relu of Abs, of a mean of squares. */
  record Factor(MeanSquares of, boolean sign) implements Piece {
    @Override
    public String what() {
      return (sign ? "the sign" : "the absolute value") + " of a mean of squares";
    }
  }

  /** Whether the node reads a piece of the pattern. */
  static boolean reads(OnnxTranslator t, Node n) throws IOException {
    for (int i = 0; i < n.inputs().size(); i++) {
      if (!n.inputs().get(i).isEmpty() && t.input(n, i) instanceof Piece) {
        return true;
      }
    }
    return false;
  }

  /** Pow(x, 2) of an activation, or Pow(mean of squares, 0.5): the square root that ends the pattern. */
  static Value pow(OnnxTranslator t, Node n) throws IOException {
    Value base = t.input(n, 0);
    float e = scalar(t, n, 1);
    if (base instanceof Activation x && e == 2f) {
      return new Squares(t.emit("Square", n.name(), x.shape(), x.image(), Map.of(), x.ref()));
    }
    if (base instanceof MeanSquares m && e == 0.5f) {
      return root(t, n, m);
    }
    throw new UnsupportedModelException(t.where(n) + ": Pow of " + describe(base) + " by " + e + "; jlip reads Pow"
        + " only in L2 pooling (PyTorch's LPPool2d with p = 2: the square of an activation, averaged, then the"
        + " power 0.5)");
  }

  /** AveragePool of squares: the pool emitted on them. */
  static Value averagePool(OnnxTranslator t, Node n, Squares s) throws IOException {
    return new MeanSquares(OnnxConv.pool(t, n, s.squares()), 1f);
  }

  /** Sign, Abs, or Relu of Abs, of a mean of squares. */
  static Value factor(OnnxTranslator t, Node n) throws IOException {
    Value v = t.input(n, 0);
    String op = n.opType();
    if (v instanceof MeanSquares m && (op.equals("Sign") || op.equals("Abs"))) {
      return new Factor(m, op.equals("Sign"));
    }
    if (v instanceof Factor f && !f.sign() && op.equals("Relu")) {
      return f;
    }
    throw new UnsupportedModelException(t.where(n) + ": " + op + " of " + describe(v) + "; jlip reads " + op
        + (op.equals("Relu") ? " of an activation, or" : "") + " only inside L2 pooling (PyTorch's LPPool2d, p = 2)");
  }

  /** Sign(a) * Relu(Abs(a)) = a; a mean of squares times a positive constant. */
  static Value mul(OnnxTranslator t, Node n) throws IOException {
    Value a = t.input(n, 0);
    Value b = t.input(n, 1);
    if (a instanceof Factor fa && b instanceof Factor fb && fa.of() == fb.of() && fa.sign() != fb.sign()) {
      return fa.of();
    }
    MeanSquares m = a instanceof MeanSquares x ? x : b instanceof MeanSquares x ? x : null;
    Value other = m == a ? b : a;
    if (m != null && other instanceof Constant) {
      float c = scalar(t, n, m == a ? 1 : 0);
      if (c > 0 && Float.isFinite(c)) {
        return new MeanSquares(m.mean(), m.c() * c);
      }
    }
    throw new UnsupportedModelException(t.where(n) + ": Mul of " + describe(a) + " and " + describe(b) + "; jlip"
        + " reads products inside L2 pooling only as PyTorch's LPPool2d (p = 2) writes them");
  }

  /** Sqrt of a mean of squares (a hand-written L2 pooling). */
  static Value sqrt(OnnxTranslator t, Node n) throws IOException {
    if (t.input(n, 0) instanceof MeanSquares m) {
      return root(t, n, m);
    }
    throw new UnsupportedModelException(t.where(n) + ": Sqrt of " + describe(t.input(n, 0)) + "; jlip reads Sqrt"
        + " only in L2 pooling, of a mean of squares");
  }

  /** sqrt(c mean) = sqrt(c) Sqrt(mean). */
  private static Activation root(OnnxTranslator t, Node n, MeanSquares m) {
    Activation x = m.mean();
    Activation r = t.emit("Sqrt", n.name(), x.shape(), x.image(), Map.of(), x.ref());
    if (m.c() == 1f) {
      return r;
    }
    float[] s = new float[(int) r.shape()[r.shape().length - 1]];
    Arrays.fill(s, (float) Math.sqrt(m.c()));
    return t.emit("Mul", n.name() + "/scale", r.shape(), r.image(), Map.of(), r.ref(), t.arg(s, s.length));
  }

  private static float scalar(OnnxTranslator t, Node n, int i) throws IOException {
    Constant c = t.constant(n, i);
    if (c.floats() != null && c.floats().length == 1) {
      return c.floats()[0];
    }
    if (c.longs() != null && c.longs().length == 1) {
      return c.longs()[0];
    }
    throw new UnsupportedModelException(t.where(n) + ": input " + i + " must be one number");
  }

  private static String describe(Value v) {
    return v instanceof Piece p ? p.what() : v instanceof Activation ? "an activation" : "a constant";
  }
}
