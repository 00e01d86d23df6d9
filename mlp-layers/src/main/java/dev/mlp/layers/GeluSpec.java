package dev.mlp.layers;

import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.PreferredInit;
import dev.mlp.core.config.WidthPreservingSpec;
import dev.mlp.core.init.InitializerSpecs;

/** {@code {type: gelu}}. */
public record GeluSpec() implements WidthPreservingSpec, PreferredInit {
  /** The linear layer before it, when it names no init. */
  @Override
  public InitializerSpec preferredInit() {
    return new InitializerSpecs.HeUniform();
  }
}
