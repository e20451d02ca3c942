package org.jlip.io;

import java.io.IOException;

/** A consumer that may throw IOException, e.g. the code that fills a file or directory for {@link AtomicFiles}. */
@FunctionalInterface
public interface IoConsumer<T> {
  void accept(T value) throws IOException;
}
