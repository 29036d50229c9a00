"""(Re)build the spaCy annotation pipeline saved in models/docmine_vi from rules/issuers.yaml.

    python models/build_pipeline.py

The pipeline (extractor/annotate.py) is a blank Vietnamese spaCy pipeline whose tokenizer is underthesea's word
segmentation, an entity_ruler holding the issuer names and code expansions of rules/issuers.yaml, and the
docmine_citations component. Run this after editing rules/issuers.yaml; docmine loads the saved artifact and never
downloads anything at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.annotate import build_pipeline, pipeline_path


def main() -> None:
    nlp = build_pipeline()
    path = pipeline_path()
    nlp.to_disk(path)
    doc = nlp("Thực hiện Công văn số 2815/TCTĐA06, ngày 06/6/2023 của Tổ Công tác Đề án 06 tỉnh về việc báo cáo.")
    print(f"saved {path}: pipes {nlp.pipe_names}; check: {[(s.text, s.label_) for s in doc.spans['citations']]}")


if __name__ == "__main__":
    main()
