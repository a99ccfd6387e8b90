"""The `waymark` console command: Django's management commands under the project's name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # `waymark import-framework` runs the `import_framework` command.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["waymark", *args])


if __name__ == "__main__":
    main()
