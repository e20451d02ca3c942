package org.jlip.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jlip.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Robustness curves (accuracy against L2 radius) of one or more models on one XChart line chart, as PNG. */
public final class Curves {
  /** Default picture size. */
  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

  static {
    Headless.ensure();
  }

  private Curves() {}

  /** {@link #WIDTH} x {@link #HEIGHT}, default title. */
  public static void write(Path png, List<Curve> curves) throws IOException {
    write(png, "Robust accuracy against L2 radius", curves, WIDTH, HEIGHT);
  }

  /** Draws the curves (solid = provable, dashed = empirical, one colour per group) and writes atomically. */
  public static void write(Path png, String title, List<Curve> curves, int width, int height) throws IOException {
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("curves must not be empty");
    }
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("eps (L2)")
        .yAxisTitle("accuracy").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesVisible(true);
    chart.getStyler().setLegendVisible(true);
    for (Curve c : curves) {
      XYSeries s = chart.addSeries(c.name(), c.eps(), c.accuracy());
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(PALETTE[c.group() % PALETTE.length]);
      s.setMarkerColor(PALETTE[c.group() % PALETTE.length]);
      s.setLineStyle(c.dashed()
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f)
          : new BasicStroke(2f));
    }
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }
}
