package dev.mlp.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A parameter declares the shape a checkpoint records; its values live in a 2-D tensor. */
class ParameterTest {
  @Test
  void aVectorIsDeclaredWithOneDimensionAndHeldAsOneRowOfZeros() {
    Parameter gain = Parameter.vector("gain", 5);
    assertThat(gain.shape()).containsExactly(5);
    assertThat(gain.value().rows()).isEqualTo(1);
    assertThat(gain.value().cols()).isEqualTo(5);
    assertThat(gain.value().data()).containsOnly(0f);
    assertThat(gain.grad().shape()).isEqualTo("[1, 5]");
    assertThat(gain).hasToString("gain[5]");
  }

  @Test
  void aMatrixAndATensorGivenAloneAreDeclaredRowsByColumns() {
    assertThat(Parameter.matrix("weight", 3, 4).shape()).containsExactly(3, 4);
    assertThat(new Parameter("bias", new Tensor(1, 4)).shape()).containsExactly(1, 4);
  }

  @Test
  void anyShapeHoldingTheTensorsElementsMayBeDeclared() {
    Parameter kernel = new Parameter("kernel", new Tensor(8, 9), 8, 1, 3, 3);
    assertThat(kernel.shape()).containsExactly(8, 1, 3, 3);
    assertThat(kernel).hasToString("kernel[8, 1, 3, 3]");
    kernel.shape()[0] = 99; // a copy: the declaration cannot be changed from outside
    assertThat(kernel.shape()).containsExactly(8, 1, 3, 3);
  }

  @Test
  void aShapeThatDoesNotHoldTheTensorIsRefusedWithBoth() {
    assertThatThrownBy(() -> new Parameter("gain", new Tensor(1, 6), 5))
        .hasMessage("parameter gain: shape [5] does not hold the 6 elements of its tensor [1, 6]");
    assertThatThrownBy(() -> new Parameter("gain", new Tensor(1, 6), new int[0]))
        .hasMessage("parameter gain: shape [] does not hold the 6 elements of its tensor [1, 6]");
    assertThatThrownBy(() -> new Parameter("gain", new Tensor(1, 6), 6, 0))
        .hasMessage("parameter gain: shape [6, 0] has a dimension below 1");
  }

  @Test
  void aNameThatCannotBeACheckpointKeyIsRefused() {
    assertThatThrownBy(() -> Parameter.vector("my gain", 3))
        .hasMessage(
            "parameter name 'my gain' must be an identifier ([A-Za-z_][A-Za-z0-9_]*): it becomes"
                + " the checkpoint key layers.<index>.<name>");
    assertThatThrownBy(() -> Parameter.vector("", 3)).hasMessageContaining("parameter name ''");
    assertThatThrownBy(() -> Parameter.vector("a.b", 3)).hasMessageContaining("'a.b'");
  }
}
