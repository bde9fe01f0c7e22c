package dev.benchmon.query;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cost/quality trade-off of models: from a comparison table, each model's mean quality and
 * mean cost, and whether it is on the Pareto front (no other model is at least as good on both
 * and better on one). Directions come from the comparison table, so "quality" may be a
 * lower-is-better metric too.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * Columns: model_version (with dataset and environment when the comparison spans several), quality, cost,
     * pareto. Models lacking either metric are left out.
     */
    public static Table of(Table comparison, String qualityMetric, String costMetric) {
        Map<String, double[]> points = new LinkedHashMap<>();
        boolean qualityHigher = true;
        boolean costLower = true;
        Function<Row, String> label = ComparisonRows.labels(comparison);
        for (Row r : comparison) {
            String metric = r.getString("metric");
            int slot = metric.equals(qualityMetric) ? 0 : metric.equals(costMetric) ? 1 : -1;
            if (slot < 0) {
                continue;
            }
            String direction = r.getString("direction");
            // none or unknown says nothing either way: quality is then taken as higher-, cost as lower-is-better.
            if (slot == 0) qualityHigher = !direction.equals("lower_is_better"); else costLower = !direction.equals("higher_is_better");
            points.computeIfAbsent(label.apply(r), k -> new double[] {Double.NaN, Double.NaN})[slot] =
                    r.getDouble("mean");
        }
        StringColumn model = StringColumn.create("model_version");
        DoubleColumn quality = DoubleColumn.create("quality");
        DoubleColumn cost = DoubleColumn.create("cost");
        List<double[]> kept = new ArrayList<>();
        points.forEach((m, p) -> {
            if (!Double.isNaN(p[0]) && !Double.isNaN(p[1])) {
                model.append(m);
                quality.append(p[0]);
                cost.append(p[1]);
                kept.add(p);
            }
        });
        // Normalise to "bigger quality is better, smaller cost is better".
        double qs = qualityHigher ? 1 : -1;
        double cs = costLower ? 1 : -1;
        BooleanColumn pareto = BooleanColumn.create("pareto");
        for (double[] a : kept) {
            boolean dominated = false;
            for (double[] b : kept) {
                boolean atLeastAsGood = qs * b[0] >= qs * a[0] && cs * b[1] <= cs * a[1];
                boolean better = qs * b[0] > qs * a[0] || cs * b[1] < cs * a[1];
                if (b != a && atLeastAsGood && better) {
                    dominated = true;
                    break;
                }
            }
            pareto.append(!dominated);
        }
        // Readable when printed (rounded numbers), as the query tables it is built from.
        return ReadableTable.of(Table.create(qualityMetric + " vs " + costMetric, model, quality, cost, pareto));
    }
}
