"""``python -m tools.nlu_datagen [PATH]``: regenerate the shipped training data."""

from tools.nlu_datagen.generator import main

if __name__ == "__main__":
    raise SystemExit(main())
