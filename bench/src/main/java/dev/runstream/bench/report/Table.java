package dev.runstream.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table with aligned columns: what goes to stdout, table.md and the docs. */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  void add(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(cell(c));
    }
    rows.add(row);
  }

  static String cell(Object c) {
    if (c == null) {
      return "-";
    }
    if (c instanceof Double d) {
      if (d.isNaN()) {
        return "-";
      }
      if (Math.abs(d) >= 100) {
        return String.format("%,.0f", d);
      }
      return Math.abs(d) >= 10 ? String.format("%.1f", d) : String.format("%.2f", d);
    }
    if (c instanceof Long || c instanceof Integer) {
      return String.format("%,d", ((Number) c).longValue());
    }
    return c.toString();
  }

  @Override
  public String toString() {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, width);
    out.append('|');
    for (int w : width) {
      out.append(' ').append("-".repeat(w - 1)).append(": |");
    }
    out.append('\n');
    rows.forEach(r -> line(out, r, width));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] width) {
    out.append('|');
    for (int i = 0; i < width.length; i++) {
      out.append(' ').append(" ".repeat(width[i] - cells.get(i).length())).append(cells.get(i));
      out.append(" |");
    }
    out.append('\n');
  }
}
