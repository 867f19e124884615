"""`python -m htxso <command>` is the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "htxso.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0] if sys.argv[0] != "-m" else "htxso", *sys.argv[1:]])


if __name__ == "__main__":
    main()
