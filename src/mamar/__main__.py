"""``python -m mamar``: the command line, as the ``mamar`` command."""

from mamar.cli import main

if __name__ == "__main__":
    main()
