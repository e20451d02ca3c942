package org.jlip.certify;

import org.tensorflow.Operand;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Graph outputs of a certificate for the predicted class (serving, no label): the predicted label per sample
 * ([batch], int64; for one logit 1 if f > 0 else 0) and its radius ([batch], >= 0).
 */
public record PredictedCertificate<T extends TNumber>(Operand<TInt64> label, Operand<T> radius) {}
