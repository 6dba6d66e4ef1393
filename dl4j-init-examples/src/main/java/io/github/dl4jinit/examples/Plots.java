package io.github.dl4jinit.examples;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

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

    private static final Color DL4J_COLOUR = new Color(0, 114, 178);
    private static final Color PYTORCH_COLOUR = new Color(213, 94, 0);
    /** Schemes whose means lie this close (percentage points) to the best one get a zoomed second panel. */
    private static final double ZOOM_POINTS = 5;

    /**
     * Validation accuracy per scheme after {@code epoch}: each framework's mean with error bars of
     * ± 2 std (its spread), side by side, and the published figure as a black diamond. A second
     * panel zooms into the schemes within {@value #ZOOM_POINTS} points of the best, whose spreads
     * are too narrow to see on the 0–100 % axis.
     */
    static void seedSpreads(List<SeedReport.Result> results, int epoch, String seeds, Path png) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(BitmapEncoder.getBufferedImage(spreadChart(results, 620,
                String.format(Locale.ROOT, "compare-inits: validation accuracy after epoch %d, mean ± 2 std over %s",
                        epoch, seeds), 0, 100)));
        double best = results.stream().flatMap(Plots::spreads).mapToDouble(Spread::mean).max().orElse(Double.NaN);
        List<SeedReport.Result> close = results.stream()
                .filter(r -> spreads(r).allMatch(s -> s.mean() >= best - ZOOM_POINTS)).toList();
        if (close.size() >= 2 && close.size() < results.size()) {
            double lo = close.stream().flatMap(r -> Stream.concat(spreads(r).map(s -> s.mean() - errorBar(s)),
                    r.published().stream().boxed())).mapToDouble(Double::doubleValue).min().orElseThrow();
            double hi = close.stream().flatMap(r -> Stream.concat(spreads(r).map(s -> s.mean() + errorBar(s)),
                    r.published().stream().boxed())).mapToDouble(Double::doubleValue).max().orElseThrow();
            double pad = Math.max(0.05, (hi - lo) * 0.08);
            panels.add(BitmapEncoder.getBufferedImage(spreadChart(close, 520,
                    String.format(Locale.ROOT, "zoomed: the schemes within %.0f points of the best", ZOOM_POINTS),
                    lo - pad, hi + pad)));
        }
        BufferedImage out = new BufferedImage(panels.get(0).getWidth(),
                panels.stream().mapToInt(BufferedImage::getHeight).sum(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        try {
            ImageIO.write(out, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write the plot (" + e.getMessage() + ")", e);
        }
    }

    private static Stream<Spread> spreads(SeedReport.Result r) {
        return Stream.of(r.dl4j(), r.pytorch()).filter(Objects::nonNull);
    }

    /** Half the error bar: 2 std, or 0 for a single run. */
    private static double errorBar(Spread s) {
        return s.hasStd() ? Spread.SPREAD_STDS * s.std() : 0;
    }

    private static CategoryChart spreadChart(List<SeedReport.Result> results, int height, String title, double yMin,
                                             double yMax) {
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(height).title(title)
                .xAxisTitle("initialization scheme").yAxisTitle("validation accuracy (%)").build();
        CategoryStyler st = chart.getStyler();
        // legend below: the plot keeps the full width, so eleven scheme names fit side by side
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(true);
        st.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        st.setOverlapped(false);
        st.setErrorBarsColorSeriesColor(true);
        st.setMarkerSize(10);
        st.setAxisTickPadding(8);
        st.setYAxisMin(yMin);
        st.setYAxisMax(yMax);
        st.setYAxisDecimalPattern("0.#");
        List<String> names = results.stream().map(r -> r.scheme().cliName()).toList();
        addSpreads(chart, names, results, "DL4J", SeedReport.Result::dl4j, DL4J_COLOUR, SeriesMarkers.CIRCLE);
        addSpreads(chart, names, results, "PyTorch", SeedReport.Result::pytorch, PYTORCH_COLOUR, SeriesMarkers.SQUARE);
        if (results.stream().anyMatch(r -> r.published().isPresent())) {
            // null: no published figure for that scheme (nothing drawn)
            List<Double> published = results.stream()
                    .map(r -> r.published().isPresent() ? r.published().getAsDouble() : null).toList();
            chart.addSeries("published (one run)", names, published)
                    .setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.BLACK);
        }
        return chart;
    }

    /** A framework's means and ± 2 std error bars; NaN (nothing drawn) where it has no runs of a scheme. */
    private static void addSpreads(CategoryChart chart, List<String> names, List<SeedReport.Result> results, String name,
                                   Function<SeedReport.Result, Spread> which, Color colour, Marker marker) {
        if (results.stream().map(which).allMatch(Objects::isNull)) {
            return;
        }
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (SeedReport.Result r : results) {
            Spread s = which.apply(r);
            y.add(s == null ? Double.NaN : s.mean());
            err.add(s == null ? Double.NaN : errorBar(s));
        }
        CategorySeries s = chart.addSeries(name + " (mean ± 2 std)", names, y, err);
        s.setMarker(marker).setMarkerColor(colour).setLineColor(colour);
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
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
        return Arrays.stream(out).boxed().toList();
    }

    private static void save(XYChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write the plot (" + e.getMessage() + ")", e);
        }
    }
}
