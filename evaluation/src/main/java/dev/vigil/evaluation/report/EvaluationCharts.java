package dev.vigil.evaluation.report;

import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.Evaluation;
import dev.vigil.evaluation.ThresholdCurve;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the PNG charts of an evaluation with XChart, headless: the precision-recall curve, the ROC curve and the
 * daily card precision@k. Curves with many thresholds are thinned to {@link #MAX_POINTS} points for drawing only;
 * every number comes from the full curve.
 */
public final class EvaluationCharts {

    public static final int MAX_POINTS = 2000;
    private static final int WIDTH = 900;
    private static final int HEIGHT = 650;
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 6f}, 0f);

    static {
        // Charts are drawn on servers and in CI with no display.
        System.setProperty("java.awt.headless", "true");
    }

    private EvaluationCharts() {
    }

    public static void writePrecisionRecall(Evaluation e, Path file) throws IOException {
        ThresholdCurve curve = e.curve();
        String reason = e.curve().positives() == 0 ? ": undefined, no fraud evaluated" : "";
        XYChart chart = axes("Precision-recall, AP = " + MetricFormat.metric(e.averagePrecision()) + reason,
                "Recall", "Precision");
        List<ThresholdCurve.PrecisionRecallPoint> points = thin(curve.precisionRecallPoints());
        if (!points.isEmpty()) {
            double[] recall = new double[points.size()];
            double[] precision = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                recall[i] = points.get(i).recall();
                precision[i] = points.get(i).precision();
            }
            XYSeries model = chart.addSeries("model (" + curve.positives() + " frauds of "
                    + (curve.positives() + curve.negatives()) + ")", recall, precision);
            model.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            model.setMarker(SeriesMarkers.NONE);
        }
        double rate = curve.positives() + curve.negatives() == 0 ? 0.0
                : (double) curve.positives() / (curve.positives() + curve.negatives());
        XYSeries chance = chart.addSeries("random ranking (fraud rate " + MetricFormat.fixed(rate, 4) + ")",
                new double[] {0.0, 1.0}, new double[] {rate, rate});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(DASHED);
        save(chart, file);
    }

    public static void writeRoc(Evaluation e, Path file) throws IOException {
        ThresholdCurve curve = e.curve();
        String reason = curve.positives() == 0 || curve.negatives() == 0 ? ": undefined, needs fraud and genuine" : "";
        XYChart chart = axes("ROC, AUC = " + MetricFormat.metric(e.rocAuc()) + reason, "False positive rate",
                "True positive rate");
        List<ThresholdCurve.RocPoint> points = thin(curve.rocPoints());
        if (!points.isEmpty()) {
            double[] fpr = new double[points.size()];
            double[] tpr = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                fpr[i] = points.get(i).falsePositiveRate();
                tpr[i] = points.get(i).truePositiveRate();
            }
            chart.addSeries("model", fpr, tpr).setMarker(SeriesMarkers.NONE);
        }
        XYSeries chance = chart.addSeries("random ranking", new double[] {0.0, 1.0}, new double[] {0.0, 1.0});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(DASHED);
        save(chart, file);
    }

    public static void writeDailyCardPrecision(Evaluation e, Path file) throws IOException {
        CardPrecision cp = e.cardPrecision();
        int k = cp.k();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Card precision@" + k + " per day, mean = " + MetricFormat.metric(cp.mean()))
                .xAxisTitle("Test day (UTC)").yAxisTitle("CP@" + k).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(yAxisMax(cp));
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(cp.days().size() > 10 ? 45 : 0);
        chart.getStyler().setOverlapped(true);
        List<String> days = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        for (CardPrecision.Day d : cp.days()) {
            days.add(d.day().toString());
            values.add(d.precision());
            best.add(d.bestPossible(k));
            mean.add(cp.mean());
        }
        if (days.isEmpty()) {
            days.add("no test day");
            values.add(0.0);
            best.add(0.0);
            mean.add(0.0);
        }
        chart.addSeries("best possible (fraudulent cards / k)", days, best)
                .setFillColor(new Color(210, 210, 210));
        chart.addSeries("CP@" + k, days, values).setFillColor(new Color(47, 110, 186));
        CategorySeries meanLine = chart.addSeries("mean " + MetricFormat.metric(cp.mean()), days, mean);
        meanLine.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        meanLine.setMarker(SeriesMarkers.NONE);
        meanLine.setLineColor(new Color(200, 60, 40));
        meanLine.setLineStyle(DASHED);
        save(chart, file);
    }

    /**
     * The y axis reaches a little above the best possible day, in twentieths, so small precisions stay readable; it never
     * goes past 1, which would be meaningless for a precision.
     */
    static double yAxisMax(CardPrecision cp) {
        double top = 0.0;
        for (CardPrecision.Day d : cp.days()) {
            top = Math.max(top, Math.max(d.precision(), d.bestPossible(cp.k())));
        }
        return Math.min(1.0, Math.max(0.1, Math.ceil(top * 20 + 1) / 20.0));
    }

    private static XYChart axes(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    /** At most {@link #MAX_POINTS} evenly spaced points, keeping the first and the last. */
    static <T> List<T> thin(List<T> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        List<T> kept = new ArrayList<>(MAX_POINTS);
        double step = (points.size() - 1) / (double) (MAX_POINTS - 1);
        for (int i = 0; i < MAX_POINTS; i++) {
            kept.add(points.get((int) Math.round(i * step)));
        }
        return kept;
    }

    private static void save(Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
