"""Household rosters in and out: import from .xlsx/.csv in a township's own column layout (checked whole, written
only when clean), export to .xlsx in the same layout (docs/import.md)."""

from models.importing.checking import ACTION, Plan, check_file
from models.importing.export import EXPORT_ACTION, Exported, export_roster
from models.importing.problems import ImportRefused, Problem, write_report
from models.importing.writing import import_roster

__all__ = ["ACTION", "EXPORT_ACTION", "Exported", "ImportRefused", "Plan", "Problem", "check_file", "export_roster",
           "import_roster", "write_report"]
