package org.jlip.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jlip.io.AtomicFiles;

/** A self-contained HTML page: title, tables, then pictures linked relative to the page; written atomically. */
public final class HtmlReport {
  private HtmlReport() {}

  public static void write(Path html, String title, List<Table> tables, List<Figure> figures) throws IOException {
    AtomicFiles.writeString(html, render(title, tables, figures));
  }

  static String render(String title, List<Table> tables, List<Figure> figures) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title)).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;max-width:1100px}\n")
        .append("table{border-collapse:collapse;margin:1em 0}\n")
        .append("th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}\n")
        .append("th{background:#eee}\ncaption{font-weight:bold;text-align:left;padding:4px 0}\n")
        .append("figure{margin:1.5em 0}\nimg{max-width:100%}\n</style>\n</head>\n<body>\n<h1>")
        .append(escape(title)).append("</h1>\n");
    for (Table t : tables) {
      sb.append("<table>\n<caption>").append(escape(t.caption())).append("</caption>\n<tr>");
      t.header().forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
      sb.append("</tr>\n");
      for (List<String> row : t.rows()) {
        sb.append("<tr>");
        row.forEach(cell -> sb.append("<td>").append(escape(cell)).append("</td>"));
        sb.append("</tr>\n");
      }
      sb.append("</table>\n");
    }
    for (Figure f : figures) {
      sb.append("<figure>\n<img src=\"").append(escape(f.relativePath())).append("\" alt=\"")
          .append(escape(f.caption())).append("\">\n<figcaption>").append(escape(f.caption()))
          .append("</figcaption>\n</figure>\n");
    }
    return sb.append("</body>\n</html>\n").toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
