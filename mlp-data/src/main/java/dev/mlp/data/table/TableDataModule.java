package dev.mlp.data.table;

import dev.mlp.core.registry.MlpModule;

/** Registers the data types that read the user's own tables: {@code csv}. */
public final class TableDataModule extends MlpModule {
  @Override
  protected void configure() {
    dataset(
        "csv",
        CsvSpec.class,
        CsvDatasetFactory.class,
        "a CSV table of your own: a label column and feature columns (numbers or categories);"
            + " classification or regression");
  }
}
