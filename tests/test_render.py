"""The one render path: static HTML and text for values, specs and validated specs."""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

import mlte_nb
from mlte_nb import (
    CPUStatistics,
    Fairness,
    Image,
    Interpretability,
    MemoryStatistics,
    PredictingComputeCost,
    Real,
    Spec,
    SpecValidator,
    TaskEfficacy,
    ValidatedSpec,
)
from mlte_nb.context import reset_context
from mlte_nb.render import mimebundle
from mlte_nb.render.figures import timeline_png
from mlte_nb.render.html import badge, spec_html, validated_html, value_html
from mlte_nb.render.text import spec_text, validated_text, value_text

PNG = b"\x89PNG\r\n\x1a\n"
PROVENANCE = {
    "measurement_type": "ExternalMeasurement",
    "function": "scipy.stats.ranksums",
    "timestamp": "2024-05-01T10:00:00+00:00",
    "cell": {"cell_id": "c-1", "execution_count": 7, "source_sha256": "ab" * 32},
}


@pytest.fixture(autouse=True)
def _context() -> Iterator[None]:
    reset_context()
    yield
    reset_context()


def _png() -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(0.5, 0.5), dpi=40)
    FigureCanvasAgg(figure)
    figure.add_subplot().imshow([[0, 1], [1, 0]])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _cpu(max_: float = 70.0) -> CPUStatistics:
    samples = [[i * 0.1, 30 + (max_ - 30) * math.sin(i / 5) ** 2] for i in range(60)]
    return CPUStatistics(
        "predicting cpu", {"avg": 30.0, "min": 1.0, "max": max_, "samples": samples}
    )


def _validated() -> ValidatedSpec:
    spec = Spec(
        properties={
            TaskEfficacy("<b>bold</b> & needed"): {"accuracy": Real.greater_or_equal_to(0.9)},
            PredictingComputeCost("one camera core"): {
                "predicting cpu": CPUStatistics.max_utilization_less_than(50)
            },
            Interpretability("a person looks"): {
                "attributions": Image.ignore("inspect the heat map"),
                "never measured": Real.less_than(1),
            },
            Fairness("gardens"): {"garden accuracy": Real.greater_than(0.5)},
        }
    )
    values = [
        Real("accuracy", 0.85, provenance=PROVENANCE),
        _cpu(),
        Image("attributions", _png()),
        Real("garden accuracy", 0.92),
    ]
    return SpecValidator(spec).add_values(values).validate()


def _assert_static(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert not re.search(r"(src|href)\s*=\s*\"?(https?:)?//", markup, flags=re.IGNORECASE)
    assert "href=" not in markup
    assert not re.search(r"<[^>]+\son[a-z]+=", markup)


class TestBadge:
    def test_badge_is_coloured_by_class_and_says_the_kind(self) -> None:
        assert badge("Failure") == '<span class="mlte-badge mlte-Failure">Failure</span>'
        assert badge("Success") == '<span class="mlte-badge mlte-Success">Success</span>'
        assert badge("Info") == '<span class="mlte-badge mlte-Ignore">Ignore</span>'

    def test_unknown_kind_is_escaped_and_grey(self) -> None:
        assert badge('<x">') == '<span class="mlte-badge mlte-other">&lt;x&quot;&gt;</span>'


class TestValueHtml:
    def test_user_strings_are_escaped(self) -> None:
        value = Real("<script>alert(1)</script>", 1.5, unit="ms & <s>")
        markup = value_html(value)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
        assert "1.5 ms &amp; &lt;s&gt;" in markup
        _assert_static(markup)

    def test_unit_and_provenance_are_shown(self) -> None:
        markup = value_html(Real("accuracy", 0.85, unit="fraction", provenance=PROVENANCE))
        assert "unit: fraction" in markup
        assert "ExternalMeasurement · scipy.stats.ranksums" in markup
        assert "at 2024-05-01T10:00:00+00:00" in markup
        assert "cell [7] id c-1 sha256 abababababab" in markup

    def test_images_are_inline_data_urls(self) -> None:
        markup = value_html(Image("attributions", _png()))
        assert '<img class="mlte-fig" src="data:image/png;base64,iVBOR' in markup
        _assert_static(markup)

    def test_cpu_statistics_get_a_timeline(self) -> None:
        markup = value_html(_cpu())
        assert 'src="data:image/png;base64,' in markup
        assert "% of one core" in markup

    def test_statistics_without_samples_have_no_figure(self) -> None:
        markup = value_html(MemoryStatistics("mem", {"avg": 1.0, "min": 1.0, "max": 2.0}))
        assert "<img" not in markup
        assert "max 2 KiB" in markup

    def test_text_form_has_summary_and_provenance(self) -> None:
        text = value_text(Real("accuracy", 0.85, provenance=PROVENANCE))
        assert text.splitlines()[0] == "Real 'accuracy': 0.85"
        assert "cell [7]" in text


class TestTimelinePng:
    def test_is_a_small_png(self) -> None:
        samples = [[i * 0.05, 50 + 45 * math.sin(i / 3)] for i in range(5000)]
        png = timeline_png(samples, "% of one core", threshold=90)
        assert png.startswith(PNG)
        assert len(png) < 30_000

    def test_is_deterministic_and_draws_the_threshold(self) -> None:
        samples = [[0.0, 10.0], [0.5, 20.0], [1.0, 15.0]]
        assert timeline_png(samples, "KB") == timeline_png(samples, "KB")
        assert timeline_png(samples, "KB", threshold=18) != timeline_png(samples, "KB")

    def test_one_sample_is_drawn_and_none_is_an_error(self) -> None:
        assert timeline_png([[0.0, 3.0]], "KB").startswith(PNG)
        with pytest.raises(ValueError, match="at least one"):
            timeline_png([], "KB")


class TestSpecHtml:
    def test_table_has_requirement_condition_and_unit(self) -> None:
        spec = _validated().spec
        markup = spec_html(spec)
        assert "<strong>TaskEfficacy</strong>" in markup
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; needed" in markup
        assert "<code>max_utilization_less_than(50)</code>" in markup
        assert "<td>% of one core</td>" in markup
        assert '<td rowspan="2"><strong>Interpretability</strong>' in markup
        _assert_static(markup)

    def test_text_lists_every_condition(self) -> None:
        text = spec_text(_validated().spec)
        assert text.startswith("Spec 'default.spec': 4 properties, 5 conditions")
        assert " > predicting cpu: max_utilization_less_than(50)" in text


class TestValidatedHtml:
    def test_results_are_coloured_and_named(self) -> None:
        markup = validated_html(_validated())
        assert '<span class="mlte-badge mlte-Success">1 Success</span>' in markup
        assert '<span class="mlte-badge mlte-Failure">3 Failure</span>' in markup
        assert '<span class="mlte-badge mlte-Ignore">1 Ignore</span>' in markup
        for kind in ("Success", "Failure", "Ignore"):
            assert f'<span class="mlte-badge mlte-{kind}">{kind}</span>' in markup
        assert ".mlte-Failure{background:#cf222e}" in markup

    def test_missing_evidence_is_called_out(self) -> None:
        markup = validated_html(_validated())
        assert "<strong>Missing evidence (1):</strong> &#x27;never measured&#x27;" in markup
        assert "<strong>missing: no value was saved</strong>" in markup

    def test_threshold_unit_and_provenance_are_in_the_row(self) -> None:
        markup = validated_html(_validated())
        assert "maximum utilization below 50 % of one core" in markup
        assert "unit: % of one core" in markup
        assert "ExternalMeasurement · scipy.stats.ranksums" in markup

    def test_values_add_figures_with_the_threshold(self) -> None:
        validated = _validated()
        plain = validated_html(validated)
        with_figures = validated_html(validated, values={"predicting cpu": _cpu()})
        assert "<img" not in plain
        assert with_figures.count('src="data:image/png;base64,') == 1

    def test_re_measured_evidence_is_not_shown_beside_the_old_verdict(self) -> None:
        markup = validated_html(_validated(), values={"predicting cpu": _cpu(max_=20.0)})
        assert "<img" not in markup

    def test_output_is_static_deterministic_and_small(self) -> None:
        validated = _validated()
        markup = validated_html(validated)
        _assert_static(markup)
        assert markup == validated_html(validated)
        assert len(markup) < 8_000

    def test_text_says_every_verdict_in_words(self) -> None:
        text = validated_text(_validated())
        assert text.startswith(
            "ValidatedSpec 'default.validated_spec' of spec 'default.spec': "
            "1 Success, 3 Failure, 1 Ignore"
        )
        assert "   FAILURE: 0.85 is not greater than or equal to 0.9" in text
        assert "   IGNORE: inspect the heat map" in text
        assert "   evidence: missing: no value was saved" in text


class TestMimebundle:
    @pytest.mark.parametrize(
        "obj",
        [Real("x", 1.0), Spec(), _validated(), mlte_nb.String("s", "<i>")],
        ids=["value", "spec", "validated", "string"],
    )
    def test_core_objects_give_plain_and_html(self, obj: object) -> None:
        bundle = obj._repr_mimebundle_()  # type: ignore[attr-defined]
        assert set(bundle) == {"text/plain", "text/html"}
        assert bundle["text/html"].startswith('<div class="mlte"><style>')
        _assert_static(bundle["text/html"])

    def test_include_and_exclude_are_honoured(self) -> None:
        value = Real("x", 1.0)
        assert set(mimebundle(value, include={"text/plain"})) == {"text/plain"}
        assert set(mimebundle(value, exclude={"text/plain"})) == {"text/html"}

    def test_other_objects_fall_back_to_escaped_repr(self) -> None:
        assert mimebundle("<b>") == {
            "text/plain": "'<b>'",
            "text/html": "<pre>&#x27;&lt;b&gt;&#x27;</pre>",
        }

    def test_importing_render_loads_no_plotting_library(self) -> None:
        code = (
            "import sys, mlte_nb.render, mlte_nb.render.html, mlte_nb.render.text;"
            "from mlte_nb import Real; mlte_nb.render.mimebundle(Real('x', 1.0));"
            "print('matplotlib' in sys.modules, 'IPython' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.split() == ["False", "False"]


def test_report_tables_leave_out_columns_no_row_fills() -> None:
    from mlte_nb.render._report_html import _table

    html = _table(
        [{"name": None, "description": "102 flower species", "percentage": 100.0}],
        ("name", "description", "percentage"),
        "Labels (percent)",
    )
    assert "<th>name</th>" not in html
    assert "<th>description</th>" in html
    assert "<td>102 flower species</td><td>100.0</td>" in html
