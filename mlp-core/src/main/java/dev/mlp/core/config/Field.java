package dev.mlp.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one field of a spec record for {@code mlp layers}: what it means and what it is when
 * left out ("required", a value, or how it is inferred).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Field {
  /** One line: what the field means. */
  String value();

  /** What the field is when left out. */
  String fallback() default "required";
}
