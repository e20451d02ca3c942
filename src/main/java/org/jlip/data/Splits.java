package org.jlip.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A training and a validation split read on their own, labelled alike. Each split of a folder data set is labelled
 * by what it holds (class folders by their rank in name order, labels.npy by its largest label), so a test split
 * that lacks a class, or has one the training split lacks, would give the same class another label.
 */
public final class Splits {
  private Splits() {}

  /** The two splits with one labelling. */
  public record Aligned(Dataset train, Dataset validation) {}

  /**
   * Named classes (class folders) are matched by name: the validation split's labels become the training split's
   * indices, and a class the training split lacks is refused. Unnamed classes (labels.npy, IDX, .npz) share the
   * larger class count. A named split beside an unnamed one lends it its names when its labels fit.
   *
   * @throws IllegalArgumentException naming the classes that do not match
   */
  public static Aligned align(Dataset train, Dataset validation) {
    List<String> names = train.classNames();
    List<String> other = validation.classNames();
    if (names != null && other != null) {
      int[] index = new int[other.size()];
      List<String> missing = new ArrayList<>();
      for (int k = 0; k < other.size(); k++) {
        index[k] = names.indexOf(other.get(k));
        if (index[k] < 0) {
          missing.add(other.get(k));
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("the validation split has classes " + missing + " that the training"
            + " split lacks (training classes: " + names + "); each split's class folders must be among the"
            + " training split's, matched by name");
      }
      int[] labels = validation.labels().clone();
      for (int i = 0; i < labels.length; i++) {
        labels[i] = index[labels[i]];
      }
      return new Aligned(train, relabel(validation, labels, names.size(), names));
    }
    int classes = Math.max(train.numClasses(), validation.numClasses());
    List<String> shared = names != null ? names : other;
    if (shared != null && classes > shared.size()) {
      throw new IllegalArgumentException("one split names " + shared.size() + " classes " + shared + " but the"
          + " other has labels up to " + (classes - 1));
    }
    return new Aligned(relabel(train, train.labels(), classes, shared),
        relabel(validation, validation.labels(), classes, shared));
  }

  private static Dataset relabel(Dataset d, int[] labels, int classes, List<String> names) {
    return new Dataset(d.images(), labels, d.height(), d.width(), d.channels(), classes, names);
  }
}
