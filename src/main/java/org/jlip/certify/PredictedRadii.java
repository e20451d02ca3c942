package org.jlip.certify;

/**
 * Plain-Java certificate for the predicted class: predicted label and radius (>= 0) per sample. Arrays are
 * owned by the record (not copied).
 */
public record PredictedRadii(long[] labels, float[] radius) {}
