package dev.mlp.core.config;

/**
 * Implemented by the spec of an activation that wants the layer before it initialised a certain way
 * (ReLU: He; sigmoid and tanh: Xavier). A layer with weights and no {@code init:} of its own asks
 * the next layer's spec.
 */
public interface PreferredInit {
  InitializerSpec preferredInit();
}
