"""Rebuild src/medscribe/offline/data/ner/conditions_icd10cm.txt and conditions_icd10cm_heads.txt from the installed
simple-icd-10-cm package.

python scripts/build_icd10_lexicon.py   (needs the dev extra: simple-icd-10-cm is pinned there)
"""

import sys

from medscribe.offline import ner_icd10, ner_icd10_heads

if __name__ == "__main__":
    sys.exit(ner_icd10.write_lexicon() or ner_icd10_heads.write_lexicon())
