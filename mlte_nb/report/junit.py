"""JUnit XML of a validation, so CI systems show each condition as a test case."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mlte_nb.validate.validated import ValidatedSpec


def junit_xml(validated: ValidatedSpec, *, suite: str = "mlte") -> str:
    """Return JUnit XML: one test case per condition; Failure fails, Ignore is skipped.

    Test cases are named ``<measurement id>`` in class ``<suite>.<property>``, with the
    condition and the evidence in the message, so a CI page says what failed and why.
    """
    counts = validated.counts()
    root = ET.Element(
        "testsuite",
        name=f"{suite}: {validated.spec_identifier}",
        tests=str(len(validated.results)),
        failures=str(counts["Failure"]),
        skipped=str(counts["Ignore"]),
        errors="0",
    )
    for row in validated.results:
        case = ET.SubElement(
            root, "testcase", name=row.measurement_id, classname=f"{suite}.{row.property}"
        )
        detail = f"{row.condition.label}: {row.message}"
        if row.evidence:
            detail += f" [evidence: {row.evidence}]"
        if row.kind == "Failure":
            ET.SubElement(
                case, "failure", message=row.message, type="ConditionFailure"
            ).text = detail
        elif row.kind == "Ignore":
            ET.SubElement(case, "skipped", message=row.message).text = detail
        else:
            ET.SubElement(case, "system-out").text = detail
    suites = ET.Element("testsuites")
    suites.append(root)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
