package dev.mlp.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.nn.ToyLayers.Affine;
import dev.mlp.core.nn.ToyLayers.HalfSquaredError;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialTest {
  @Test
  void aModelMustEndWithALoss() {
    assertThatThrownBy(() -> new Sequential(List.of()))
        .hasMessage("a model must end with a loss layer");
    assertThatThrownBy(() -> new Sequential(List.of(new Affine(2, new Rng(1)))))
        .hasMessage("a model must end with a loss layer");
  }

  @Test
  void widthsThatDoNotChainAreReportedWithBothLayersTypes() {
    assertThatThrownBy(
            () ->
                new Sequential(
                    List.of(
                        new Affine(3, new Rng(1)),
                        new Affine(2, new Rng(1)),
                        new HalfSquaredError(2))))
        .hasMessage("layer 1 (affine) expects 2 inputs but layer 0 (affine) gives 3");
    assertThatThrownBy(
            () -> new Sequential(List.of(new Affine(3, new Rng(1)), new HalfSquaredError(4))))
        .hasMessage("layer 1 (half_squared_error) expects 4 inputs but layer 0 (affine) gives 3");
  }

  @Test
  void onlyTheFirstLayerSkipsItsInputGradient() {
    Affine first = new Affine(3, new Rng(1));
    Affine second = new Affine(3, new Rng(2));
    Sequential model = new Sequential(List.of(first, second, new HalfSquaredError(3)));
    assertThat(first.inputGradientNeeded()).isFalse();
    assertThat(second.inputGradientNeeded()).isTrue();
    assertThat(model.inputSize()).isEqualTo(3);
    assertThat(model.loss()).isInstanceOf(HalfSquaredError.class);
    assertThat(model.parameters()).hasSize(4);
    assertThat(model.parameterCount()).isEqualTo(12);
  }

  @Test
  void forwardRunsEveryLayerAndReturnsTheLossOutput() {
    Affine first = new Affine(2, new Rng(1));
    Affine second = new Affine(2, new Rng(2));
    HalfSquaredError loss = new HalfSquaredError(2);
    Sequential model = new Sequential(List.of(first, second, loss));
    Tensor x = Tensor.of(1, 2, 1f, -1f);
    loss.setTargets(new int[] {0});
    Tensor out = model.forward(x, Mode.TRAIN);
    assertThat(out).isSameAs(loss.output());
    Tensor expected =
        second.forward(first.forward(Tensor.of(1, 2, 1f, -1f), Mode.TRAIN), Mode.TRAIN);
    assertThat(out.toArray()).containsExactly(expected.toArray());
  }

  @Test
  void backwardFillsEveryParameterGradientFromTheLoss() {
    Affine first = new Affine(2, new Rng(1));
    HalfSquaredError loss = new HalfSquaredError(2);
    Sequential model = new Sequential(List.of(first, loss));
    loss.setTargets(new int[] {1});
    model.forward(Tensor.of(1, 2, 2f, 3f), Mode.TRAIN);
    model.backward();
    // y = a⊙x + b, dL/dy = y − onehot(1): da = (y − t)⊙x, db = y − t
    float[] a = first.parameters().get(0).value().data();
    float[] b = first.parameters().get(1).value().data();
    float y0 = a[0] * 2 + b[0];
    float y1 = a[1] * 3 + b[1];
    assertThat(first.parameters().get(0).grad().toArray()).containsExactly(y0 * 2, (y1 - 1) * 3);
    assertThat(first.parameters().get(1).grad().toArray()).containsExactly(y0, y1 - 1);
  }

  @Test
  void flopsCountTwoPerMultiplyAddAndSkipTheFirstLayersInputGradient() {
    // multiply-adds per sample: 10 and 20; training: forward + weight gradient for the first
    // layer, forward + weight gradient + input gradient for the others
    Sequential model =
        new Sequential(
            List.of(new Affine(10, new Rng(1)), new Wide(10, 20), new HalfSquaredError(20)));
    assertThat(model.inferenceFlopsPerSample()).isEqualTo(2 * (10 + 200));
    assertThat(model.trainingFlopsPerSample()).isEqualTo(2 * 10 * 2 + 2 * 200 * 3);
  }

  /** A parameter-free layer of 10 → 20 whose cost is 200 multiply-adds. */
  private static final class Wide implements Layer {
    private final int in;
    private final int out;

    Wide(int in, int out) {
      this.in = in;
      this.out = out;
    }

    @Override
    public int inputSize() {
      return in;
    }

    @Override
    public int outputSize() {
      return out;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      return new Tensor(input.rows(), out);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
      return new Tensor(gradOutput.rows(), in);
    }

    @Override
    public long multiplyAddsPerSample() {
      return (long) in * out;
    }

    @Override
    public String typeName() {
      return "wide";
    }

    @Override
    public String toString() {
      return "wide";
    }
  }

  @Test
  void theSummaryHasOneLinePerLayerWithItsOutputAndParameterCount() {
    Sequential model =
        new Sequential(List.of(new Affine(3, new Rng(1)), new Wide(3, 5), new HalfSquaredError(5)));
    assertThat(model.toString().split("\n"))
        .containsExactly(
            "#    layer                        output       params",
            "     input                        [N, 3]             ",
            "0    affine(3)                    [N, 3]            6",
            "1    wide                         [N, 5]            0",
            "2    half_squared_error           [N, 5]            0",
            "total parameters: 6");
  }

  @Test
  void aParameterHasAGradientOfItsShapeAndNamesItself() {
    Parameter p = new Parameter("weight", new Tensor(2, 3));
    assertThat(p.grad().shape()).isEqualTo("[2, 3]");
    assertThat(p.size()).isEqualTo(6);
    assertThat(p).hasToString("weight[2, 3]");
  }
}
