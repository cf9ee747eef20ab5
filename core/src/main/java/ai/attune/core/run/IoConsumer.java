package ai.attune.core.run;

import java.io.IOException;

/** A consumer that may throw {@link IOException}: fills a stream or a directory. */
@FunctionalInterface
public interface IoConsumer<T> {
  void accept(T value) throws IOException;
}
