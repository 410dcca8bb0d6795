"""The `lindung` console command: every Django management command plus Lindung's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lindung", *sys.argv[1:]])


if __name__ == "__main__":
    main()
