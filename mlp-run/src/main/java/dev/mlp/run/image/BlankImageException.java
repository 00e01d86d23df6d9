package dev.mlp.run.image;

/**
 * A picture in which nothing stands out from its background (a blank page, a uniform colour, faint
 * noise): it holds no digit and no product, so no input is made of it and no class is predicted for
 * it. Thrown by {@link MnistImages#toMnist}, {@link MnistImages#toFashionMnist} and so by {@code
 * Model.prepare}, {@code Model.predict} and {@code Model.top} of a picture; {@code mlp predict}
 * says "no digit found" for it.
 */
public final class BlankImageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  BlankImageException() {
    super("nothing stands out from the background: a blank or uniform picture");
  }
}
