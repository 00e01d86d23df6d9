package dev.mlp.run.image;

import dev.mlp.core.registry.MlpModule;

/** Registers {@code image_folder}: pictures sorted into one folder per class. */
public final class ImageDataModule extends MlpModule {
  @Override
  protected void configure() {
    dataset(
        "image_folder",
        ImageFolderSpec.class,
        ImageFolderDatasetFactory.class,
        "pictures in one folder per class (root/<class>/*.png|jpg), resized, grey or colour");
  }
}
