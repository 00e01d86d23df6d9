package dev.mlp.data.array;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.DatasetFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Loads an {@link NpySpec}. */
public final class NpyDatasetFactory implements DatasetFactory<NpySpec> {
  @Override
  public DataSplits load(NpySpec spec, Consumer<String> log) throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of(spec.x()), Path.of(spec.y())));
    NpyArray x = ArrayDatasets.readFile(files.get(0));
    NpyArray y = ArrayDatasets.readFile(files.get(1));
    NpyArray tx = null;
    NpyArray ty = null;
    if (spec.testX() != null) {
      files.add(Path.of(spec.testX()));
      files.add(Path.of(spec.testY()));
      tx = ArrayDatasets.readFile(files.get(2));
      ty = ArrayDatasets.readFile(files.get(3));
    }
    String how = String.valueOf(spec.task()) + spec.classes() + spec.testSplit() + spec.splitSeed();
    return ArrayDatasets.build(
        Path.of(spec.x()).getFileName().toString(),
        x,
        y,
        tx,
        ty,
        spec.task(),
        spec.classes(),
        spec.testSplit(),
        spec.splitSeed(),
        ArrayDatasets.checksum(files, how),
        log);
  }
}
