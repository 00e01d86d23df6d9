package dev.mlp.data.table;

import dev.mlp.core.registry.MlpModule;

/**
 * Registers the data types that read the user's own data: {@code csv}, {@code npy}, {@code npz}.
 */
public final class TableDataModule extends MlpModule {
  @Override
  protected void configure() {
    dataset(
        "csv",
        CsvSpec.class,
        CsvDatasetFactory.class,
        "a CSV table of your own: a label column and feature columns (numbers or categories);"
            + " classification or regression");
    dataset(
        "npy",
        dev.mlp.data.array.NpySpec.class,
        dev.mlp.data.array.NpyDatasetFactory.class,
        "NumPy arrays: x.npy [N, D] and y.npy [N] (classes) or [N, K] (values)");
    dataset(
        "npz",
        dev.mlp.data.array.NpzSpec.class,
        dev.mlp.data.array.NpzDatasetFactory.class,
        "a NumPy .npz archive holding the arrays X [N, D] and y [N] or [N, K]");
  }
}
