package dev.mlp.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.Faulty;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exception thrown inside a layer comes out of the model naming the layer and the pass. */
class LayerFailureTest {

  private static final List<LayerOrigin> FROM_A_PLUGIN =
      List.of(
          new LayerOrigin("model.layers[0]", "affine", null),
          new LayerOrigin("model.layers[1]", "faulty", "faulty-1.0.jar"),
          new LayerOrigin("model.layers[2]", "half_squared_error", null));

  private static Sequential model(Layer middle, List<LayerOrigin> origins) {
    return new Sequential(
        List.of(new Affine(3, new Rng(1)), middle, new HalfSquaredError(3)), origins);
  }

  private static final Tensor X = Tensor.of(2, 3, 1, 2, 3, 4, 5, 6);

  @Test
  void aLayerThrowingInForwardIsNamedWithItsPathTypeAndPlugin() {
    Sequential m = model(new Faulty(true), FROM_A_PLUGIN);
    LayerFailedException e =
        catchThrowableOfType(() -> m.forward(X, Mode.TRAIN), LayerFailedException.class);
    assertThat(e)
        .hasMessage(
            "model.layers[1] faulty (from faulty-1.0.jar) failed in forward:"
                + " java.lang.ArithmeticException: / by zero")
        .hasCauseInstanceOf(ArithmeticException.class);
    assertThat(e.inPlugin()).isTrue();
    assertThat(e.origin()).isEqualTo(FROM_A_PLUGIN.get(1));
  }

  @Test
  void aLayerThrowingInBackwardIsNamedWithItsPathTypeAndPlugin() {
    Sequential m = model(new Faulty(false), FROM_A_PLUGIN);
    m.loss().setTargets(new int[] {0, 1});
    m.forward(X, Mode.TRAIN);
    assertThat(catchThrowableOfType(m::backward, LayerFailedException.class))
        .hasMessage(
            "model.layers[1] faulty (from faulty-1.0.jar) failed in backward:"
                + " java.lang.IllegalStateException: backward is broken");
  }

  @Test
  void aLossThrowingInBackwardIsNamedAsTheLastLayer() {
    Sequential m = model(new Faulty(false), FROM_A_PLUGIN);
    m.forward(X, Mode.TRAIN); // no targets set: the loss's backward fails
    LayerFailedException e = catchThrowableOfType(m::backward, LayerFailedException.class);
    assertThat(e.getMessage())
        .startsWith("model.layers[2] half_squared_error failed in backward: ")
        .contains("NullPointerException");
    assertThat(e.inPlugin()).isFalse();
  }

  @Test
  void withoutOriginsALayerIsNamedByItsIndexAndTypeAndBlamesNoPlugin() {
    Sequential m =
        new Sequential(
            List.of(new Affine(3, new Rng(1)), new Faulty(true), new HalfSquaredError(3)));
    LayerFailedException e =
        catchThrowableOfType(() -> m.forward(X, Mode.TRAIN), LayerFailedException.class);
    assertThat(e)
        .hasMessage("layers[1] faulty failed in forward: java.lang.ArithmeticException: / by zero");
    assertThat(e.inPlugin()).isFalse();
  }

  @Test
  void aWarmTrainingStepStillAllocatesNothing() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Sequential m =
        new Sequential(
            List.of(new Affine(3, new Rng(1)), new Affine(3, new Rng(2)), new HalfSquaredError(3)));
    m.loss().setTargets(new int[] {0, 1});
    for (int i = 0; i < 20_000; i++) { // warm: buffers sized, code compiled
      m.forward(X, Mode.TRAIN);
      m.backward();
    }
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        m.forward(X, Mode.TRAIN);
        m.backward();
      }
      long bytes = threads.getCurrentThreadAllocatedBytes() - before;

      least = Math.min(least, bytes);
    }
    assertThat(least).isZero();
  }
}
