import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlip.data.DataSpec;
import org.jlip.serve.Certified;
import org.jlip.serve.Certifier;

/**
 * Serving with certificates: open a model (a jlip export, or a model trained in Python: Keras SavedModel,
 * deel-lip .keras or .h5 file, ONNX), certify a few images and act on the radius, here by accepting a prediction
 * only when it provably holds for every L2 perturbation up to eps.
 * Run: java -cp target/jlip.jar:target/lib/*:target/test-classes ServeCertified [model] [data] [n] [eps]
 */
public final class ServeCertified {
  private ServeCertified() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "savedmodels/fmnist-hkr");
    String data = args.length > 1 ? args[1] : "fashion-mnist:test";
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    double eps = args.length > 3 ? Double.parseDouble(args[3]) : 36 / 255.0;
    try (Certifier certifier = Certifier.open(model)) {
      DataSpec images = DataSpec.load(data, null).forInput(certifier.inputShape());
      int size = images.images().imageSize();
      n = Math.min(n, images.images().count());
      List<Certified> out = certifier.certify(Arrays.copyOf(images.images().pixels(), n * size), n);
      System.out.printf("%s: %s head, radii divide by the measured bound L = %.4f (nominal %s)%n",
          certifier.source(), certifier.rule(), certifier.lipschitz(), certifier.nominalLipschitz());
      for (int i = 0; i < n; i++) {
        Certified c = out.get(i);
        String truth = images.labels() == null ? "" : " (true " + images.labels()[i] + ")";
        System.out.printf("image %d: class %d%s, certified radius %.4f -> %s%n", i, c.label(), truth, c.radius(),
            c.robustAt(eps) ? "accept" : String.format("review: not certified at eps %.4f", eps));
      }
    }
  }
}
