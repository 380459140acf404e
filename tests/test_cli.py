"""The mlte-nb command line: headless runs with exit codes, and validating a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mlte_nb.cli import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, main
from tests.kernel import make_notebook

pytestmark = pytest.mark.slow

SPEC_CELL = """
from mlte_nb import Spec, Real
from mlte_nb.spec import TaskEfficacy
spec = Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_or_equal_to(0.9)}})
spec.save(parents=True, force=True)
"""


def _notebook(folder: Path, accuracy: float, extra: str = "1") -> Path:
    return make_notebook(
        folder / "nb.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1",
        SPEC_CELL,
        f"%%mlte_measure acc --value acc\nacc = {accuracy}",
        extra,
        "%mlte_validate",
    )


def test_run_exits_0_when_every_condition_passes(tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "out" / "executed.ipynb"
    assert main(["run", str(_notebook(tmp_path, 0.95)), "--output", str(out)]) == EXIT_PASS
    printed = capsys.readouterr().out
    assert " > Measurement: acc, result: Success" in printed
    assert out.is_file()


def test_run_kernel_uses_private_sockets_and_prints_no_warning(tmp_path: Path, capfd: Any) -> None:
    """The kernel talks over Unix sockets in a private folder: no TCP port, no warning."""
    assert main(["run", str(_notebook(tmp_path, 0.95))]) == EXIT_PASS
    captured = capfd.readouterr()
    assert "WARNING" not in captured.err  # the kernel's own stderr, caught at the fd
    assert "without encryption" not in captured.out + captured.err
    assert " > Measurement: acc, result: Success" in captured.out


def test_run_exits_1_when_a_condition_fails(tmp_path: Path, capsys: Any) -> None:
    report, junit = tmp_path / "report.html", tmp_path / "out" / "junit.xml"
    args = ["run", str(_notebook(tmp_path, 0.5)), "--report", str(report), "--junit", str(junit)]
    assert main(args) == EXIT_FAIL
    assert "result: Failure" in capsys.readouterr().out
    assert "Failure" in report.read_text()
    assert '<failure message="0.5 is not greater than or equal to 0.9"' in junit.read_text()


def test_run_exits_2_and_names_the_cell_that_raised(tmp_path: Path, capsys: Any) -> None:
    notebook = _notebook(tmp_path, 0.95, extra="raise RuntimeError('model file missing')")
    assert main(["run", str(notebook)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "cell 4" in err
    assert "RuntimeError" in err
    assert "model file missing" in err


def test_validate_command_reads_a_store(tmp_path: Path, capsys: Any) -> None:
    main(["run", str(_notebook(tmp_path, 0.5))])
    store = f"local://{tmp_path / 'mlte_store'}"
    assert main(["validate", "Demo", "1", "--store", store]) == EXIT_FAIL
    assert "Property: TaskEfficacy" in capsys.readouterr().out


def test_validate_unknown_model_is_a_clear_error(tmp_path: Path, capsys: Any) -> None:
    assert main(["validate", "Nope", "1", "--store", f"local://{tmp_path}"]) == EXIT_ERROR
    assert "Nope" in capsys.readouterr().err


def test_run_fails_evidence_saved_before_the_run(tmp_path: Path, capsys: Any) -> None:
    assert main(["run", str(_notebook(tmp_path, 0.95))]) == EXIT_PASS
    make_notebook(
        tmp_path / "nb.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1",
        SPEC_CELL,
        "%mlte_validate",
    )
    assert main(["run", str(tmp_path / "nb.ipynb")]) == EXIT_FAIL
    assert "stale evidence" in capsys.readouterr().out
    assert main(["run", str(tmp_path / "nb.ipynb"), "--allow-stale"]) == EXIT_PASS


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        (["import os; os._exit(0)"], "kernel died while running cell 1"),
        (
            ["import os, sys; os.write(2, b'libfoo: fatal error\\n'); os._exit(3)"],
            "kernel died while running cell 1 of",
        ),
        (["import time; time.sleep(30)"], "ran longer than --timeout 2 s"),
    ],
)
def test_run_exits_2_when_the_kernel_dies_or_a_cell_hangs(
    tmp_path: Path, capfd: Any, cells: list[str], words: str
) -> None:
    notebook = make_notebook(tmp_path / "bad.ipynb", *cells)
    out = tmp_path / "out.ipynb"
    assert main(["run", str(notebook), "--timeout", "2", "--output", str(out)]) == EXIT_ERROR
    err = capfd.readouterr().err  # the kernel's own stderr too, caught at the fd
    assert words in err
    assert "Traceback" not in err  # a killed kernel's log is kept out of the way
    assert "ZMQError" not in err
    if "libfoo" in cells[0]:
        assert err.strip().endswith("(kernel: libfoo: fatal error)")
    assert out.is_file()


def test_run_exits_2_for_a_missing_or_broken_notebook(tmp_path: Path, capsys: Any) -> None:
    assert main(["run", str(tmp_path / "missing.ipynb")]) == EXIT_ERROR
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "broken.ipynb").write_text("not json")
    assert main(["run", str(tmp_path / "broken.ipynb")]) == EXIT_ERROR
    assert "not a readable notebook" in capsys.readouterr().err


def test_run_explains_a_memory_store(tmp_path: Path, capsys: Any) -> None:
    notebook = make_notebook(
        tmp_path / "m.ipynb", "%load_ext mlte_nb\n%mlte_context T 1 -s memory://x"
    )
    assert main(["run", str(notebook)]) == EXIT_ERROR
    assert "lives only in its kernel" in capsys.readouterr().err


def test_validate_does_not_write_unless_asked(tmp_path: Path) -> None:
    main(["run", str(_notebook(tmp_path, 0.95))])
    validated = tmp_path / "mlte_store/models/Demo/1/default.validated_spec.json"
    before = validated.read_text()
    validated.write_text(before.replace('"Success"', '"Success" '))  # marker
    marked = validated.read_text()
    store = f"local://{tmp_path / 'mlte_store'}"
    assert main(["validate", "Demo", "1", "--store", store]) == EXIT_PASS
    assert validated.read_text() == marked
    assert main(["validate", "Demo", "1", "--store", store, "--save"]) == EXIT_PASS
    assert validated.read_text() != marked


def test_diff_of_two_versions_flags_the_regression(tmp_path: Path, capsys: Any) -> None:
    from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy, context

    context.set_store(f"local://{tmp_path / 'store'}")
    spec = Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(0.9)}})
    for version, accuracy in [("1", 0.95), ("2", 0.85)]:
        context.set_context("M", version)
        SpecValidator(spec).add_value(Real("acc", accuracy)).validate().save(parents=True)
    store = f"local://{tmp_path / 'store'}"
    html = tmp_path / "diff.html"
    assert main(["diff", "M/1", "M/2", "--store", store, "--html", str(html)]) == EXIT_FAIL
    assert "Success -> Failure (flipped" in capsys.readouterr().out
    assert "flipped" in html.read_text()
    file_1 = tmp_path / "store/models/M/1/default.validated_spec.json"
    assert main(["diff", "M/2", str(file_1), "--store", store]) == EXIT_PASS
    assert main(["diff", "nonsense", "M/2", "--store", store]) == EXIT_ERROR


def test_diff_flags_a_loosened_threshold(tmp_path: Path, capsys: Any) -> None:
    """Relaxing 0.9 to 0.5 while accuracy falls keeps Success; diff must still exit 1."""
    from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy, context

    store = f"local://{tmp_path / 'store'}"
    context.set_store(store)
    for version, floor, accuracy in [("1", 0.9, 0.95), ("2", 0.5, 0.6), ("3", 0.55, 0.6)]:
        spec = Spec(properties={TaskEfficacy("why"): {"acc": Real.greater_than(floor)}})
        context.set_context("M", version)
        SpecValidator(spec).add_value(Real("acc", accuracy)).validate().save(parents=True)
    assert main(["diff", "M/1", "M/2", "--store", store]) == EXIT_FAIL
    assert "greater_than(0.9) -> greater_than(0.5), loosened" in capsys.readouterr().out
    assert main(["diff", "M/2", "M/3", "--store", store]) == EXIT_PASS  # tightened: fine


def _two_contexts(folder: Path, first: float, second: float) -> Path:
    """A notebook validating context A 1, then context B 1, each with its own evidence."""
    cells = []
    for model, accuracy in [("A", first), ("B", second)]:
        cells += [
            f"%load_ext mlte_nb\n%mlte_context {model} 1",
            SPEC_CELL,
            f"%%mlte_measure acc --value acc\nacc = {accuracy}",
            "%mlte_validate",
        ]
    return make_notebook(folder / "two.ipynb", *cells)


def test_run_gates_every_context_not_only_the_last(tmp_path: Path, capsys: Any) -> None:
    report, junit = tmp_path / "report.html", tmp_path / "junit.xml"
    notebook = _two_contexts(tmp_path, 0.5, 0.95)
    args = ["run", str(notebook), "--report", str(report), "--junit", str(junit)]
    assert main(args) == EXIT_FAIL
    printed = capsys.readouterr().out
    assert "A 1 in local://" in printed
    assert "B 1 in local://" in printed
    assert "result: Failure" in printed
    assert "failing: A 1 default.spec" in printed
    xml = junit.read_text()
    assert 'name="mlte.A.1: default.spec"' in xml
    assert 'name="mlte.B.1: default.spec"' in xml
    assert '<failure message="0.5 is not greater than or equal to 0.9"' in xml
    assert report.read_text().count("Failure") >= 1
    (tmp_path / "passing").mkdir()
    assert main(["run", str(_two_contexts(tmp_path / "passing", 0.95, 0.95))]) == EXIT_PASS


def test_run_gates_every_spec_saved_in_a_context(tmp_path: Path, capsys: Any) -> None:
    strict = (
        "Spec('strict.spec', properties={TaskEfficacy('why'): "
        "{'acc': Real.greater_or_equal_to(0.99)}}).save(force=True)"
    )
    notebook = make_notebook(
        tmp_path / "specs.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1",
        SPEC_CELL,
        strict,
        "%%mlte_measure acc --value acc\nacc = 0.95",
        "%mlte_validate",
    )
    assert main(["run", str(notebook)]) == EXIT_FAIL
    printed = capsys.readouterr().out
    assert "spec default.spec" in printed
    assert "spec strict.spec" in printed
    assert "failing: Demo 1 strict.spec" in printed


def test_run_skips_a_context_only_read_from(tmp_path: Path, capsys: Any) -> None:
    """A context the notebook only loads from (e.g. an old version to compare) is not gated."""
    assert main(["run", str(_notebook(tmp_path, 0.5))]) == EXIT_FAIL  # Demo 1 fails
    capsys.readouterr()
    notebook = make_notebook(
        tmp_path / "nb2.ipynb",
        "%load_ext mlte_nb\n%mlte_context Demo 1\nfrom mlte_nb import Spec\nSpec.load()",
        "%mlte_context Demo 2",
        SPEC_CELL,
        "%%mlte_measure acc --value acc\nacc = 0.95",
    )
    assert main(["run", str(notebook)]) == EXIT_PASS
    assert "Demo 1 in" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("emptyobj.ipynb", "{}", "is not a readable notebook"),
        ("folder", None, "is a folder, not a notebook"),
    ],
)
def test_run_unreadable_notebook_is_one_line_and_exit_2(
    tmp_path: Path, capsys: Any, name: str, content: str | None, words: str
) -> None:
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    assert main(["run", str(path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert words in err
    assert str(path) in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_run_unwritable_output_is_one_line_and_exit_2(tmp_path: Path, capsys: Any) -> None:
    out = "/proc/x.ipynb"
    assert main(["run", str(_notebook(tmp_path, 0.95)), "--output", out]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"cannot write the executed notebook to {out!r}" in err
    assert len(err.strip().splitlines()) == 1


def test_run_output_that_is_a_folder_is_refused_before_running(tmp_path: Path, capsys: Any) -> None:
    notebook = make_notebook(tmp_path / "n.ipynb", "raise SystemExit('must not run')")
    assert main(["run", str(notebook), "--output", str(tmp_path)]) == EXIT_ERROR
    assert "is a folder" in capsys.readouterr().err


def test_an_unexpected_exception_is_an_internal_error_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import mlte_nb.cli as cli

    def boom(args: Any) -> int:
        raise KeyError("surprise\nsecond line")

    monkeypatch.setattr(cli, "_validate", boom)
    monkeypatch.delenv("MLTE_NB_DEBUG", raising=False)
    assert main(["validate", "M", "1"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.strip() == (
        "mlte-nb: internal error: KeyError: 'surprise\\nsecond line' "
        "(set MLTE_NB_DEBUG=1 for the traceback)"
    )
    monkeypatch.setenv("MLTE_NB_DEBUG", "1")
    assert main(["validate", "M", "1"]) == EXIT_ERROR
    assert "Traceback" in capsys.readouterr().err


def test_an_errored_run_replaces_old_ci_files(tmp_path: Path, capsys: Any) -> None:
    report, junit = tmp_path / "report.html", tmp_path / "junit.xml"
    outputs = ["--report", str(report), "--junit", str(junit)]
    assert main(["run", str(_notebook(tmp_path, 0.95)), *outputs]) == EXIT_PASS
    assert "Success" in report.read_text()
    (tmp_path / "again").mkdir()  # a fresh store: the error is the raising cell
    broken = _notebook(tmp_path / "again", 0.95, extra="raise RuntimeError('model file missing')")
    assert main(["run", str(broken), *outputs]) == EXIT_ERROR
    xml = junit.read_text()
    assert '<error message="cell 4 of' in xml
    assert "model file missing" in xml
    assert 'errors="1"' in xml
    assert "<failure" not in xml
    assert "Success" not in xml
    page = report.read_text()
    assert "errored" in page
    assert "model file missing" in page
    assert "Success" not in page


@pytest.mark.parametrize("seconds", ["0", "-1", "soon"])
def test_run_refuses_a_timeout_that_is_not_positive(
    tmp_path: Path, capsys: Any, seconds: str
) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text("<testsuites><testsuite name='old pass'/></testsuites>")
    args = ["run", str(tmp_path / "n.ipynb"), "--timeout", seconds, "--junit", str(junit)]
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one line, no usage text
    assert err.startswith("mlte-nb run: argument --timeout:")
    assert "<error message=" in junit.read_text()  # the old passing file is gone


def test_export_finds_the_report_of_a_run_written_elsewhere(tmp_path: Path, capsys: Any) -> None:
    """`run --output reports/x.ipynb` records its store, so export appends the report."""
    executed = tmp_path / "reports" / "executed.ipynb"
    assert main(["run", str(_notebook(tmp_path, 0.95)), "--output", str(executed)]) == EXIT_PASS
    page = tmp_path / "page.html"
    assert main(["export", str(executed), "--html", str(page)]) == EXIT_PASS
    assert 'id="mlte-report"' in page.read_text()
    assert main(["export", str(executed), "--html", str(page), "--model", "Demo"]) == EXIT_PASS
    assert "no report appended" not in capsys.readouterr().out


def test_export_of_a_missing_notebook_is_one_line(tmp_path: Path, capsys: Any) -> None:
    page = tmp_path / "page.html"
    assert main(["export", str(tmp_path / "nope.ipynb"), "--html", str(page)]) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "nope.ipynb' does not exist" in captured.err
    assert "no report appended" not in captured.out
    assert not page.exists()


def test_history_shows_each_version_with_what_it_held(
    tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlte_nb import Real, context

    monkeypatch.chdir(tmp_path)
    context.set_store(f"local://{tmp_path / 'store'}")
    context.set_context("M", "1")
    for number in (0.5, 0.7, 0.9):
        Real("acc", number).save(parents=True, force=True)
    store = ["--store", f"local://{tmp_path / 'store'}"]
    assert main(["history", "M", "1", "acc", *store]) == EXIT_PASS  # the measurement id will do
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("acc.value of M 1")
    assert lines[1].startswith("   1  ")
    assert lines[1].endswith("[0.5]")
    assert lines[3].startswith("current  ")
    assert lines[3].endswith("[0.9]")
    assert main(["restore", "M", "1", "acc", "1", *store]) == EXIT_PASS
    assert Real.load("acc").value == 0.5
    context.reset_context()


def test_clean_refuses_a_missing_store_and_negative_minutes(tmp_path: Path, capsys: Any) -> None:
    assert main(["clean", "--store", f"local://{tmp_path / 'nowhere'}"]) == EXIT_ERROR
    assert "there is no store at" in capsys.readouterr().err
    assert main(["clean", "--older-than", "-5"]) == EXIT_ERROR
    assert "zero or more" in capsys.readouterr().err


def test_run_finds_the_contexts_when_the_notebook_redirected_stdout(
    tmp_path: Path, capsys: Any
) -> None:
    notebook = _notebook(tmp_path, 0.5, extra="import io, sys\nsys.stdout = io.StringIO()")
    assert main(["run", str(notebook)]) == EXIT_FAIL
    assert "result: Failure" in capsys.readouterr().out


def test_run_gates_a_context_even_after_reset_context(tmp_path: Path, capsys: Any) -> None:
    notebook = make_notebook(
        tmp_path / "reset.ipynb",
        "%load_ext mlte_nb\n%mlte_context A 1",
        SPEC_CELL,
        "%%mlte_measure acc --value acc --force\nacc = 0.5",
        "import mlte_nb.context as c\nc.reset_context()",
        "%mlte_context B 1",
        SPEC_CELL,
        "%%mlte_measure acc --value acc --force\nacc = 0.95",
    )
    assert main(["run", str(notebook)]) == EXIT_FAIL
    out = capsys.readouterr().out
    assert "A 1 in" in out
    assert "result: Failure" in out


def test_export_shows_every_verdict_the_run_gave(tmp_path: Path, capsys: Any) -> None:
    """A failing first context must not be hidden behind a passing last one in export."""
    executed = tmp_path / "out" / "two.ipynb"
    notebook = _two_contexts(tmp_path, 0.5, 0.95)
    assert main(["run", str(notebook), "--output", str(executed)]) == EXIT_FAIL
    page = tmp_path / "page.html"
    assert main(["export", str(executed), "--html", str(page)]) == EXIT_PASS
    html = page.read_text()
    assert "the model does not pass its spec" in html
    assert "the model passes its spec" in html
    assert html.index("does not pass") < html.index("passes its spec")


def test_run_refuses_a_report_name_before_running(tmp_path: Path, capsys: Any) -> None:
    notebook = make_notebook(tmp_path / "n.ipynb", "open('ran', 'w').close()")
    assert main(["run", str(notebook), "--report", str(tmp_path / "r.txt")]) == EXIT_ERROR
    assert "should be a file name ending in .html" in capsys.readouterr().err
    assert not (tmp_path / "ran").exists()
