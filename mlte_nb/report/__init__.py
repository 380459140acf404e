"""Report and its descriptors (the reference's names and spellings), and report export."""

from __future__ import annotations

from mlte_nb.report.descriptors import (
    CommentDescriptor,
    DataClassification,
    DataDescriptor,
    FieldDescriptor,
    GoalDescriptor,
    IntendedUseDescriptor,
    LabelDescriptor,
    MetricDescriptor,
    ModelInputDescriptor,
    ModelInterfaceDescriptor,
    ModelIODescriptor,
    ModelOutputDescriptor,
    ModelProductionDescriptor,
    ModelResourcesDescriptor,
    PerformanceDesciptor,
    ProblemType,
    QuantitiveAnalysisDescriptor,
    RiskDescriptor,
    SummaryDescriptor,
)
from mlte_nb.report.export import export_report
from mlte_nb.report.junit import junit_xml
from mlte_nb.report.report import Report, load_or_default

__all__ = [
    "CommentDescriptor",
    "DataClassification",
    "DataDescriptor",
    "FieldDescriptor",
    "GoalDescriptor",
    "IntendedUseDescriptor",
    "LabelDescriptor",
    "MetricDescriptor",
    "ModelIODescriptor",
    "ModelInputDescriptor",
    "ModelInterfaceDescriptor",
    "ModelOutputDescriptor",
    "ModelProductionDescriptor",
    "ModelResourcesDescriptor",
    "PerformanceDesciptor",
    "ProblemType",
    "QuantitiveAnalysisDescriptor",
    "Report",
    "RiskDescriptor",
    "SummaryDescriptor",
    "export_report",
    "junit_xml",
    "load_or_default",
]
