"""JUnit XML: one test case per condition, failures and skips where CI expects them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mlte_nb import Image, Integer, Interpretability, Real, Spec, SpecValidator, TaskEfficacy
from mlte_nb.report.junit import junit_xml

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_cases_failures_and_skips() -> None:
    spec = Spec(
        properties={
            TaskEfficacy("why"): {"acc": Real.greater_than(0.9), "n": Integer.less_than(3)},
            Interpretability("look"): {"img": Image.ignore("Inspect <it> & judge")},
        }
    )
    values = [Real("acc", 0.5), Integer("n", 1), Image("img", PNG)]
    xml = junit_xml(SpecValidator(spec).add_values(values).validate())
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["acc"].find("failure") is not None
    assert "0.5" in (cases["acc"].find("failure").text or "")  # type: ignore[union-attr]
    assert cases["img"].find("skipped") is not None
    assert cases["n"].find("failure") is None
    assert cases["n"].get("classname") == "mlte.TaskEfficacy"
