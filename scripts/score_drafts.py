"""Score the clinical draft on the held-out notes of corpus/drafts (issue 15); last stdout line is JSON.

python scripts/score_drafts.py                      # the new draft if importable, else the legacy adapter
python scripts/score_drafts.py --source legacy      # today's build_draft ("before")
python scripts/score_drafts.py --command "medscribe draft -"
python scripts/score_drafts.py --details            # itemise the dev findings (never a final split: final, batch3-final … batch13-final)
"""

import sys

from medscribe.evaluation.report import main

if __name__ == "__main__":
    sys.exit(main())
