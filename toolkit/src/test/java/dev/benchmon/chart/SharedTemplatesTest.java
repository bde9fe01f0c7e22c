package dev.benchmon.chart;

import io.pebbletemplates.pebble.PebbleEngine;
import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.ScatterTrace;

import java.lang.reflect.Field;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendering a figure through benchmon shares one Pebble engine among its jsplot components (so jsplot's templates are
 * compiled once per process), and renders exactly the text jsplot renders with an engine per component.
 */
class SharedTemplatesTest {
    private static Figure figure() {
        Layout layout = Layout.builder().title("f1 by day").height(400)
                .xAxis(Axis.builder().title("day").build()).yAxis(Axis.builder().title("f1").build()).build();
        ScatterTrace line = ScatterTrace.builder(new double[] {1, 2, 3}, new double[] {0.9, 0.91, 0.89}).name("m1")
                .mode(ScatterTrace.Mode.LINE).line(Line.builder().color("#1f77b4").width(2).build()).build();
        ScatterTrace marks = ScatterTrace.builder(new double[] {2}, new double[] {0.91}).name("alert")
                .mode(ScatterTrace.Mode.MARKERS).marker(Marker.builder().size(9).color("red").build()).build();
        return new Figure(layout, line, marks);
    }

    private static PebbleEngine engineOf(Object component, Class<?> declaring) throws ReflectiveOperationException {
        Field f = declaring.getDeclaredField("engine");
        f.setAccessible(true);
        return (PebbleEngine) f.get(component);
    }

    @Test
    void a_shared_engine_renders_the_text_of_an_engine_per_component() {
        String own = figure().asJavascript("chart");

        String shared = ChartHtml.fragment(figure(), "chart");

        assertThat(shared).isEqualTo(figure().divString("chart") + own);
    }

    @Test
    void the_figure_its_layout_and_its_traces_render_with_one_engine() throws ReflectiveOperationException {
        Figure f = figure();
        assertThat(engineOf(f, Figure.class)).as("jsplot's own: one each").isNotSameAs(engineOf(f.getLayout(), Layout.class));

        ChartHtml.fragment(f, "chart");

        PebbleEngine engine = engineOf(f, Figure.class);
        assertThat(engineOf(f.getLayout(), Layout.class)).isSameAs(engine);
        for (var trace : f.getTraces()) {
            assertThat(engineOf(trace, tech.tablesaw.plotly.traces.AbstractTrace.class)).isSameAs(engine);
        }
        assertThat(engineOf(figure(), Figure.class)).as("a new figure has its own until rendered").isNotSameAs(engine);
    }
}
