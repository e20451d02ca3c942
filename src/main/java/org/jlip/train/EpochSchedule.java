package org.jlip.train;

/**
 * When a training run validates and when its time limit ends it. Both are decided at the end of each epoch's
 * steps, so the epoch a time limit makes the last one is validated like the configured last epoch: a run always
 * ends with its numbers.
 */
final class EpochSchedule {
  private EpochSchedule() {}

  /**
   * Validation at epochs k * validationFreq (Keras's {@code validation_freq}) and at the run's last epoch.
   *
   * @param epoch from 1
   */
  static boolean validates(int epoch, int validationFreq, boolean last) {
    return last || epoch % validationFreq == 0;
  }

  /**
   * Whether the run ends after {@code epoch}: it is the configured last one, or continuing would end after the
   * deadline. Continuing costs this epoch's scheduled validation, then another epoch as long as this one, then
   * its validation (it may become the last): [validates(epoch)] * eval + train + eval > remaining, with eval the
   * last validation's duration (0 before the first). The first epoch of a run always runs, since the decision
   * follows it.
   *
   * @param remainingNanos time left before the deadline ({@link Long#MAX_VALUE}: no limit)
   */
  static boolean endsAfter(int epoch, int epochs, int validationFreq, long remainingNanos, long trainNanos,
      long evalNanos) {
    if (epoch >= epochs) {
      return true;
    }
    long scheduled = validates(epoch, validationFreq, false) ? evalNanos : 0;
    return remainingNanos < saturatedAdd(saturatedAdd(scheduled, trainNanos), evalNanos);
  }

  /**
   * Whether the checkpoint is written after this epoch: always after the run's last one (a time-limit stop
   * included), otherwise once {@code intervalSeconds} have passed since the last write (0: after every epoch).
   */
  static boolean checkpoints(boolean last, long sinceSavedNanos, double intervalSeconds) {
    return last || sinceSavedNanos >= intervalSeconds * 1e9;
  }

  private static long saturatedAdd(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }
}
