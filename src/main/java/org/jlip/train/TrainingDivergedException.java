package org.jlip.train;

/** The loss became NaN or infinite: training stops and the last good checkpoint is kept. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
