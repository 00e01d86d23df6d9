package dev.mlp.core.registry;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import java.io.IOException;
import java.util.function.Consumer;

/** Loads a data set (fetching and verifying it if needed) from its spec. */
@FunctionalInterface
public interface DatasetFactory<S extends DatasetSpec> {

  /**
   * @param log receives one human-readable line per notable event (a source tried, a file verified)
   * @throws IOException when no source could provide valid data; the message says what was tried
   */
  DataSplits load(S spec, Consumer<String> log) throws IOException;

  /**
   * The shape of the samples without loading them (for {@code mlp config validate}), or null when
   * only loading can tell.
   */
  default DataShape shape(S spec) {
    return null;
  }
}
