package dev.vigil.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One chart on a fixed-size image, drawn with Java2D: a title, a plot area with grid lines and tick labels, axis
 * titles, a legend; data coordinates map to pixels (the x axis optionally on a log scale). The charts of
 * {@link RunCharts} draw their data between {@link #axes} and {@link #image}. Same input, same pixels: nothing here
 * depends on the clock or on hash order.
 */
final class ChartCanvas {

    static final int WIDTH = 900;
    static final int HEIGHT = 450;

    static final Color TEXT = new Color(0x33, 0x33, 0x33);
    static final Color BLUE = new Color(0x1F, 0x5F, 0xA8);
    static final Color GREY = new Color(0x6E, 0x6E, 0x6E);
    static final Color RED = new Color(0xC0, 0x39, 0x2B);
    static final Stroke LINE = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);
    static final Stroke THIN_DASHED = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {5f, 4f}, 0f);

    private static final int LEFT = 78;
    private static final int RIGHT = 28;
    private static final int TOP = 46;
    private static final int BOTTOM = 60;
    private static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
    private static final Color FRAME = new Color(0xA0, 0xA0, 0xA0);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    static {
        // Reports are drawn on servers and in CI with no display.
        System.setProperty("java.awt.headless", "true");
    }

    /** A value on an axis and its label. */
    record Tick(double value, String label) {}

    /** A legend line: a line sample in {@code stroke}, or a filled box when {@code stroke} is null. */
    record LegendEntry(String label, Color color, Stroke stroke) {}

    private final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    private final Graphics2D g = image.createGraphics();
    private double xMin = 0;
    private double xMax = 1;
    private double yMin = 0;
    private double yMax = 1;
    private boolean logX;

    ChartCanvas(String title) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(TEXT);
        g.setFont(TITLE_FONT);
        g.drawString(title, LEFT, TOP - 18);
        g.setFont(FONT);
    }

    /** Sets the data ranges; with {@code logX}, both x bounds must be positive. */
    void axes(double xMin, double xMax, boolean logX, double yMin, double yMax) {
        this.xMin = logX ? Math.log10(xMin) : xMin;
        this.xMax = logX ? Math.log10(xMax) : xMax;
        this.logX = logX;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    double px(double x) {
        double v = logX ? Math.log10(x) : x;
        return LEFT + (v - xMin) / (xMax - xMin) * plotWidth();
    }

    double py(double y) {
        return TOP + plotHeight() - (y - yMin) / (yMax - yMin) * plotHeight();
    }

    double plotTop() {
        return TOP;
    }

    double plotBottom() {
        return TOP + plotHeight();
    }

    /** The graphics clipped to the plot area, for the data; dispose it after use. */
    Graphics2D plot() {
        Graphics2D p = (Graphics2D) g.create();
        p.clipRect(LEFT, TOP, plotWidth() + 1, plotHeight() + 1);
        return p;
    }

    /** The whole image's graphics, for marks that may reach outside the plot area (labels beside a line). */
    Graphics2D whole() {
        return g;
    }

    void xTicks(List<Tick> ticks) {
        FontMetrics fm = g.getFontMetrics();
        for (Tick t : ticks) {
            int x = (int) Math.round(px(t.value()));
            g.setColor(GRID);
            g.drawLine(x, TOP, x, TOP + plotHeight());
            g.setColor(TEXT);
            g.drawString(t.label(), x - fm.stringWidth(t.label()) / 2, TOP + plotHeight() + fm.getAscent() + 6);
        }
    }

    void yTicks(List<Tick> ticks) {
        FontMetrics fm = g.getFontMetrics();
        for (Tick t : ticks) {
            int y = (int) Math.round(py(t.value()));
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + plotWidth(), y);
            g.setColor(TEXT);
            g.drawString(t.label(), LEFT - 8 - fm.stringWidth(t.label()), y + fm.getAscent() / 2 - 1);
        }
    }

    void axisTitles(String x, String y) {
        FontMetrics fm = g.getFontMetrics();
        g.setColor(TEXT);
        g.drawString(x, LEFT + (plotWidth() - fm.stringWidth(x)) / 2, HEIGHT - 14);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(y, -(TOP + (plotHeight() + fm.stringWidth(y)) / 2), 20);
        g.setTransform(saved);
    }

    /** A line of text centred in the plot area, for a chart with nothing to show. */
    void message(String text) {
        FontMetrics fm = g.getFontMetrics();
        g.setColor(GREY);
        g.drawString(text, LEFT + (plotWidth() - fm.stringWidth(text)) / 2, TOP + plotHeight() / 2);
    }

    /** The legend in the plot area's top right corner, on a white box. */
    void legend(List<LegendEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        FontMetrics fm = g.getFontMetrics();
        int sample = 26;
        int line = fm.getHeight() + 4;
        int width = entries.stream().mapToInt(e -> fm.stringWidth(e.label())).max().orElse(0) + sample + 24;
        int height = entries.size() * line + 10;
        int x = LEFT + plotWidth() - width - 10;
        int y = TOP + 10;
        g.setColor(new Color(255, 255, 255, 235));
        g.fillRect(x, y, width, height);
        g.setColor(GRID);
        g.drawRect(x, y, width, height);
        for (int i = 0; i < entries.size(); i++) {
            LegendEntry e = entries.get(i);
            int mid = y + 5 + i * line + line / 2;
            g.setColor(e.color());
            if (e.stroke() == null) {
                g.fillRect(x + 8, mid - 6, sample, 12);
            } else {
                Stroke saved = g.getStroke();
                g.setStroke(e.stroke());
                g.drawLine(x + 8, mid, x + 8 + sample, mid);
                g.setStroke(saved);
            }
            g.setColor(TEXT);
            g.drawString(e.label(), x + 16 + sample, mid + fm.getAscent() / 2 - 1);
        }
    }

    /** Draws the plot area's frame and hands the finished image over; the canvas is done. */
    BufferedImage image() {
        g.setColor(FRAME);
        g.drawRect(LEFT, TOP, plotWidth(), plotHeight());
        g.dispose();
        return image;
    }

    private int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** About {@code target} evenly spaced round values (1, 2 or 5 times a power of ten apart) within [min, max]. */
    static List<Tick> linearTicks(double min, double max, int target) {
        double step = niceStep((max - min) / Math.max(1, target - 1));
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        String format = decimals == 0 ? "%,.0f" : "%." + decimals + "f";
        List<Tick> ticks = new ArrayList<>();
        long first = (long) Math.ceil(min / step - 1e-9);
        for (long i = first; i * step <= max + step * 1e-9; i++) {
            double v = i * step;
            ticks.add(new Tick(v, String.format(Locale.ROOT, format, v == 0 ? 0.0 : v)));
        }
        return ticks;
    }

    /** 1, 2 and 5 times each power of ten within [min, max], for a log axis. */
    static List<Tick> logTicks(double min, double max) {
        List<Tick> ticks = new ArrayList<>();
        for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, e);
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                    String label = e >= 0 ? String.format(Locale.ROOT, "%,.0f", v)
                            : String.format(Locale.ROOT, "%." + (-e) + "f", v);
                    ticks.add(new Tick(v, label));
                }
            }
        }
        return ticks;
    }

    /** The smallest round value (1, 2 or 5 times a power of ten) at or above {@code value}; 1 for none. */
    static double roundUp(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= value * (1 - 1e-12)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double niceStep(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        double f = value / power;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
    }
}
