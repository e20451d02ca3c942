package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jlip.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A validation split labelled like the training split, whatever classes each one holds. */
class SplitsTest {

  private static Dataset data(int[] labels, int classes, List<String> names) {
    return new Dataset(new float[labels.length], labels, 1, 1, 1, classes, names);
  }

  @Test
  void namedClassesAreMatchedByName() {
    Dataset train = data(new int[] {0, 1, 2}, 3, List.of("a", "b", "c"));
    Dataset test = data(new int[] {0, 1, 1}, 2, List.of("a", "c"));
    Splits.Aligned s = Splits.align(train, test);
    assertArrayEquals(new int[] {0, 2, 2}, s.validation().labels());
    assertEquals(List.of("a", "b", "c"), s.validation().classNames());
    assertEquals(3, s.validation().numClasses());
    var e = assertThrows(IllegalArgumentException.class,
        () -> Splits.align(train, data(new int[] {0, 1}, 2, List.of("a", "d"))));
    assertTrue(e.getMessage().contains("[d]") && e.getMessage().contains("[a, b, c]"), e.getMessage());
  }

  @Test
  void unnamedClassesShareTheLargerCount() {
    Splits.Aligned s = Splits.align(data(new int[] {0, 1, 2}, 3, null), data(new int[] {0, 1}, 2, null));
    assertEquals(3, s.train().numClasses());
    assertEquals(3, s.validation().numClasses());
    assertArrayEquals(new int[] {0, 1}, s.validation().labels());
    s = Splits.align(data(new int[] {0, 1}, 2, null), data(new int[] {0, 3}, 4, null));
    assertEquals(4, s.train().numClasses());
  }

  /** Class folders: a test split without class b keeps c's label; labels.npy missing the top class likewise. */
  @Test
  void splitsReadFromFoldersAgreeOnceAligned(@TempDir Path dir) throws Exception {
    for (String c : new String[] {"a", "b", "c"}) {
      TestImages.grayPng(dir.resolve("train/" + c + "/0.png"), 0);
    }
    for (String c : new String[] {"a", "c"}) {
      TestImages.grayPng(dir.resolve("test/" + c + "/0.png"), 0);
    }
    Splits.Aligned s = Splits.align(DataLocator.load(dir.toString(), Split.TRAIN),
        DataLocator.load(dir.toString(), Split.TEST));
    assertArrayEquals(new int[] {0, 2}, s.validation().labels());
    assertEquals(s.train().classNames(), s.validation().classNames());
  }
}
