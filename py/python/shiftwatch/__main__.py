"""``python -m shiftwatch``: the same command line as the ``shiftwatch`` console script."""

from shiftwatch._cli import main

if __name__ == "__main__":
    main()
