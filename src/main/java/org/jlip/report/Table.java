package org.jlip.report;

import java.util.List;

/** A table of an {@link HtmlReport}: caption, header cells, rows of cells (plain text, escaped when written). */
public record Table(String caption, List<String> header, List<List<String>> rows) {

  public Table {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).size() != header.size()) {
        throw new IllegalArgumentException("row " + i + " of table '" + caption + "' has " + rows.get(i).size()
            + " cells, header has " + header.size());
      }
    }
  }
}
