"""``python -m cmquiz``."""

from cmquiz.cli import main

if __name__ == "__main__":
    main()
