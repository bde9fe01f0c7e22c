package dev.benchmon.chart;

import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Layout;

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
}
