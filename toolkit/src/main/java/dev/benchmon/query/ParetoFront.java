package dev.benchmon.query;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cost/quality trade-off of models: from a comparison table, each model's mean quality and
 * mean cost, and whether it is on the Pareto front of its task (no other model on the same dataset version, prompt
 * version and environment is at least as good on both and better on one). Directions come from the comparison table,
 * so "quality" may be a lower-is-better metric too.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /**
     * The columns of a comparison that name the task a row's numbers were measured on, in the order they are kept: a
     * model's score on gsm8k says nothing of one on squad-v2, nor a cost in ci of one in production.
     */
    private static final List<String> TASK_COLUMNS = List.of("dataset_version", "prompt_version", "environment");

    /**
     * The front of each task: a row per model and task, in the comparison's order, with columns model_version (with
     * dataset and environment when the comparison spans several, as {@link ComparisonRows#labels} names rows), quality
     * and cost (the metrics' means, in their units), pareto (whether no row of the same task beats it), then those of
     * dataset_version, prompt_version and environment the comparison has (a {@code compareModels} table has the first
     * and the last), which name the task: the front is computed per distinct combination of them, so a model is never
     * beaten by a score on another dataset or environment. Models lacking either metric are left out.
     */
    public static Table of(Table comparison, String qualityMetric, String costMetric) {
        List<String> taskColumns = TASK_COLUMNS.stream().filter(comparison::containsColumn).toList();
        Map<String, double[]> points = new LinkedHashMap<>();
        Map<String, List<String>> taskOf = new HashMap<>();
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
            String name = label.apply(r);
            points.computeIfAbsent(name, k -> new double[] {Double.NaN, Double.NaN})[slot] = r.getDouble("mean");
            taskOf.computeIfAbsent(name, k -> taskColumns.stream().map(r::getString).toList());
        }
        StringColumn model = StringColumn.create("model_version");
        DoubleColumn quality = DoubleColumn.create("quality");
        DoubleColumn cost = DoubleColumn.create("cost");
        List<StringColumn> task = taskColumns.stream().map(StringColumn::create).toList();
        List<double[]> kept = new ArrayList<>();
        List<List<String>> keptTask = new ArrayList<>();
        points.forEach((m, p) -> {
            if (!Double.isNaN(p[0]) && !Double.isNaN(p[1])) {
                model.append(m);
                quality.append(p[0]);
                cost.append(p[1]);
                kept.add(p);
                keptTask.add(taskOf.get(m));
                for (int c = 0; c < task.size(); c++) {
                    task.get(c).append(taskOf.get(m).get(c));
                }
            }
        });
        // Normalise to "bigger quality is better, smaller cost is better".
        double qs = qualityHigher ? 1 : -1;
        double cs = costLower ? 1 : -1;
        BooleanColumn pareto = BooleanColumn.create("pareto");
        for (int i = 0; i < kept.size(); i++) {
            double[] a = kept.get(i);
            boolean dominated = false;
            for (int j = 0; j < kept.size(); j++) {
                double[] b = kept.get(j);
                boolean atLeastAsGood = qs * b[0] >= qs * a[0] && cs * b[1] <= cs * a[1];
                boolean better = qs * b[0] > qs * a[0] || cs * b[1] < cs * a[1];
                if (j != i && keptTask.get(j).equals(keptTask.get(i)) && atLeastAsGood && better) {
                    dominated = true;
                    break;
                }
            }
            pareto.append(!dominated);
        }
        // Readable when printed (rounded numbers), as the query tables it is built from.
        Table front = Table.create(qualityMetric + " vs " + costMetric, model, quality, cost, pareto);
        task.forEach(front::addColumns);
        return ReadableTable.of(front);
    }
}
