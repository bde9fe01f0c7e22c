package dev.benchmon.chart;

import dev.benchmon.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Layout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartHtmlTest {
    private static final SafeFigure FIGURE = new SafeFigure(Layout.builder().build(), Map.of());

    @Test
    void a_page_without_a_plotly_location_is_refused_naming_the_argument_and_the_offline_page() {
        assertThatThrownBy(() -> ChartHtml.page(FIGURE, "f1", null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: plotlyJsLocation: must not be null; give the URL or path")
                .hasMessageContaining("Notebook.page(figure, title)");
    }

    @Test
    void a_page_with_a_blank_plotly_location_is_refused() {
        assertThatThrownBy(() -> ChartHtml.page(FIGURE, "f1", " "))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: plotlyJsLocation: must not be blank");
    }

    @Test
    void a_page_without_a_figure_is_refused_naming_it() {
        assertThatThrownBy(() -> ChartHtml.page(null, "f1", "/assets/plotly.min.js"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: figure: must not be null");
    }

    @Test
    void a_page_without_a_title_is_titled_benchmon_chart() {
        assertThat(ChartHtml.page(FIGURE, null, "/assets/plotly.min.js"))
                .contains("<title>benchmon chart</title>", "<script src=\"/assets/plotly.min.js\"></script>");
    }
}
