"""Registry files in and out, each checked whole and written only when clean (docs/import.md): household rosters
(import from .xlsx/.csv in a township's own column layout, export to .xlsx in the same layout) and the county's
regions (regions.py)."""

from models.importing.checking import ACTION, Plan, check_file
from models.importing.export import EXPORT_ACTION, Exported, export_roster
from models.importing.problems import ImportRefused, Problem, write_report
from models.importing.writing import import_roster

__all__ = ["ACTION", "EXPORT_ACTION", "Exported", "ImportRefused", "Plan", "Problem", "check_file", "export_roster",
           "import_roster", "write_report"]
