package org.jlip.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The training block of a model file; command-line flags override each field. Null fields take the defaults
 * below.
 *
 * @param loss the loss and its parameters
 * @param optimizer only "adam" for now
 * @param learningRate Adam's initial rate (default 1e-3)
 * @param beta1 Adam's beta1 (default 0.9)
 * @param beta2 Adam's beta2 (default 0.999)
 * @param decay multiplicative learning-rate decay per epoch (default 1: constant)
 * @param batchSize default 128
 * @param epochs default 10
 * @param lossSchedule loss parameters set before each step as functions of the step (deel-lip's
 *     LossParamScheduler), at most one per parameter; null or empty: none
 * @param reprojectKernel set each constrained kernel to its W_bar before each update (default false). deel-lip
 *     2.x trains this way on Keras 3, where its W_bar variable wraps the kernel's own TensorFlow variable: the
 *     option reproduces its runs; off, the kernel is a free parameter as deel-lip's design (and 1.x) has it
 */
public record TrainingSpec(
    LossSpec loss,
    String optimizer,
    Double learningRate,
    Double beta1,
    Double beta2,
    Double decay,
    Integer batchSize,
    Integer epochs,
    List<LossParamSchedule> lossSchedule,
    Boolean reprojectKernel) {

  public TrainingSpec {
    optimizer = optimizer == null ? "adam" : optimizer;
    if (!optimizer.equals("adam")) {
      throw new IllegalArgumentException("optimizer must be one of [adam], got " + optimizer);
    }
    learningRate = positive("learningRate", learningRate, 1e-3);
    beta1 = unit("beta1", beta1, 0.9);
    beta2 = unit("beta2", beta2, 0.999);
    decay = decay == null ? 1.0 : decay;
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("decay must be in (0, 1], got " + decay);
    }
    batchSize = batchSize == null ? 128 : batchSize;
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    epochs = epochs == null ? 10 : epochs;
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    lossSchedule = lossSchedule == null || lossSchedule.isEmpty() ? null : List.copyOf(lossSchedule);
    checkSchedule(loss, lossSchedule);
    reprojectKernel = Boolean.TRUE.equals(reprojectKernel);
  }

  /** With kernels free between steps (no reprojection). */
  public TrainingSpec(LossSpec loss, String optimizer, Double learningRate, Double beta1, Double beta2, Double decay,
      Integer batchSize, Integer epochs, List<LossParamSchedule> lossSchedule) {
    this(loss, optimizer, learningRate, beta1, beta2, decay, batchSize, epochs, lossSchedule, null);
  }

  /** Without a loss schedule or reprojection. */
  public TrainingSpec(LossSpec loss, String optimizer, Double learningRate, Double beta1, Double beta2, Double decay,
      Integer batchSize, Integer epochs) {
    this(loss, optimizer, learningRate, beta1, beta2, decay, batchSize, epochs, null, null);
  }

  /** The loss schedules, empty when there are none. */
  public List<LossParamSchedule> schedules() {
    return lossSchedule == null ? List.of() : lossSchedule;
  }

  private static void checkSchedule(LossSpec loss, List<LossParamSchedule> schedule) {
    if (schedule == null) {
      return;
    }
    if (loss == null) {
      throw new IllegalArgumentException("lossSchedule needs the loss block it schedules");
    }
    Set<String> seen = new HashSet<>();
    for (LossParamSchedule s : schedule) {
      if (!loss.parameters().contains(s.param())) {
        throw new IllegalArgumentException("lossSchedule: loss " + loss.type() + " has no parameter " + s.param()
            + "; it has " + loss.parameters().stream().sorted().toList());
      }
      if (!seen.add(s.param())) {
        throw new IllegalArgumentException("lossSchedule: " + s.param() + " is scheduled twice");
      }
    }
  }

  private static double positive(String name, Double v, double def) {
    double d = v == null ? def : v;
    if (!(d > 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + d);
    }
    return d;
  }

  private static double unit(String name, Double v, double def) {
    double d = v == null ? def : v;
    if (!(d >= 0 && d < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + d);
    }
    return d;
  }
}
