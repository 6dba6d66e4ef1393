package io.github.dl4jinit.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** PNG charts (XChart) of the runs. */
final class Plots {
    private Plots() {
    }

    /** Training loss per iteration (left axis) and accuracy (right axis) of one run. */
    static void lossAndAccuracy(Training.History h, String title, Path png) {
        XYChart chart = new XYChartBuilder().width(1000).height(600).title(title)
                .xAxisTitle("iteration").yAxisTitle("training loss").build();
        style(chart);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        XYSeries loss = chart.addSeries("training loss", h.lossIterations, h.losses);
        loss.setMarker(SeriesMarkers.NONE);
        if (!h.accuracies.isEmpty()) {
            XYSeries acc = chart.addSeries("test accuracy (%)", h.accuracyIterations, h.accuracies);
            acc.setYAxisGroup(1);
            acc.setMarker(SeriesMarkers.CIRCLE);
            chart.setYAxisGroupTitle(1, "test accuracy (%)");
        }
        save(chart, png);
    }

    /** Every scheme's training-loss curve, log scale (the bad schemes' losses are orders of magnitude larger). */
    static void losses(Map<String, Training.History> runs, String title, Path png) {
        XYChart chart = new XYChartBuilder().width(1100).height(650).title(title)
                .xAxisTitle("iteration").yAxisTitle("training loss (log scale, mean of 10 iterations)").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, Training.History> e : runs.entrySet()) {
            List<Double> y = smooth(e.getValue().losses, 10);
            XYSeries s = chart.addSeries(e.getKey(), e.getValue().lossIterations, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        save(chart, png);
    }

    /**
     * One value per layer for each named series, on a log axis. Zeros (vanished signal) are drawn at
     * 1e-12 so that they stay visible at the bottom; overflow (infinite or NaN) is left out of the line.
     */
    static void perLayer(Map<String, double[]> series, String title, String yTitle, Path png) {
        XYChart chart = new XYChartBuilder().width(1100).height(650).title(title)
                .xAxisTitle("layer").yAxisTitle(yTitle + " (log scale; 0 at 1e-12, overflow not drawn)").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            double[] x = new double[v.length];
            double[] y = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = i;
                y[i] = !Double.isFinite(v[i]) ? Double.NaN : Math.max(v[i], 1e-12);
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        save(chart, png);
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
    }

    private static List<Double> smooth(List<Double> v, int window) {
        double[] out = new double[v.size()];
        double sum = 0;
        for (int i = 0; i < v.size(); i++) {
            sum += v.get(i);
            if (i >= window) {
                sum -= v.get(i - window);
            }
            out[i] = Math.max(sum / Math.min(i + 1, window), 1e-6);
        }
        return java.util.Arrays.stream(out).boxed().toList();
    }

    private static void save(XYChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write the plot (" + e.getMessage() + ")", e);
        }
    }
}
