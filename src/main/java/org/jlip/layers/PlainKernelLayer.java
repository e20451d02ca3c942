package org.jlip.layers;

import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An unconstrained dense or convolution layer: it claims no Lipschitz constant ({@link AbstractLipLayer}'s
 * default; its bound is measured from the kernel) and exports as itself, kernel and bias unchanged.
 */
abstract class PlainKernelLayer<C extends LayerConfig> extends AbstractLipLayer<C> implements Condensable {
  protected Variable<TFloat32> kernel;
  protected Variable<TFloat32> bias;

  protected PlainKernelLayer(C config, String defaultName) {
    super(config, defaultName);
  }

  @Override
  public final Map<String, float[]> vanillaWeights(Session session) {
    return exportedWeights(session, kernel, bias);
  }
}
