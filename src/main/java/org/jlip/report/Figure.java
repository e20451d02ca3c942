package org.jlip.report;

/** A picture of an {@link HtmlReport}, linked by a path relative to the HTML file. */
public record Figure(String caption, String relativePath) {

  public Figure {
    if (relativePath == null || relativePath.isBlank() || relativePath.startsWith("/")
        || relativePath.contains("://") || relativePath.contains("\\")) {
      throw new IllegalArgumentException("relativePath must be a relative path with '/' separators, got '"
          + relativePath + "'");
    }
  }
}
