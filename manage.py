#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # This checkout's code, whatever copy of the package the environment has installed.
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
