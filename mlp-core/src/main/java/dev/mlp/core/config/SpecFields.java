package dev.mlp.core.config;

import java.lang.reflect.RecordComponent;
import java.util.Set;

/**
 * What a primitive field of a spec record ({@code double eps}, {@code int groups}, {@code boolean
 * affine}) is when a config leaves it out.
 *
 * <p>A boxed field ({@code Double eps}) arrives as null and the record's constructor fills its
 * default. A primitive cannot be null, so the constructor cannot tell "left out" from 0; instead
 * the config reader fills in the default the field's {@link Field#fallback()} documents (what
 * {@code mlp layers} shows), read as the field's type. A primitive without a fallback (or with
 * {@code "required"}) is required. {@link #check} refuses, when the module registering the spec
 * loads, a primitive whose fallback is not a value of its type.
 */
public final class SpecFields {
  private static final Set<Class<?>> FILLABLE =
      Set.of(double.class, float.class, int.class, long.class, boolean.class);

  private SpecFields() {}

  /**
   * @throws IllegalArgumentException one line naming the field, why it cannot be read from a config
   *     and what to write instead
   */
  public static void check(Class<?> spec) {
    if (!spec.isRecord()) {
      return;
    }
    for (RecordComponent c : spec.getRecordComponents()) {
      Class<?> type = c.getType();
      if (!type.isPrimitive()) {
        continue;
      }
      if (!FILLABLE.contains(type)) {
        throw new IllegalArgumentException(
            "spec "
                + spec.getName()
                + ": field "
                + c.getName()
                + " is a "
                + type
                + ", which a config cannot hold; declare it int, long, double, boolean or"
                + " String");
      }
      Field f = c.getAnnotation(Field.class);
      if (f != null && !f.fallback().equals("required") && parse(type, f.fallback()) == null) {
        throw new IllegalArgumentException(
            "spec "
                + spec.getName()
                + ": field "
                + c.getName()
                + " is a primitive "
                + type
                + ", so a config that leaves it out gets its @Field fallback, but \""
                + f.fallback()
                + "\" is not "
                + (type == int.class ? "an " : "a ")
                + type
                + "; write one there (e.g. fallback = \""
                + example(type)
                + "\"), or declare the field "
                + boxed(type)
                + " and fill the default in the constructor");
      }
    }
  }

  /**
   * The value a primitive component takes when a config leaves it out: its {@link Field#fallback()}
   * read as its type; null when it is required (no {@code @Field}, or {@code "required"}) or the
   * component is not primitive.
   */
  public static Object defaultOf(RecordComponent c) {
    Field f = c.getAnnotation(Field.class);
    if (!c.getType().isPrimitive() || f == null || f.fallback().equals("required")) {
      return null;
    }
    return parse(c.getType(), f.fallback());
  }

  /** {@code text} as a value of the primitive {@code type}, or null if it is not one. */
  private static Object parse(Class<?> type, String text) {
    String s = text.strip();
    try {
      if (type == double.class) {
        return Double.parseDouble(s);
      }
      if (type == float.class) {
        return Float.parseFloat(s);
      }
      if (type == int.class) {
        return Integer.parseInt(s);
      }
      if (type == long.class) {
        return Long.parseLong(s);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    if (type == boolean.class && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    return null;
  }

  private static String example(Class<?> type) {
    if (type == boolean.class) {
      return "false";
    }
    return type == int.class || type == long.class ? "1" : "1e-5";
  }

  private static String boxed(Class<?> type) {
    if (type == int.class) {
      return "Integer";
    }
    String name = type.getName();
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
