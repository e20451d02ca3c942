package org.jlip.certify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accuracy and provable robust accuracy of the samples of one true class, from their certified radii against the
 * label (measured bound): an average over a test set can hide a class that is rarely certified.
 *
 * @param label the class
 * @param name its name, or null
 * @param samples how many samples have this label
 * @param summary accuracy, provable robust accuracy per eps and mean certified radius over them
 */
public record ClassRobustness(int label, String name, int samples, RobustnessSummary summary) {

  /**
   * One row per class from 0 to the largest label (a class without samples has none), named from
   * {@code classNames} when it has a name for each.
   *
   * @param radiusVsLabel radius against the true label per sample (<= 0 when misclassified)
   */
  public static List<ClassRobustness> of(int[] labels, float[] radiusVsLabel, double[] eps,
      List<String> classNames) {
    int classes = Arrays.stream(labels).max().orElse(-1) + 1;
    boolean named = classNames != null && classNames.size() >= classes;
    List<ClassRobustness> rows = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      int label = c;
      int[] idx = java.util.stream.IntStream.range(0, radiusVsLabel.length).filter(i -> labels[i] == label)
          .toArray();
      if (idx.length == 0) {
        continue;
      }
      float[] r = new float[idx.length];
      for (int k = 0; k < idx.length; k++) {
        r[k] = radiusVsLabel[idx[k]];
      }
      rows.add(new ClassRobustness(c, named ? classNames.get(c) : null, idx.length,
          CertificatesJava.summarize(r, eps)));
    }
    return rows;
  }
}
