"""Rebuild src/medscribe/offline/data/ner/anatomy_icd10cm.txt from the installed simple-icd-10-cm package.

python scripts/build_anatomy_lexicon.py   (needs the dev extra: simple-icd-10-cm is pinned there)
"""

import sys

from medscribe.offline.ner_icd10_sites import write_lexicon

if __name__ == "__main__":
    sys.exit(write_lexicon())
