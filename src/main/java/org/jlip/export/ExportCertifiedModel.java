package org.jlip.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertifiedModel;
import org.jlip.model.ModelBound;

/**
 * A jlip SavedModel export as a {@link CertifiedModel}: logits from its serving signature, the bound measured
 * again from its own weights ({@link ExportedBounds}), the rule and nominal constant from its metadata.
 */
public final class ExportCertifiedModel implements CertifiedModel {
  private final Path dir;
  private final ExportedModel model;
  private final ModelBound bound;
  private final CertificateRule rule;
  private final Double nominal;
  private final int outputs;

  private ExportCertifiedModel(Path dir, ExportedModel model, ModelBound bound, CertificateRule rule,
      Double nominal, int outputs) {
    this.dir = dir;
    this.model = model;
    this.bound = bound;
    this.rule = rule;
    this.nominal = nominal;
    this.outputs = outputs;
  }

  public static ExportCertifiedModel open(Path dir) throws IOException {
    SavedModelInfo info = SavedModelInfo.read(dir);
    if (info.metadata() == null) {
      throw new IOException(dir + " is not a jlip export (no " + Metadata.DIR + "/" + Metadata.FILE + ")");
    }
    JsonNode meta = info.metadata();
    CertificateRule rule = CertificateRule.valueOf(meta.path("certificate").path("rule").asText());
    JsonNode nominal = meta.path("lipschitz").path("nominal");
    ModelBound bound = ExportedBounds.of(dir);
    return new ExportCertifiedModel(dir, ExportedModel.load(dir), bound, rule,
        nominal.isNumber() ? nominal.asDouble() : null, meta.path("outputs").asInt());
  }

  @Override
  public long[] inputShape() {
    return model.inputShape();
  }

  @Override
  public int outputs() {
    return outputs;
  }

  @Override
  public float[] logits(float[] images, int n) {
    return model.logits(images, n);
  }

  @Override
  public CertificateRule rule() {
    return rule;
  }

  @Override
  public Double nominalLipschitz() {
    return nominal;
  }

  @Override
  public ModelBound bound() {
    return bound;
  }

  @Override
  public String source() {
    return "jlip SavedModel " + dir;
  }

  @Override
  public void close() {
    model.close();
  }
}
