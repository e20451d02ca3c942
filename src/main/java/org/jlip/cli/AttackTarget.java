package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jlip.attack.Classifier;
import org.jlip.certify.CertifiedModel;
import org.jlip.certify.TrainedCertifiedModel;
import org.jlip.data.DataSpec;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.export.ExportedBounds;
import org.jlip.imports.ImportedCertifiedModel;
import org.jlip.model.TrainedModel;
import org.jlip.serve.CertifiedModels;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A model to attack: its certificates (from {@link CertifiedModel}) and a differentiable graph of it. jlip runs
 * are attacked in their own inference graph, jlip exports in the plain model rebuilt from their weights, and
 * Python models in the forward graph rebuilt by the importer (gradients do not flow through a loaded Keras
 * SavedModel).
 */
final class AttackTarget implements AutoCloseable {
  final CertifiedModel certified;
  final Classifier classifier;
  /** The data to attack it with, with the model's channel count ({@link DataSpec#forInput}). */
  final DataSpec data;
  private final AutoCloseable[] resources;

  private AttackTarget(CertifiedModel certified, Classifier classifier, DataSpec data, AutoCloseable... resources) {
    this.certified = certified;
    this.classifier = classifier;
    this.data = data;
    this.resources = resources;
  }

  /** The model at path, with {@code loaded} given the model's channel count ({@link #data}). */
  static AttackTarget open(Path path, DataSpec loaded) throws IOException {
    CertifiedModel m = CertifiedModels.open(path, null);
    try {
      DataSpec d = loaded.forInput(m.inputShape());
      return build(m, path, d, d.images().height(), d.images().width(), d.images().channels());
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The model at path, attacked on images of h x w x c ({@link #data} null). */
  static AttackTarget open(Path path, int h, int w, int c) throws IOException {
    CertifiedModel m = CertifiedModels.open(path, null);
    try {
      return build(m, path, null, h, w, c);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  private static AttackTarget build(CertifiedModel m, Path path, DataSpec d, int h, int w, int c)
      throws IOException {
    CliChecks.imagesFit(m.inputShape(), h, w, c, "the data");
    if (m instanceof TrainedCertifiedModel t) {
      TrainedModel run = t.trained();
      return new AttackTarget(m, Classifier.of(run.model(), run.graph(), run.session()), d);
    }
    if (m instanceof ExportCertifiedModel) {
      ExportedBounds rebuilt = ExportedBounds.rebuild(path);
      return new AttackTarget(m, Classifier.of(rebuilt.model(), rebuilt.graph(), rebuilt.session()), d, rebuilt);
    }
    ImportedCertifiedModel imported = (ImportedCertifiedModel) m;
    Graph g = new Graph();
    Session s = new Session(g);
    Ops tf = Ops.create(g);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, c)));
    long[] shape = imported.inputShape();
    long[] batched = new long[shape.length + 1];
    batched[0] = -1;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    Operand<TFloat32> logits = imported.loaded().buildForward(tf, tf.reshape(x, tf.constant(batched)));
    s.initialize();
    return new AttackTarget(m, Classifier.of(g, s, x, logits), d, s, g);
  }

  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + r, e);
      }
    }
    certified.close();
  }
}
