package dev.runstream.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of a run: panels stacked over one x axis, drawn headless with JFreeChart. */
public final class Charts {

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };

  /** One panel: its y axis and its lines. */
  static final class Panel {
    final String label;
    final boolean log;
    final List<XYSeries> series = new ArrayList<>();
    final List<Integer> colors = new ArrayList<>();
    final List<Boolean> dashed = new ArrayList<>();

    Panel(String label, boolean log) {
      this.label = label;
      this.log = log;
    }

    Panel line(String name, List<? extends Number> x, List<? extends Number> y) {
      return line(name, x, y, -1, false);
    }

    /** A line of a given colour (-1: the next one), solid or dashed. */
    Panel line(
        String name, List<? extends Number> x, List<? extends Number> y, int color, boolean dash) {
      colors.add(color);
      dashed.add(dash);
      XYSeries s = new XYSeries(name, false, true);
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        Number yi = y.get(i);
        if (yi == null || Double.isNaN(yi.doubleValue()) || (log && yi.doubleValue() <= 0)) {
          continue;
        }
        s.add(x.get(i), yi);
      }
      series.add(s);
      return this;
    }
  }

  private Charts() {}

  static void write(Path file, String title, String xLabel, boolean shapes, Panel... panels) {
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
    plot.setGap(12);
    int color = 0;
    java.util.Set<String> legend = new java.util.HashSet<>();
    for (Panel p : panels) {
      XYSeriesCollection data = new XYSeriesCollection();
      p.series.forEach(data::addSeries);
      ValueAxis y;
      if (p.log) {
        LogAxis log = new LogAxis(p.label);
        log.setBase(10);
        log.setSmallestValue(0.01);
        log.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        log.setMinorTickMarksVisible(true);
        y = log;
      } else {
        NumberAxis linear = new NumberAxis(p.label);
        linear.setAutoRangeIncludesZero(true);
        linear.setAutoRangeMinimumSize(1.0);
        y = linear;
      }
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
      for (int i = 0; i < p.series.size(); i++) { // each name once in the legend
        renderer.setSeriesVisibleInLegend(i, legend.add(p.series.get(i).getKey().toString()));
      }
      for (int i = 0; i < p.series.size(); i++) {
        int c = p.colors.get(i) >= 0 ? p.colors.get(i) : color++;
        renderer.setSeriesPaint(i, COLORS[c % COLORS.length]);
        renderer.setSeriesStroke(
            i,
            p.dashed.get(i)
                ? new BasicStroke(
                    1.5f,
                    BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER,
                    1f,
                    new float[] {6f, 4f},
                    0f)
                : new BasicStroke(2f));
      }
      XYPlot sub = new XYPlot(data, null, y, renderer);
      sub.setBackgroundPaint(Color.WHITE);
      sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
      sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
      plot.add(sub, 1);
    }
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 300 + 220 * panels.length);
    } catch (IOException e) {
      System.err.println("cannot write " + file + ": " + e.getMessage());
    }
  }
}
