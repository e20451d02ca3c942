package org.jlip.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.Certificates;
import org.jlip.certify.PredictedCertificate;
import org.jlip.io.AtomicFiles;
import org.jlip.layers.Condensable;
import org.jlip.layers.LipLayer;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TFFailedPreconditionException;
import org.tensorflow.types.TFloat32;

/**
 * Writes a trained model as a standard TensorFlow SavedModel (tag "serve") that Python TensorFlow, TF Serving and
 * Keras's TFSMLayer load unchanged.
 *
 * <p>The export is the condensed model: each constrained layer becomes the plain layer it computes at inference
 * (deel-lip's vanilla export), built in a fresh graph and session, so the SavedModel holds inference ops and the
 * constrained weights only (no optimizer slots, no power-iteration state) and later training cannot change it.
 * Signatures, both on input {@code x} float32 [-1, inputShape...]:
 * <ul>
 *   <li>{@code serving_default}: {@code logits} float32 [-1, classes];
 *   <li>{@code certify}: {@code logits}, {@code label} (int64 predicted class; a single logit: 1 if f > 0) and
 *       {@code radius} (float32, certified L2 radius of the predicted class: margin to the runner-up over
 *       (divisor L), or |f| / L for one logit; see {@link CertificateRule}), computed by
 *       {@link Certificates#predicted}.
 * </ul>
 * Metadata goes to {@code assets.extra/jlip.json} (see {@link SavedModelInfo}). The directory appears complete or
 * not at all: it is written as a temporary sibling and renamed into place.
 */
public final class SavedModelExporter {
  /** Signature keys and tensor names of an export. */
  public static final String SERVING = "serving_default";
  public static final String CERTIFY = "certify";
  public static final String LOGITS = "logits";
  public static final String LABEL = "label";
  public static final String RADIUS = "radius";

  private static final Logger LOG = LoggerFactory.getLogger(SavedModelExporter.class);
  /** Inputs the exporter runs through both graphs to check the export computes the model's function. */
  private static final int PROBE_SIZE = 8;

  private SavedModelExporter() {}

  /**
   * Exports {@code model}, whose variables live in {@code session}, to {@code dir}. The export computes the model's
   * inference output as it is in the session now: condense first if W_bar may lag the last training step.
   *
   * @throws IllegalStateException if the model is not built or its variables are not initialised in the session
   * @throws IllegalArgumentException if a layer with weights cannot be condensed or the class names do not fit
   * @throws FileAlreadyExistsException if {@code dir} exists and {@code options.overwrite()} is false
   * @return the certificate rule the export uses: BINARY for one logit whatever {@code options} say
   * @throws IOException if the directory cannot be written (nothing is left behind)
   */
  public static CertificateRule export(LipschitzSequential model, Session session, Path dir, ExportOptions options)
      throws IOException {
    Operand<TFloat32> liveOutput;
    long[] outputShape;
    try {
      liveOutput = model.inferenceOutput();
      outputShape = model.outputShape();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot export to " + dir + ": the model is not built (build it in the"
          + " session's graph and train or restore it first)", e);
    }
    if (outputShape.length != 1) {
      throw new IllegalArgumentException("cannot export to " + dir + ": the model must output a vector of logits"
          + " per sample, its output shape is " + Arrays.toString(outputShape));
    }
    int classes = (int) outputShape[0];
    List<String> classNames = options.classNames() != null ? options.classNames() : model.spec().classNames();
    if (classNames != null && classNames.size() != Math.max(classes, 2)) {
      throw new IllegalArgumentException("classNames must hold " + Math.max(classes, 2) + " names for a model with "
          + classes + " output(s), got " + classNames.size());
    }
    CertificateRule rule = classes == 1 ? CertificateRule.BINARY : options.rule();
    if (classes > 1 && rule == CertificateRule.BINARY) {
      throw new IllegalArgumentException("rule BINARY is for one logit; this model has " + classes
          + " outputs (use DISJOINT or SQRT2)");
    }
    if (!options.overwrite() && Files.exists(dir)) {
      throw new FileAlreadyExistsException(dir.toAbsolutePath().toString(), null,
          "export target exists; pass overwrite to replace it");
    }
    if (Files.exists(dir)) {
      requireReplaceable(dir);
    }
    ModelSpec vanillaSpec = VanillaGraph.vanillaSpec(model);
    float[] probe = probeInputs(model.spec().inputShapeArray());
    List<Map<String, float[]>> weights = new ArrayList<>();
    float[] expected;
    try {
      for (LipLayer l : model.layers()) {
        weights.add(l instanceof Condensable c ? c.vanillaWeights(session) : Map.of());
      }
      expected = Inference.run(session, model.input(), liveOutput, probe, PROBE_SIZE,
          model.spec().inputShapeArray());
    } catch (TFFailedPreconditionException e) {
      throw uninitialised(dir, e);
    } catch (IllegalStateException e) {
      // a session made with autoInit false refuses to run before initialize()
      if (e.getMessage() != null && e.getMessage().contains("initializ")) {
        throw uninitialised(dir, e);
      }
      throw e;
    }
    AtomicFiles.replaceDirectory(dir, options.overwrite(), temp -> {
      try (VanillaGraph g = VanillaGraph.build(vanillaSpec, weights)) {
        checkSameFunction(g, probe, expected);
        Signature serving = Signature.builder().key(SERVING)
            .input(LipschitzSequential.INPUT_NAME, g.input).output(LOGITS, g.logits).build();
        PredictedCertificate<TFloat32> certificate = options.pairwise(rule)
            ? Certificates.pairwisePredicted(g.tf, g.logits, g.tf.constant(options.layerBounds().headNorms()),
                options.layerBounds().measuredBody())
            : Certificates.predicted(g.tf, g.logits, rule, options.lipschitz());
        Signature certify = Signature.builder().key(CERTIFY)
            .input(LipschitzSequential.INPUT_NAME, g.input).output(LOGITS, g.logits)
            .output(LABEL, g.tf.withName(LABEL).identity(certificate.label()))
            .output(RADIUS, g.tf.withName(RADIUS).identity(certificate.radius()))
            .build();
        SavedModelBundle.exporter(temp.toString()).withSession(g.session)
            .withFunction(g.session.function(serving)).withFunction(g.session.function(certify)).export();
      }
      ObjectNode meta = Metadata.build(model.spec(), vanillaSpec, classes, classNames, rule, options);
      Path extra = Files.createDirectories(temp.resolve(Metadata.DIR));
      Files.writeString(extra.resolve(Metadata.FILE), Metadata.toJson(meta));
    });
    LOG.info("exported SavedModel to {} (L = {}, rule {})", dir, options.lipschitz(), rule);
    return rule;
  }

  /**
   * Overwriting replaces a whole directory, so only an earlier jlip export (or an empty directory) may be
   * replaced: never a training run, a project folder or a file that happens to be named as the target.
   */
  private static void requireReplaceable(Path dir) throws IOException {
    boolean export = Files.isRegularFile(dir.resolve(Metadata.DIR).resolve(Metadata.FILE));
    boolean empty = false;
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      }
    }
    if (!export && !empty) {
      throw new IllegalArgumentException("refusing to replace " + dir.toAbsolutePath() + ": it is not a jlip"
          + " SavedModel export (no " + Metadata.DIR + "/" + Metadata.FILE + "); overwrite replaces an earlier"
          + " export only, so remove it yourself or choose another target");
    }
  }

  private static void checkSameFunction(VanillaGraph g, float[] probe, float[] expected) {
    float[] got = Inference.run(g.session, g.input, g.logits, probe, PROBE_SIZE, g.model.spec().inputShapeArray());
    double scale = 1;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - got[i]));
    }
    if (worst > 1e-4 * scale) {
      throw new IllegalStateException("the condensed model does not reproduce the model's inference output"
          + " (max abs difference " + worst + " on probe inputs): a layer's vanillaWeights/vanillaConfig is wrong");
    }
  }

  private static float[] probeInputs(long[] inputShape) {
    long size = PROBE_SIZE;
    for (long d : inputShape) {
      size *= d;
    }
    Random random = new Random(42);
    float[] x = new float[(int) size];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    return x;
  }

  private static IllegalStateException uninitialised(Path dir, RuntimeException cause) {
    return new IllegalStateException("cannot export to " + dir + ": the model's variables are not initialised"
        + " in the given session (run session.initialize(), train, or restore a checkpoint first): "
        + firstLine(cause.getMessage()), cause);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
