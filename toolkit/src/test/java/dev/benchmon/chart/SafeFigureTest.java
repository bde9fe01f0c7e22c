package dev.benchmon.chart;

import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.ScatterTrace;

import static org.assertj.core.api.Assertions.assertThat;

class SafeFigureTest {
    @Test
    void restore_puts_back_each_quoted_token_and_leaves_everything_else_as_it_is() {
        Labels labels = new Labels();
        String a = labels.text("o'brien");
        String b = labels.text("</script>");
        SafeFigure figure = new SafeFigure(Layout.builder().build(), labels.replacements());

        String js = "x: ['" + a + "','" + a + "'], y: \"" + b + "\", mixed: '" + a + "\", bare: " + a
                + ", unknown: 'bmlabel99x', prefix: 'bmlabelx', back to back: '" + a + "'" + b + "', end: '" + b + "'";

        assertThat(figure.restore(js)).isEqualTo("x: [" + Labels.js("o'brien") + "," + Labels.js("o'brien") + "], y: "
                + Labels.js("</script>") + ", mixed: '" + a + "\", bare: " + a
                + ", unknown: 'bmlabel99x', prefix: 'bmlabelx', back to back: " + Labels.js("o'brien") + b + "', end: "
                + Labels.js("</script>"));
    }

    @Test
    void a_figure_printed_in_jshell_says_its_title_its_traces_and_how_to_see_it() {
        Labels labels = new Labels();
        SafeFigure figure = new SafeFigure(Layout.builder().title(labels.text(PlotlyText.escape("f1 <by> day & \"night\""))).build(),
                labels.replacements(), ScatterTrace.builder(new double[] {1, 2}, new double[] {0.8, 0.9}).build(),
                ScatterTrace.builder(new double[] {1, 2}, new double[] {0.7, 0.6}).build());

        assertThat(figure.toString()).isEqualTo("Plotly figure \"f1 <by> day & \"night\"\" (2 traces): to see it, pass it to"
                + " open(...) in ./benchmon jshell (opens the browser) or to Notebook.pageFile(..., title) for an HTML file,"
                + " or end a Jupyter cell with it (benchmon kernel)");
    }

    @Test
    void a_figure_without_a_title_is_printed_without_one() {
        SafeFigure figure = new SafeFigure(Layout.builder().build(), new Labels().replacements());

        assertThat(figure.toString()).startsWith("Plotly figure (0 traces): to see it, pass it to open(...)");
    }
}
