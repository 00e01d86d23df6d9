package dev.mlp.core.registry;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LauncherSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.config.ScheduleSpec;

/** The pluggable kinds of component, each chosen in YAML by {@code type:}. */
public enum Kind {
  LAYER("layer", LayerSpec.class),
  OPTIMIZER("optimizer", OptimizerSpec.class),
  INITIALIZER("initializer", InitializerSpec.class),
  DATASET("dataset", DatasetSpec.class),
  SCHEDULE("schedule", ScheduleSpec.class),
  CALLBACK("callback", CallbackSpec.class),
  LAUNCHER("launcher", LauncherSpec.class);

  private final String label;
  private final Class<?> specBase;

  Kind(String label, Class<?> specBase) {
    this.label = label;
    this.specBase = specBase;
  }

  /** Lower-case name used in messages: "unknown layer type ...". */
  public String label() {
    return label;
  }

  /** The interface every spec of this kind implements. */
  public Class<?> specBase() {
    return specBase;
  }

  /** The kind whose spec interface is {@code base}, if any. */
  /** The kind whose spec base {@code type} implements (directly or not), or null for none. */
  public static Kind ofSpecType(Class<?> type) {
    for (Kind kind : values()) {
      if (type != null && kind.specBase.isAssignableFrom(type) && kind.specBase != type) {
        return kind;
      }
    }
    return null;
  }

  public static Kind ofSpecBase(Class<?> base) {
    for (Kind kind : values()) {
      if (kind.specBase == base) {
        return kind;
      }
    }
    return null;
  }
}
