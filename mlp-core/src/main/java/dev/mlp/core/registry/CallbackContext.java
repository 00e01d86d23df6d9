package dev.mlp.core.registry;

import dev.mlp.core.nn.Sequential;
import java.util.function.Consumer;

/**
 * What a callback of a run may use: the model being trained (to read its layers and parameters;
 * changing them changes the run) and where its messages go (a line each; the command line prints
 * them with its own, on stderr under {@code --json}).
 */
public record CallbackContext(Sequential model, Consumer<String> log) {}
