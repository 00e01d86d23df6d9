package dev.mlp.run.config;

import com.fasterxml.jackson.core.JsonLocation;
import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.SpecException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A typed config together with where each of its values was written, so a problem found later
 * (shapes that do not chain) is still reported against the file, line and column.
 */
public record LoadedConfig(
    ExperimentConfig config, Path file, Map<String, JsonLocation> locations) {

  /** A one-line error for a problem at a config path, located as precisely as the file allows. */
  public ConfigException error(String path, String message) {
    String p = path;
    JsonLocation loc = null;
    while (loc == null && !p.isEmpty()) {
      loc = locations.get(p);
      if (loc == null) {
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut < 0 ? "" : p.substring(0, cut);
      }
    }
    String where =
        loc == null ? file + ": " : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
    return new ConfigException(where + (path.isEmpty() ? "" : path + ": ") + message);
  }

  public ConfigException error(SpecException e) {
    return error(e.path(), e.getMessage());
  }
}
